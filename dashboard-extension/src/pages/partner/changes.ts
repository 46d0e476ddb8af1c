/** A line of text for one entry of a partner's history (NetworkChange old/new values). */
import type { Formatters, Translate } from "../../app/i18n";

type Ref = { name?: string; referral_code?: string } | null | undefined;
type Care = { care_partner?: Ref; share?: string | null } | null | undefined;
type Values = Record<string, unknown> | null | undefined;

const name = (ref: Ref, t: Translate) => (ref ? ref.name || ref.referral_code || "?" : t("common.none"));

function care(value: Care, t: Translate, format: Formatters): string {
  if (!value) return t("common.none");
  const share = value.share !== null && value.share !== undefined ? ` (${format.percent(value.share)})` : "";
  return name(value.care_partner, t) + share;
}

export function describeChange(kind: string, oldValue: Values, newValue: Values, t: Translate, format: Formatters): string {
  switch (kind) {
    case "SPONSOR":
      return `${name(oldValue?.sponsor as Ref, t)} → ${name(newValue?.sponsor as Ref, t)}`;
    case "CARE":
      return `${care(oldValue?.care as Care, t, format)} → ${care(newValue?.care as Care, t, format)}`;
    case "STATUS": {
      const label = (status: unknown) => (status ? t(`status.${String(status).toUpperCase()}` as "status.ACTIVE") : t("common.none"));
      return `${label(oldValue?.status)} → ${label(newValue?.status)}`;
    }
    case "SPLIT_AGREEMENT": {
      const agreement = newValue?.agreement as { share?: string } | null;
      return agreement?.share ? format.percent(agreement.share) : t("common.none");
    }
    case "CREATED":
      return newValue?.sponsor ? `${t("partner.sponsor")}: ${name(newValue.sponsor as Ref, t)}` : "";
    default:
      return "";
  }
}
