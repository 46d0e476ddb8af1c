import { Box, Text } from "@saleor/macaw-ui";
import { useMemo, useState } from "react";

import { useApp } from "../../app/context";
import { MissingApi } from "../../components/Feedback";
import { Page, Section } from "../../components/Layout";
import { emptyPlan, validatePlan, type PlanForm } from "./planDocument";
import { PlanFormView } from "./PlanFormView";

/** Plan versions (list, create, update, activate) and what-if runs come from the periods API. */
export const PLAN_FIELDS = ["Query.planVersions", "Mutation.planVersionCreate", "Mutation.planVersionUpdate", "Mutation.planVersionActivate"];
export const WHAT_IF_FIELDS = ["Mutation.whatIfRun", "Query.periods"];

export function PlanPage() {
  const { t, capabilities } = useApp();
  const [form, setForm] = useState<PlanForm>(emptyPlan);
  const errors = useMemo(() => validatePlan(form), [form]);
  const count = Object.keys(errors).length;
  const missing = capabilities.missing(PLAN_FIELDS);
  const missingWhatIf = capabilities.missing(WHAT_IF_FIELDS);

  return (
    <Page title={t("plan.title")}>
      <Section>
        {missing.length > 0 && <MissingApi fields={missing} />}
        <Box data-testid="plan-validity">
          <Text size={3} color={count ? "critical1" : "success1"}>
            {count ? t("plan.invalid", { count }) : t("plan.valid")}
          </Text>
        </Box>
      </Section>
      <PlanFormView value={form} onChange={setForm} errors={errors} />
      <Section title={t("plan.whatIf")} testId="plan-what-if">
        <Text size={2} color="default2">
          {t("plan.whatIfHelp")}
        </Text>
        {missingWhatIf.length > 0 && <MissingApi fields={missingWhatIf} />}
      </Section>
    </Page>
  );
}
