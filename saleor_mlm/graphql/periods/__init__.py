"""The periods part of the API: periods, runs, plan versions, results, statements,
balances, overrides, adjustments, payout holds, statistics, what-if comparisons, and the
period fields of partners (ranks, next-rank report, volumes, commissions, statements)."""
