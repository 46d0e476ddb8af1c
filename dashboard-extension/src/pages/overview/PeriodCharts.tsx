import { useApp } from "../../app/context";
import { MissingApi } from "../../components/Feedback";

/** The figures of closed periods and previews come from the periods API. */
export const PERIOD_FIELDS = ["Query.periods"];

export function PeriodCharts() {
  const { capabilities } = useApp();
  const missing = capabilities.missing(PERIOD_FIELDS);
  if (missing.length) return <MissingApi fields={missing} />;
  return <MissingApi fields={["Period.summary"]} />;
}

export function RankChart() {
  const { capabilities } = useApp();
  const missing = capabilities.missing(PERIOD_FIELDS);
  if (missing.length) return <MissingApi fields={missing} />;
  return <MissingApi fields={["Period.summary"]} />;
}
