/**
 * The partner program the plan, genealogy and periods pages show: `?program=<code>` in the
 * address (kept on every link, router.tsx), the default program without it. One switcher for
 * all of them, so a merchant who picked "wellness" on the plan finds the wellness network on
 * the genealogy.
 */
import { Box, Select } from "@saleor/macaw-ui";
import { useCallback, useEffect, useMemo, useState } from "react";

import { useApp } from "./context";
import { useQuery } from "./useQuery";

export const PROGRAM_PARAM = "program";
export const PROGRAM_FIELDS = ["Query.programs", "Query.programMembers", "PlanVersionFilterInput.programId"];

export interface ProgramSummary {
  id: string;
  code: string;
  name: string;
  displayName: string;
  isDefault: boolean;
}

export const PROGRAM_SUMMARY = "id code name displayName isDefault";
const PROGRAMS = `query ProgramChoices { programs(first: 100) { edges { node { ${PROGRAM_SUMMARY} } } } }`;

/** The program a code names, else the default program (a code that no longer exists too). */
export function pickProgram<T extends ProgramSummary>(programs: T[], code: string | null): T | null {
  return programs.find((program) => program.code === code) ?? programs.find((program) => program.isDefault) ?? programs[0] ?? null;
}

/** The address with `program` set (or dropped for the default program), everything else kept. */
export function withProgram(href: string, code: string | null): string {
  const url = new URL(href, "http://x");
  if (code) url.searchParams.set(PROGRAM_PARAM, code);
  else url.searchParams.delete(PROGRAM_PARAM);
  return url.pathname + (url.search ? url.search : "") + url.hash;
}

function currentCode(): string | null {
  return new URLSearchParams(window.location.search).get(PROGRAM_PARAM);
}

export interface ProgramChoice {
  /** Every program of the shop, the default first; empty while loading or without the API. */
  programs: ProgramSummary[];
  /** The one shown; null while loading or without the API (pages then show the default program's figures). */
  program: ProgramSummary | null;
  select(code: string): void;
  /** False: the API has no programs (an older backend), the pages work as before. */
  available: boolean;
  /** The programs are loaded (or failed to load, or there is no API for them). */
  ready: boolean;
  /** Ask for the programs again (after one was created or renamed). */
  reload(): void;
}

export function useProgram(): ProgramChoice {
  const { capabilities } = useApp();
  const available = capabilities.missing(PROGRAM_FIELDS).length === 0;
  const answer = useQuery<{ programs: { edges: Array<{ node: ProgramSummary }> } }>(PROGRAMS, {}, !available);
  const programs = useMemo(() => answer.data?.programs.edges.map((edge) => edge.node) ?? [], [answer.data]);
  const [code, setCode] = useState<string | null>(currentCode);
  useEffect(() => {
    const onPop = () => setCode(currentCode());
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);
  const select = useCallback(
    (next: string) => {
      const chosen = programs.find((program) => program.code === next);
      const kept = chosen && !chosen.isDefault ? next : null;
      window.history.replaceState(window.history.state, "", withProgram(window.location.pathname + window.location.search, kept));
      setCode(kept);
    },
    [programs],
  );
  const ready = !available || Boolean(answer.data) || Boolean(answer.error);
  return { programs, program: pickProgram(programs, code), select, available, ready, reload: answer.reload };
}

/** The switcher: shown once the shop has more than one program. */
export function ProgramSwitcher({ choice }: { choice: ProgramChoice }) {
  const { t } = useApp();
  if (!choice.available || choice.programs.length < 2) return null;
  const options = choice.programs.map((program) => ({ value: program.code, label: program.displayName }));
  return (
    <Box __width="240px" data-testid="program-switcher" data-program={choice.program?.code ?? ""}>
      <Select
        size="small"
        label={t("programs.switcher")}
        options={options}
        value={options.find((option) => option.value === choice.program?.code) ?? null}
        onChange={(option) => option && choice.select(String(option.value))}
      />
    </Box>
  );
}
