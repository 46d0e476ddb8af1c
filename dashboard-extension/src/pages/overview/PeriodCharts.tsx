import { Text } from "@saleor/macaw-ui";

import { useApp } from "../../app/context";
import { useQuery } from "../../app/useQuery";
import { BarChart, HorizontalBars, SERIES_COLORS } from "../../components/charts/BarChart";
import { ErrorMessage, Loading, MissingApi } from "../../components/Feedback";

/** The figures of periods (close runs and previews): the run summary the periods domain stores. */
export const PERIOD_FIELDS = ["Query.periods", "Period.label", "Period.summary"];

const PERIOD_SUMMARIES = `query PeriodSummaries {
  periods(first: 12) { edges { node { id label startsOn status summary } } }
}`;

interface Summary {
  currency?: string;
  totals?: { total?: string; bv?: string };
  statistics?: { paid_as_ranks?: Record<string, number> };
}
type Answer = { periods: { edges: Array<{ node: { id: string; label: string; startsOn: string; status: string; summary: Summary | null } }> } };

function usePeriodSummaries(skip: boolean) {
  const state = useQuery<Answer>(PERIOD_SUMMARIES, {}, skip);
  const periods = (state.data?.periods.edges.map((edge) => edge.node) ?? []).filter((period) => period.summary).sort((a, b) => a.startsOn.localeCompare(b.startsOn));
  return { ...state, periods };
}

export function PeriodCharts() {
  const { t, format, capabilities } = useApp();
  const missing = capabilities.missing(PERIOD_FIELDS);
  const { periods, error, loading, reload } = usePeriodSummaries(missing.length > 0);
  if (missing.length) return <MissingApi fields={missing} />;
  if (error) return <ErrorMessage error={error} onRetry={reload} />;
  if (loading) return <Loading />;
  if (!periods.length) return <Text size={2} color="default2">{t("common.empty")}</Text>;
  return (
    <BarChart
      title={t("overview.volumeCommissions")}
      labels={periods.map((period) => period.label)}
      series={[
        { name: t("overview.volume"), color: SERIES_COLORS[0], values: periods.map((period) => Number(period.summary?.totals?.bv ?? 0)) },
        { name: t("overview.commissions"), color: SERIES_COLORS[1], values: periods.map((period) => Number(period.summary?.totals?.total ?? 0)) },
      ]}
      format={(value) => format.number(value)}
    />
  );
}

export function RankChart() {
  const { t, format, capabilities } = useApp();
  const missing = capabilities.missing(PERIOD_FIELDS);
  const { periods, error, loading, reload } = usePeriodSummaries(missing.length > 0);
  if (missing.length) return <MissingApi fields={missing} />;
  if (error) return <ErrorMessage error={error} onRetry={reload} />;
  if (loading) return <Loading />;
  const latest = periods.at(-1);
  const ranks = Object.entries(latest?.summary?.statistics?.paid_as_ranks ?? {});
  if (!ranks.length) return <Text size={2} color="default2">{t("common.empty")}</Text>;
  return (
    <>
      <Text size={2} color="default2">
        {latest!.label}
      </Text>
      <HorizontalBars
        items={ranks.map(([rank, count], index) => ({ name: rank, value: count, color: SERIES_COLORS[index % SERIES_COLORS.length] }))}
        format={(value) => format.number(value)}
      />
    </>
  );
}
