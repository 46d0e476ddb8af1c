import { useApp } from "../../app/context";
import { MissingApi } from "../../components/Feedback";
import { Section } from "../../components/Layout";

/** Volumes, rank with next-rank progress, and statements: from the periods API. */
export const VOLUME_FIELDS = ["Partner.volumes", "Partner.rank", "Partner.nextRank"];
export const STATEMENT_FIELDS = ["Partner.statements"];

export function PartnerFigures() {
  const { t, capabilities } = useApp();
  const missingVolumes = capabilities.missing(VOLUME_FIELDS);
  const missingStatements = capabilities.missing(STATEMENT_FIELDS);
  return (
    <>
      <Section title={t("partner.volumes")} testId="partner-volumes">
        <MissingApi fields={missingVolumes.length ? missingVolumes : VOLUME_FIELDS} />
      </Section>
      <Section title={t("partner.statements")} testId="partner-statements">
        <MissingApi fields={missingStatements.length ? missingStatements : STATEMENT_FIELDS} />
      </Section>
    </>
  );
}
