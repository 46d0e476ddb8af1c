import { Box, Button, Text } from "@saleor/macaw-ui";
import { useEffect, useState, type FormEvent } from "react";

import { useOffice, useQuery } from "../app/context";
import { Card, ErrorMessage, Loading } from "../components/Feedback";
import { PrefsControls } from "../components/Layout";
import { TaxProfileFields, type TaxForm } from "../components/TaxProfileFields";
import { NotificationsCard } from "./NotificationsCard";
import { PayoutCard } from "./PayoutCard";

export const PROFILE = `query OfficeProfile {
  me { partner { id displayName email referralCode country enrolledAt taxProfileLockedAt
    taxProfile { legalName street postalCode city country taxNumber vatId taxStatus validFrom }
  } }
}`;

export const TAX_PROFILE_UPDATE = `mutation OfficeTaxProfile($input: TaxProfileInput!) {
  myTaxProfileUpdate(input: $input) { errors { field code message } taxProfile { validFrom } }
}`;

interface ProfileData {
  displayName: string;
  email: string | null;
  referralCode: string;
  country: string | null;
  enrolledAt: string | null;
  taxProfileLockedAt: string | null;
  taxProfile: (TaxForm & { validFrom: string }) | null;
}

const EMPTY: TaxForm = { legalName: "", street: "", postalCode: "", city: "", country: "", taxNumber: "", vatId: "", taxStatus: "PRIVATE" };

/** The tax profile form: every field of `myTaxProfileUpdate`, errors at their fields. */
function TaxProfileForm({ profile, locked, onSaved }: { profile: ProfileData["taxProfile"]; locked: boolean; onSaved(): void }) {
  const { t, format, client } = useOffice();
  const [form, setForm] = useState<TaxForm>(() => (profile ? { ...EMPTY, ...profile } : { ...EMPTY }));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [failure, setFailure] = useState<Error | null>(null);
  useEffect(() => setForm(profile ? { ...EMPTY, ...profile } : { ...EMPTY }), [profile]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setSaved(null);
    setFailure(null);
    try {
      const { validFrom: _ignored, ...input } = form as TaxForm & { validFrom?: string };
      const answer = await client.request<{ myTaxProfileUpdate: { errors: Array<{ field: string | null; message: string }>; taxProfile: { validFrom: string } | null } }>(TAX_PROFILE_UPDATE, {
        input: { ...input, country: input.country.trim().toUpperCase() },
      });
      const result = answer.myTaxProfileUpdate;
      setErrors(Object.fromEntries(result.errors.map((error) => [error.field ?? "form", error.message])));
      if (!result.errors.length && result.taxProfile) {
        setSaved(t("profile.saved", { date: format.date(result.taxProfile.validFrom) }));
        onSaved();
      }
    } catch (error) {
      setFailure(error as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box as="form" onSubmit={submit} display="flex" flexDirection="column" gap={3} data-testid="tax-form" noValidate>
      <TaxProfileFields form={form} errors={errors} onChange={setForm} prefix="tax" disabled={locked} />
      {(errors.form || errors.taxProfile || errors.validFrom) && (
        <Text size={3} color="critical1" role="alert" data-testid="tax-form-error">
          {errors.form ?? errors.taxProfile ?? errors.validFrom}
        </Text>
      )}
      {failure && <ErrorMessage error={failure} />}
      {saved && (
        <Text size={3} color="success1" role="status" data-testid="tax-saved">
          {saved}
        </Text>
      )}
      {!locked && (
        <Button type="submit" disabled={busy} data-testid="tax-save">
          {busy ? t("profile.saving") : t("profile.save")}
        </Button>
      )}
    </Box>
  );
}

/** The partner's own data: personal (from the shop account), tax profile, payout method, e-mail notifications, language and theme. */
export function ProfilePage() {
  const { t, format } = useOffice();
  const { data, error, loading, reload } = useQuery<{ me: { partner: ProfileData } }>(PROFILE);
  if (error) return <ErrorMessage error={error} onRetry={reload} />;
  if (loading && !data) return <Loading />;
  if (!data) return null;
  const partner = data.me.partner;
  const locked = Boolean(partner.taxProfileLockedAt);
  return (
    <Box display="flex" flexDirection="column" gap={4} data-testid="profile">
      <Text as="h1" size={8} fontWeight="bold" data-testid="page-title">
        {t("profile.title")}
      </Text>
      <Card title={t("profile.personal")} testId="personal">
        <Box as="dl" display="grid" __gridTemplateColumns="minmax(0, 10rem) minmax(0, 1fr)" gap={2} margin={0}>
          {[
            [t("profile.name"), partner.displayName],
            [t("profile.email"), partner.email ?? "—"],
            [t("profile.code"), partner.referralCode],
            [t("profile.country"), partner.country ?? "—"],
            [t("profile.enrolled"), format.date(partner.enrolledAt)],
          ].map(([label, value]) => (
            <Box key={label} display="contents">
              <Box as="dt">
                <Text size={3} color="default2">
                  {label}
                </Text>
              </Box>
              <Box as="dd" margin={0} className="wrap-anywhere">
                <Text size={3}>{value}</Text>
              </Box>
            </Box>
          ))}
        </Box>
        <Text size={2} color="default2">
          {t("profile.personalNote")}
        </Text>
      </Card>
      <Card title={t("profile.tax")} testId="tax-profile">
        {partner.taxProfile ? (
          <Text size={2} color="default2" data-testid="tax-valid-from">
            {t("profile.validFrom", { date: format.date(partner.taxProfile.validFrom) })}
          </Text>
        ) : (
          <Text size={3}>{t("profile.none")}</Text>
        )}
        {locked && (
          <Text size={3} data-testid="tax-locked">
            {t("profile.taxLocked", { date: format.date(partner.taxProfileLockedAt) })}
          </Text>
        )}
        <TaxProfileForm profile={partner.taxProfile} locked={locked} onSaved={reload} />
      </Card>
      <PayoutCard />
      <NotificationsCard />
      <Card title={t("profile.preferences")} testId="preferences">
        <PrefsControls />
        <Text size={2} color="default2">
          {t("profile.preferencesNote")}
        </Text>
      </Card>
    </Box>
  );
}
