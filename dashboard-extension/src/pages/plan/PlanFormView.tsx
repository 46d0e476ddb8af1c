import { Box, Button, Input, Select, Text } from "@saleor/macaw-ui";

import { useApp } from "../../app/context";
import type { MessageKey } from "../../app/i18n";
import { Section } from "../../components/Layout";
import { emptyRank, type PlanErrors, type PlanForm, type RankForm } from "./planDocument";

/** The plan as a form; each validation message sits under its field (by key path). */
export function PlanFormView({
  value,
  onChange,
  errors,
  readOnly = false,
}: {
  value: PlanForm;
  onChange(next: PlanForm): void;
  errors: PlanErrors;
  readOnly?: boolean;
}) {
  const { t } = useApp();
  const message = (path: string): string | undefined => {
    const error = errors[path];
    if (!error) return undefined;
    return "text" in error ? error.text : t(error.key, error.params);
  };
  const field = (path: string, label: string, current: string, set: (next: string) => void, help?: string) => (
    <Input
      size="small"
      label={label}
      value={current}
      disabled={readOnly}
      onChange={(event) => set(event.target.value)}
      error={Boolean(errors[path])}
      helperText={message(path) ?? help}
      data-testid={`plan-${path}`}
    />
  );
  const setRank = (index: number, patch: Partial<RankForm>) =>
    onChange({ ...value, ranks: value.ranks.map((rank, position) => (position === index ? { ...rank, ...patch } : rank)) });
  const moveRank = (index: number, offset: number) => {
    const ranks = [...value.ranks];
    const [rank] = ranks.splice(index, 1);
    ranks.splice(index + offset, 0, rank);
    onChange({ ...value, ranks });
  };
  const rankOptions = [{ value: "", label: t("plan.noBreakaway") }, ...value.ranks.filter((rank) => rank.code.trim()).map((rank) => ({ value: rank.code, label: rank.name || rank.code }))];
  const compressionOptions = [
    { value: "dynamic", label: t("plan.compression.dynamic") },
    { value: "none", label: t("plan.compression.none") },
  ];
  const grid = { display: "grid", __gridTemplateColumns: "repeat(auto-fill, minmax(180px, 1fr))", gap: 3 } as const;

  const rateList = (name: "level_rates" | "generation_rates", label: MessageKey, item: MessageKey) => (
    <Box display="flex" flexDirection="column" gap={2}>
      <Text size={3} fontWeight="medium">
        {t(label)}
      </Text>
      {message(`bonuses.${name}`) && (
        <Text size={2} color="critical1">
          {message(`bonuses.${name}`)}
        </Text>
      )}
      <Box {...grid}>
        {value[name].map((rate, index) => (
          <Box key={index} display="flex" gap={1} alignItems="flex-start">
            <Box flexGrow="1">
              {field(`bonuses.${name}[${index}]`, t(item, { n: index + 1 }), rate, (next) =>
                onChange({ ...value, [name]: value[name].map((old, position) => (position === index ? next : old)) }),
              )}
            </Box>
            {!readOnly && (
              <Button variant="tertiary" size="small" onClick={() => onChange({ ...value, [name]: value[name].filter((_, position) => position !== index) })} title={t("common.remove")}>
                ×
              </Button>
            )}
          </Box>
        ))}
      </Box>
      {!readOnly && (
        <Box>
          <Button variant="secondary" size="small" onClick={() => onChange({ ...value, [name]: [...value[name], ""] })} data-testid={`plan-add-${name}`}>
            {t("plan.addLevel")}
          </Button>
        </Box>
      )}
    </Box>
  );

  return (
    <>
      <Section title={t("plan.general")}>
        <Box {...grid}>
          {field("name", t("plan.name"), value.name, (name) => onChange({ ...value, name }))}
          {field("currency", t("plan.currency"), value.currency, (currency) => onChange({ ...value, currency }))}
          {field("active_min_pv", t("plan.activeMinPv"), value.active_min_pv, (active_min_pv) => onChange({ ...value, active_min_pv }))}
          <Select
            size="small"
            label={t("plan.compression")}
            options={compressionOptions}
            value={compressionOptions.find((option) => option.value === value.compression)!}
            onChange={(option) => onChange({ ...value, compression: option.value as PlanForm["compression"] })}
            disabled={readOnly}
          />
          <Select
            size="small"
            label={t("plan.breakaway")}
            options={rankOptions}
            value={rankOptions.find((option) => option.value === value.breakaway_rank) ?? rankOptions[0]}
            onChange={(option) => onChange({ ...value, breakaway_rank: option.value })}
            error={Boolean(errors.breakaway_rank)}
            helperText={message("breakaway_rank")}
            disabled={readOnly}
          />
        </Box>
      </Section>
      <Section title={t("plan.bonuses")}>
        <Box {...grid}>{field("bonuses.customer_rate", t("plan.customerRate"), value.customer_rate, (customer_rate) => onChange({ ...value, customer_rate }), t("plan.rateHelp"))}</Box>
        {rateList("level_rates", "plan.levelRates", "plan.level")}
        {rateList("generation_rates", "plan.generationRates", "plan.generation")}
      </Section>
      <Section
        title={t("plan.ranks")}
        actions={
          !readOnly && (
            <Button variant="secondary" size="small" onClick={() => onChange({ ...value, ranks: [...value.ranks, emptyRank()] })} data-testid="plan-add-rank">
              {t("plan.addRank")}
            </Button>
          )
        }
      >
        {message("ranks") && (
          <Text size={2} color="critical1">
            {message("ranks")}
          </Text>
        )}
        {value.ranks.map((rank, index) => {
          const path = `ranks[${index}]`;
          const set = (key: keyof RankForm) => (next: string) => setRank(index, { [key]: next });
          return (
            <Box key={index} data-testid="plan-rank" display="flex" flexDirection="column" gap={3} padding={4} borderRadius={4} borderStyle="solid" borderWidth={1} borderColor="default1">
              <Box display="flex" justifyContent="space-between" alignItems="center">
                <Text size={4} fontWeight="bold">
                  {t("plan.rank", { n: index + 1 })}
                  {rank.name || rank.code ? `: ${rank.name || rank.code}` : ""}
                </Text>
                {!readOnly && (
                  <Box display="flex" gap={1}>
                    <Button variant="tertiary" size="small" disabled={index === 0} onClick={() => moveRank(index, -1)} title={t("plan.moveUp")}>
                      ↑
                    </Button>
                    <Button variant="tertiary" size="small" disabled={index === value.ranks.length - 1} onClick={() => moveRank(index, 1)} title={t("plan.moveDown")}>
                      ↓
                    </Button>
                    <Button variant="tertiary" size="small" onClick={() => onChange({ ...value, ranks: value.ranks.filter((_, position) => position !== index) })}>
                      {t("common.remove")}
                    </Button>
                  </Box>
                )}
              </Box>
              <Box {...grid}>
                {field(`${path}.code`, t("plan.rank.code"), rank.code, set("code"))}
                {field(`${path}.name`, t("plan.rank.name"), rank.name, set("name"))}
                {field(`${path}.min_pv`, t("plan.rank.minPv"), rank.min_pv, set("min_pv"))}
                {field(`${path}.min_gv`, t("plan.rank.minGv"), rank.min_gv, set("min_gv"))}
                {field(`${path}.max_leg_share`, t("plan.rank.maxLegShare"), rank.max_leg_share, set("max_leg_share"))}
                {field(`${path}.min_ov`, t("plan.rank.minOv"), rank.min_ov, set("min_ov"))}
                {field(`${path}.min_legs.count`, t("plan.rank.minLegsCount"), rank.min_legs_count, set("min_legs_count"))}
                {field(`${path}.min_legs.rank`, t("plan.rank.minLegsRank"), rank.min_legs_rank, set("min_legs_rank"))}
                {field(`${path}.difference_rate`, t("plan.rank.differenceRate"), rank.difference_rate, set("difference_rate"))}
                {field(`${path}.level_depth`, t("plan.rank.levelDepth"), rank.level_depth, set("level_depth"))}
                {field(`${path}.generation_depth`, t("plan.rank.generationDepth"), rank.generation_depth, set("generation_depth"))}
                {field(`${path}.advancement_bonus`, t("plan.rank.advancementBonus"), rank.advancement_bonus, set("advancement_bonus"))}
              </Box>
            </Box>
          );
        })}
      </Section>
    </>
  );
}
