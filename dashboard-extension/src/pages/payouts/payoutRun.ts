import { sumDecimals } from "../../app/i18n/decimal";
import type { RunFigures } from "./runState";

/** A payout run as the pages ask for it (the list and a run's own page). */
export const RUN_FIELDS = `id status currency createdBy createdAt approvedBy approvedAt executedBy startedAt executedAt skipped
  period { id label } totals { status count amount }`;

export interface PayoutRunRow extends RunFigures {
  id: string;
  currency: string;
  createdAt: string;
  approvedBy: string;
  approvedAt: string | null;
  executedBy: string;
  startedAt: string | null;
  executedAt: string | null;
  period: { id: string; label: string };
}

/** The sum of the run's payouts, exactly. */
export function runAmount(run: RunFigures): string {
  return sumDecimals(run.totals.map((total) => total.amount));
}
