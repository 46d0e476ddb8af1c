import { Box, Text } from "@saleor/macaw-ui";

import { useOffice, useQuery } from "../app/context";
import { Card } from "../components/Feedback";
import { CardItem, CardList } from "../components/List";

export const MY_PROGRAMS = `query OfficePrograms {
  myPrograms {
    program { code displayName }
    sponsor { displayName }
    live { period pv gv ov qualified paidAsRank { name } }
    nextRank { nextRank { name } requirements { kind kindName missing met legRank { name } } }
  }
}`;

export interface MyProgram {
  program: { code: string; displayName: string };
  sponsor: { displayName: string } | null;
  live: { period: string; pv: string; gv: string; ov: string; qualified: boolean | null; paidAsRank: { name: string } | null } | null;
  nextRank: { nextRank: { name: string } | null; requirements: Array<{ kind: string; kindName: string; missing: string; met: boolean; legRank: { name: string } | null }> } | null;
}

/** The partner's programs, each with its rank, live volumes and next rank there; shown only
 * to a partner in more than one program (the home page's figures are the default program's). */
export function ProgramsCard() {
  const { t, format } = useOffice();
  const { data } = useQuery<{ myPrograms: MyProgram[] }>(MY_PROGRAMS);
  const programs = data?.myPrograms ?? [];
  if (programs.length < 2) return null;
  return (
    <Card title={t("programs.title")} testId="programs">
      <CardList>
        {programs.map((entry) => {
          const live = entry.live;
          const next = entry.nextRank;
          const missing = next?.requirements.filter((requirement) => !requirement.met) ?? [];
          const volumes = live ? t("programs.volumes", { pv: format.volume(live.pv), gv: format.volume(live.gv), ov: format.volume(live.ov) }) : t("programs.noFigures");
          const nextText = !next
            ? null
            : !next.nextRank
              ? t("home.topRank")
              : missing.length === 0
                ? t("programs.nextMet", { rank: next.nextRank.name })
                : t("programs.next", {
                    rank: next.nextRank.name,
                    missing: missing
                      .map((requirement) => `${requirement.legRank ? `${requirement.kindName} (${requirement.legRank.name})` : requirement.kindName} ${requirement.kind === "MIN_LEGS" ? format.integer(Number(requirement.missing)) : format.volume(requirement.missing)}`)
                      .join(", "),
                  });
          return (
            <CardItem
              key={entry.program.code}
              testId="program"
              extra={{ "data-program": entry.program.code }}
              title={entry.program.displayName}
              detail={[volumes, entry.sponsor ? t("programs.sponsor", { name: entry.sponsor.displayName }) : null].filter(Boolean).join(" · ")}
              aside={
                <Box display="flex" flexDirection="column" alignItems="flex-end" gap={1}>
                  <Text size={3} fontWeight="bold" data-testid="program-rank">
                    {live?.paidAsRank?.name ?? t("home.noRank")}
                  </Text>
                  {nextText && (
                    <Text size={2} color="default2" data-testid="program-next">
                      {nextText}
                    </Text>
                  )}
                </Box>
              }
            />
          );
        })}
      </CardList>
    </Card>
  );
}
