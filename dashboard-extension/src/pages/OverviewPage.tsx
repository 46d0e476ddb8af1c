import { Box, Text } from "@saleor/macaw-ui";

import { useApp } from "../app/context";
import { useQuery } from "../app/useQuery";
import { BarChart, HorizontalBars, SERIES_COLORS } from "../components/charts/BarChart";
import { ConnectionNotice } from "../components/ConnectionNotice";
import { ErrorMessage, Loading, MissingApi } from "../components/Feedback";
import { Page, Section } from "../components/Layout";
import { AttentionOrders } from "./overview/AttentionOrders";
import { PeriodCharts, RankChart } from "./overview/PeriodCharts";
import { SyncCard } from "./overview/SyncCard";

const MONTHS = 12;

/** First days of the last `count` months (UTC), oldest first, and the month after the last. */
export function monthStarts(now: Date, count = MONTHS): Date[] {
  const first = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (count - 1), 1);
  return Array.from({ length: count + 1 }, (_, index) => {
    const date = new Date(first);
    date.setUTCMonth(date.getUTCMonth() + index);
    return date;
  });
}

/** One document: counts by status, customers, care assignments and enrollments per month. */
export function overviewQuery(starts: Date[]): string {
  const months = starts
    .slice(0, -1)
    .map(
      (start, index) =>
        `m${index}: partners(filter: {enrolledAfter: "${start.toISOString()}", enrolledBefore: "${starts[index + 1].toISOString()}"}) { totalCount }`,
    )
    .join("\n  ");
  return `query Overview {
  all: partners { totalCount }
  active: partners(filter: {status: [ACTIVE]}) { totalCount }
  inactive: partners(filter: {status: [INACTIVE]}) { totalCount }
  terminated: partners(filter: {status: [TERMINATED]}) { totalCount }
  customers { totalCount }
  care: careAssignments(filter: {inForce: true}) { totalCount }
  ${months}
}`;
}

type Count = { totalCount: number };

function Kpi({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Box
      data-testid={testId}
      padding={4}
      borderRadius={4}
      borderStyle="solid"
      borderWidth={1}
      borderColor="default1"
      display="flex"
      flexDirection="column"
      gap={1}
    >
      <Text size={2} color="default2">
        {label}
      </Text>
      <Text size={8} fontWeight="bold">
        {value}
      </Text>
    </Box>
  );
}

export function OverviewPage() {
  const { t, format } = useApp();
  const starts = monthStarts(new Date());
  const { data, error, loading, reload } = useQuery<Record<string, Count>>(overviewQuery(starts));

  return (
    <Page title={t("nav.overview")}>
      <ConnectionNotice />
      <Section>
        {error && <ErrorMessage error={error} onRetry={reload} />}
        {loading && !data && <Loading />}
        {data && (
          <Box display="grid" __gridTemplateColumns="repeat(auto-fit, minmax(150px, 1fr))" gap={3}>
            <Kpi testId="kpi-partners" label={t("overview.partners")} value={format.number(data.all.totalCount)} />
            <Kpi testId="kpi-active" label={t("overview.active")} value={format.number(data.active.totalCount)} />
            <Kpi testId="kpi-inactive" label={t("overview.inactive")} value={format.number(data.inactive.totalCount)} />
            <Kpi testId="kpi-customers" label={t("overview.customers")} value={format.number(data.customers.totalCount)} />
            <Kpi testId="kpi-care" label={t("overview.careInForce")} value={format.number(data.care.totalCount)} />
          </Box>
        )}
      </Section>
      <Section title={t("sync.title")} testId="sync">
        <SyncCard />
      </Section>
      <Box display="grid" __gridTemplateColumns="repeat(auto-fit, minmax(min(100%, 460px), 1fr))">
        <Section title={t("overview.enrollments")} testId="chart-enrollments">
          {data && (
            <BarChart
              title={t("overview.enrollments")}
              labels={starts.slice(0, -1).map((start) => format.month(start))}
              series={[
                {
                  name: t("overview.enrollments"),
                  color: SERIES_COLORS[0],
                  values: starts.slice(0, -1).map((_, index) => data[`m${index}`]?.totalCount ?? 0),
                },
              ]}
              format={(value) => format.number(value)}
            />
          )}
        </Section>
        <Section title={t("overview.activeInactive")} testId="chart-status">
          {data && (
            <HorizontalBars
              items={[
                { name: t("status.ACTIVE"), value: data.active.totalCount, color: SERIES_COLORS[3] },
                { name: t("status.INACTIVE"), value: data.inactive.totalCount, color: SERIES_COLORS[2] },
                { name: t("status.TERMINATED"), value: data.terminated.totalCount, color: SERIES_COLORS[4] },
              ]}
              format={(value) => format.number(value)}
            />
          )}
        </Section>
        <Section title={t("overview.volumeCommissions")} testId="chart-periods">
          <PeriodCharts />
        </Section>
        <Section title={t("overview.partnersPerRank")} testId="chart-ranks">
          <RankChart />
        </Section>
      </Box>
      <Section title={t("attention.title")} testId="attention">
        <AttentionOrders />
      </Section>
    </Page>
  );
}

export { MissingApi };
