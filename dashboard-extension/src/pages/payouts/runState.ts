/**
 * What a payout run allows now, from its figures (the API's `PayoutRun`): who may approve it
 * (four eyes: not its creator), whether it may be executed (again), and how far an execution is.
 * The server decides in the end (`payoutRunApprove`, `payoutRunExecute`); the page only offers
 * what the server would accept and says why a button is disabled.
 */
export type RunStatus = "CREATED" | "APPROVED" | "EXECUTING" | "EXECUTED";
export type ItemStatus = "PENDING" | "SENT" | "PAID" | "FAILED" | "RETURNED";

export interface RunFigures {
  status: RunStatus;
  createdBy: string;
  /** Pending items that wait for a reason. */
  skipped: number;
  totals: Array<{ status: ItemStatus; count: number; amount: string }>;
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Why the current user may not approve: the run is not waiting, or they created it. */
export function approveBlock(run: RunFigures, userEmail: string): "ownRun" | null {
  if (run.status !== "CREATED") return null;
  return userEmail && same(run.createdBy, userEmail) ? "ownRun" : null;
}

export function countOf(run: RunFigures, status: ItemStatus): number {
  return run.totals.find((total) => total.status === status)?.count ?? 0;
}

export function itemCount(run: RunFigures): number {
  return run.totals.reduce((sum, total) => sum + total.count, 0);
}

/** Pending items without a reason: what an execution sends now. */
export function payableNow(run: RunFigures): number {
  return countOf(run, "PENDING") - run.skipped;
}

/**
 * The execute button: "execute" once approved, "resume" an interrupted execution, "again" for an
 * executed run whose waiting payouts may have become payable; null when there is nothing to do.
 */
export function executeOffer(run: RunFigures): "execute" | "resume" | "again" | null {
  if (run.status === "APPROVED") return "execute";
  if (run.status === "EXECUTING") return "resume";
  if (run.status === "EXECUTED" && countOf(run, "PENDING") > 0) return "again";
  return null;
}

/**
 * An execution's progress: of the items it pays (all but the waiting ones), those no longer
 * pending. Exact integers; the bar rounds the percentage.
 */
export function executionProgress(run: RunFigures): { done: number; total: number; percent: number } {
  const total = itemCount(run) - run.skipped;
  const done = total - payableNow(run);
  return { done, total, percent: total > 0 ? (100 * done) / total : 100 };
}
