import { Box, Text } from "@saleor/macaw-ui";

import { useOffice, useQuery } from "../app/context";
import { Card, ErrorMessage, Loading, ProgressBar } from "../components/Feedback";
import { ProgramsCard } from "./ProgramsCard";

export const HOME = `query OfficeHome {
  me {
    partner {
      id
      displayName
      firstName
      paidAsRank { code name }
      careerRank { code name }
      volumes { period live pv gv ov asOf qualified }
      commissions { currency total }
      nextRank {
        period
        active
        asOf
        nextRank { code name }
        requirements { kind kindName needed actual missing met legRank { name } }
      }
    }
  }
}`;

interface Rank {
  code: string;
  name: string;
}

interface Requirement {
  kind: string;
  kindName: string;
  needed: string;
  actual: string;
  missing: string;
  met: boolean;
  legRank: { name: string } | null;
}

export interface HomePartner {
  id: string;
  displayName: string;
  firstName: string;
  paidAsRank: Rank | null;
  careerRank: Rank | null;
  volumes: { period: string; live: boolean; pv: string; gv: string; ov: string; asOf: string | null; qualified: boolean | null } | null;
  commissions: { currency: string; total: string | null } | null;
  nextRank: { period: string; active: boolean; asOf: string; nextRank: Rank | null; requirements: Requirement[] } | null;
}

/** How far `actual` is toward `needed`, in percent (exact decimal strings; only the bar is approximate). */
function progress(actual: string, needed: string): number {
  const target = Number(needed);
  return target > 0 ? (Number(actual) / target) * 100 : 100;
}

function Figure({ label, long, value, testId }: { label: string; long: string; value: string; testId: string }) {
  return (
    <Box display="flex" flexDirection="column" gap={1} padding={3} borderRadius={3} backgroundColor="default2" data-testid={testId}>
      <Text size={2} color="default2" title={long}>
        <abbr title={long}>{label}</abbr>
      </Text>
      <Text size={7} fontWeight="bold" data-testid="figure-value">
        {value}
      </Text>
    </Box>
  );
}

/** The partner's month at a glance: ranks, live volumes, earnings so far, the next rank. */
export function HomePage() {
  const { t, format } = useOffice();
  const { data, error, loading, reload } = useQuery<{ me: { partner: HomePartner | null } | null }>(HOME);
  if (error) return <ErrorMessage error={error} onRetry={reload} />;
  if (loading && !data) return <Loading />;
  const partner = data?.me?.partner;
  if (!partner) return null;
  const volumes = partner.volumes;
  const next = partner.nextRank;
  const currency = partner.commissions?.currency ?? "EUR";

  return (
    <Box display="flex" flexDirection="column" gap={4} data-testid="home">
      <Box display="flex" flexDirection="column" gap={1}>
        <Text as="h1" size={8} fontWeight="bold" data-testid="page-title">
          {t("home.title", { name: partner.firstName || partner.displayName })}
        </Text>
        {volumes && (
          <Text size={3} color="default2" data-testid="home-period">
            {t("home.period", { period: format.month(volumes.period) })}
            {volumes.asOf ? ` · ${t("home.asOf", { time: format.dateTime(volumes.asOf) })}` : ""}
          </Text>
        )}
      </Box>

      <Box display="grid" __gridTemplateColumns="repeat(auto-fit, minmax(150px, 1fr))" gap={3}>
        <Card testId="paid-as-rank">
          <Text size={2} color="default2">
            {t("home.paidAs")}
          </Text>
          <Text size={6} fontWeight="bold" data-testid="rank-name">
            {partner.paidAsRank?.name ?? t("home.noRank")}
          </Text>
        </Card>
        <Card testId="career-rank">
          <Text size={2} color="default2">
            {t("home.career")}
          </Text>
          <Text size={6} fontWeight="bold" data-testid="rank-name">
            {partner.careerRank?.name ?? t("home.noRank")}
          </Text>
        </Card>
      </Box>

      {volumes && (
        <Box display="grid" __gridTemplateColumns="repeat(3, minmax(0, 1fr))" gap={2} data-testid="volumes" data-period={volumes.period}>
          <Figure label={t("home.pv")} long={t("home.pvLong")} value={format.volume(volumes.pv)} testId="volume-pv" />
          <Figure label={t("home.gv")} long={t("home.gvLong")} value={format.volume(volumes.gv)} testId="volume-gv" />
          <Figure label={t("home.ov")} long={t("home.ovLong")} value={format.volume(volumes.ov)} testId="volume-ov" />
        </Box>
      )}

      <ProgramsCard />

      <Card title={t("home.earnings")} testId="earnings">
        {partner.commissions?.total ? (
          <>
            <Text size={8} fontWeight="bold" data-testid="earnings-total">
              {format.money(partner.commissions.total, currency)}
            </Text>
            <Text size={2} color="default2">
              {t("home.earningsNote")}
            </Text>
          </>
        ) : (
          <Text size={3} color="default2" data-testid="earnings-none">
            {t("home.noEarnings")}
          </Text>
        )}
      </Card>

      <Card title={next?.nextRank ? t("home.nextRank", { rank: next.nextRank.name }) : undefined} testId="next-rank">
        {!next && <Text size={3}>{t("home.noPlan")}</Text>}
        {next && !next.nextRank && <Text size={3}>{t("home.topRank")}</Text>}
        {next && (
          <Text size={2} color={next.active ? "success1" : "default2"} data-testid="active" data-active={next.active}>
            {next.active ? t("home.active") : t("home.inactive")}
          </Text>
        )}
        {next?.nextRank &&
          next.requirements.map((requirement, index) => {
            const name = requirement.legRank ? `${requirement.kindName} (${requirement.legRank.name})` : requirement.kindName;
            // MIN_LEGS counts lines; the others are volumes.
            const show = requirement.kind === "MIN_LEGS" ? (value: string) => format.integer(Number(value)) : format.volume;
            const detail = requirement.met ? t("home.met") : t("home.missing", { missing: show(requirement.missing) });
            return (
              <ProgressBar
                key={`${requirement.kind}-${index}`}
                label={t("home.requirement", { name, actual: show(requirement.actual), needed: show(requirement.needed) })}
                detail={detail}
                percent={progress(requirement.actual, requirement.needed)}
                met={requirement.met}
              />
            );
          })}
      </Card>
    </Box>
  );
}
