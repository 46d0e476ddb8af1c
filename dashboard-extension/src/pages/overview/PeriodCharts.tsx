import { Text } from "@saleor/macaw-ui";

import { useApp } from "../../app/context";
import { useQuery } from "../../app/useQuery";
import { BarChart, HorizontalBars, SERIES_COLORS } from "../../components/charts/BarChart";
import { ErrorMessage, Loading, MissingApi } from "../../components/Feedback";

/** The figures of periods (their standing run: the close run once settled, else the preview). */
export const PERIOD_FIELDS = ["Query.statistics", "Statistics.bv", "Statistics.total", "Statistics.paidAsRanks"];

const PERIOD_STATISTICS = `query PeriodStatistics($fromMonth: String) {
  statistics(fromMonth: $fromMonth) {
    currency bv total
    period { id label status }
    paidAsRanks { count rank { code name } }
  }
}`;

interface Stat {
  currency: string;
  bv: string;
  total: string;
  period: { id: string; label: string; status: string };
  paidAsRanks: Array<{ count: number; rank: { code: string; name: string } }>;
}

function usePeriodSummaries(skip: boolean) {
  const from = new Date();
  from.setUTCMonth(from.getUTCMonth() - 11);
  const fromMonth = `${from.getUTCFullYear()}-${String(from.getUTCMonth() + 1).padStart(2, "0")}`;
  const state = useQuery<{ statistics: Stat[] }>(PERIOD_STATISTICS, { fromMonth }, skip);
  return { ...state, periods: state.data?.statistics ?? [] };
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
      labels={periods.map((stat) => stat.period.label)}
      series={[
        { name: `${t("overview.volume")} (BV)`, color: SERIES_COLORS[0], values: periods.map((stat) => Number(stat.bv)) },
        { name: `${t("overview.commissions")} (${periods[0].currency})`, color: SERIES_COLORS[1], values: periods.map((stat) => Number(stat.total)) },
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
  const ranks = latest?.paidAsRanks ?? [];
  if (!ranks.length) return <Text size={2} color="default2">{t("common.empty")}</Text>;
  return (
    <>
      <Text size={2} color="default2">
        {latest!.period.label}
      </Text>
      <HorizontalBars
        items={ranks.map((entry, index) => ({ name: entry.rank.name, value: entry.count, color: SERIES_COLORS[index % SERIES_COLORS.length] }))}
        format={(value) => format.number(value)}
      />
    </>
  );
}
