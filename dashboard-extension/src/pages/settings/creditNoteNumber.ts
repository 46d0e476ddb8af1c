/**
 * The first credit note number of next year, as the settings page shows it: the number start
 * applies from the next year on (a year with documents keeps its series). The server formats
 * numbers as `<prefix><year>-<sequence, 5 digits>` (saleor_mlm/credit_notes/numbers.py,
 * `format_number`); the year is the UTC year, as the server's.
 */
export function nextYearsFirstNumber(prefix: string, start: number, today: Date): string {
  return `${prefix}${today.getUTCFullYear() + 1}-${String(start).padStart(5, "0")}`;
}
