/**
 * Whether a period can be closed now, and if not why: the rules of `periods.actions.close_period`
 * the page can know before asking (the month is over, in UTC; no earlier period is open), so
 * the button is disabled with its reason instead of refusing after the confirmation.
 */
import type { MessageKey } from "../../app/i18n";

export interface ClosableRow {
  id: string;
  label: string;
  startsOn: string;
  endsOn: string;
  status: string;
}

export interface CloseBlock {
  key: MessageKey;
  params: Record<string, string>;
}

/** The first moment the period may be closed: midnight UTC after its last day. */
export function closableFrom(endsOn: string): Date {
  const [year, month, day] = endsOn.split("-").map(Number);
  return new Date(Date.UTC(year, month - 1, day + 1));
}

/** Null when `row` (an open period) can be closed at `now`; else the reason it cannot. */
export function closeBlock(row: ClosableRow, rows: ClosableRow[], now: Date = new Date()): CloseBlock | null {
  const from = closableFrom(row.endsOn);
  if (now < from) return { key: "periods.closeNotEnded", params: { period: row.label, until: row.endsOn, from: from.toISOString().slice(0, 10) } };
  const earlier = rows
    .filter((other) => other.id !== row.id && other.status.toUpperCase() === "OPEN" && other.startsOn < row.startsOn)
    .sort((a, b) => a.startsOn.localeCompare(b.startsOn))[0];
  if (earlier) return { key: "periods.closeEarlierOpen", params: { period: row.label, earlier: earlier.label } };
  return null;
}
