import { Box, Button, Text } from "@saleor/macaw-ui";
import { useEffect, useState, type FormEvent } from "react";

import { useOffice, useQuery } from "../app/context";
import { Card, ErrorMessage, Loading } from "../components/Feedback";
import { TextField } from "../components/TextField";
import type { MessageKey } from "../i18n";

export const PAYOUT_PROFILE = `query OfficePayoutProfile {
  myPayoutProfile { method accountHolder ibanMasked bic bankChangePending stripeAccount { payoutsEnabled detailsSubmitted } }
}`;

export const PAYOUT_PROFILE_UPDATE = `mutation OfficePayoutProfileUpdate($input: PayoutProfileInput!) {
  myPayoutProfileUpdate(input: $input) { errors { field code message } payoutProfile { method ibanMasked bankChangePending } }
}`;

export const PAYOUT_ACCOUNT_LINK = `mutation OfficePayoutAccountLink($refreshUrl: String!, $returnUrl: String!) {
  payoutAccountLink(refreshUrl: $refreshUrl, returnUrl: $returnUrl) { errors { field code message } url }
}`;

type Method = "NONE" | "SEPA" | "STRIPE";

interface PayoutProfile {
  method: Method;
  accountHolder: string;
  ibanMasked: string;
  bic: string;
  bankChangePending: boolean;
  stripeAccount: { payoutsEnabled: boolean; detailsSubmitted: boolean } | null;
}

const FIELDS: Array<{ name: "accountHolder" | "iban" | "bic"; label: MessageKey; autoComplete?: string }> = [
  { name: "accountHolder", label: "payout.accountHolder", autoComplete: "name" },
  { name: "iban", label: "payout.iban" },
  { name: "bic", label: "payout.bic" },
];

type Errors = Record<string, string>;

/** SEPA: the account holder, the IBAN (never shown again: only masked) and the BIC. */
function BankAccountForm({ profile, onSaved }: { profile: PayoutProfile | null; onSaved(pending: boolean): void }) {
  const { t, client } = useOffice();
  // The BIC is not carried over: a new IBAN may be another bank's (the app fills it in from the IBAN where it knows the bank).
  const [form, setForm] = useState({ accountHolder: profile?.accountHolder ?? "", iban: "", bic: "" });
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Error | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      const answer = await client.request<{ myPayoutProfileUpdate: { errors: Array<{ field: string | null; message: string }>; payoutProfile: { bankChangePending: boolean } | null } }>(
        PAYOUT_PROFILE_UPDATE,
        { input: { method: "SEPA", accountHolder: form.accountHolder, iban: form.iban, bic: form.bic || null } },
      );
      const result = answer.myPayoutProfileUpdate;
      setErrors(Object.fromEntries(result.errors.map((error) => [error.field ?? "form", error.message])));
      if (!result.errors.length && result.payoutProfile) {
        setForm((previous) => ({ ...previous, iban: "" }));
        onSaved(result.payoutProfile.bankChangePending);
      }
    } catch (error) {
      setFailure(error as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box as="form" onSubmit={submit} display="flex" flexDirection="column" gap={3} data-testid="payout-form" noValidate>
      {FIELDS.map((field) => (
        <TextField
          key={field.name}
          name={field.name}
          label={t(field.label)}
          value={form[field.name]}
          autoComplete={field.autoComplete ?? "off"}
          error={errors[field.name]}
          onChange={(value) => setForm({ ...form, [field.name]: value })}
          testId={`payout-${field.name}`}
        />
      ))}
      {profile?.ibanMasked && (
        <Text size={2} color="default2">
          {t("payout.ibanHint")}
        </Text>
      )}
      {(errors.form || errors.method) && (
        <Text size={3} color="critical1" role="alert" data-testid="payout-form-error">
          {errors.form ?? errors.method}
        </Text>
      )}
      {failure && <ErrorMessage error={failure} />}
      <Button type="submit" disabled={busy} data-testid="payout-save">
        {busy ? t("profile.saving") : t("payout.save")}
      </Button>
    </Box>
  );
}

/** Stripe: a fresh onboarding link for the partner's Express account, opened at once (it expires in minutes). */
function StripeOnboarding({ profile }: { profile: PayoutProfile | null }) {
  const { t, client } = useOffice();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const account = profile?.stripeAccount;
  const start = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const here = window.location.href;
      const answer = await client.request<{ payoutAccountLink: { errors: Array<{ message: string }>; url: string | null } }>(PAYOUT_ACCOUNT_LINK, { refreshUrl: here, returnUrl: here });
      const result = answer.payoutAccountLink;
      if (result.errors.length || !result.url) setProblem(result.errors.map((error) => error.message).join(" ") || t("payout.stripeFailed"));
      else window.location.assign(result.url);
    } catch (error) {
      setProblem((error as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Box display="flex" flexDirection="column" gap={2} data-testid="payout-stripe">
      <Text size={3} data-testid="payout-stripe-status">
        {account ? t(account.payoutsEnabled ? "payout.stripeReady" : "payout.stripePending") : t("payout.stripeIntro")}
      </Text>
      <Button variant="secondary" onClick={start} disabled={busy} data-testid="payout-stripe-link">
        {t(account ? "payout.stripeContinue" : "payout.stripeStart")}
      </Button>
      {problem && (
        <Text size={3} color="critical1" role="alert" data-testid="payout-stripe-error">
          {problem}
        </Text>
      )}
    </Box>
  );
}

/** How the partner is paid: the method, the bank account (masked) or the Stripe onboarding. */
export function PayoutCard() {
  const { t } = useOffice();
  const { data, error, loading, reload } = useQuery<{ myPayoutProfile: PayoutProfile | null }>(PAYOUT_PROFILE);
  const profile = data?.myPayoutProfile ?? null;
  const [method, setMethod] = useState<Method>("SEPA");
  const [saved, setSaved] = useState<"saved" | "held" | null>(null);
  useEffect(() => {
    if (profile && profile.method !== "NONE") setMethod(profile.method);
  }, [profile]);

  return (
    <Card title={t("payout.title")} testId="payout">
      {error && <ErrorMessage error={error} onRetry={reload} />}
      {loading && !data && <Loading />}
      {data && (
        <>
          <Text size={3} data-testid="payout-current" data-method={profile?.method ?? "NONE"}>
            {profile?.method === "SEPA"
              ? t("payout.currentSepa", { iban: profile.ibanMasked, holder: profile.accountHolder })
              : profile?.method === "STRIPE"
                ? t("payout.currentStripe")
                : t("payout.currentNone")}
          </Text>
          {(profile?.bankChangePending || saved === "held") && (
            <Text size={3} fontWeight="bold" role="status" data-testid="payout-held">
              {t("payout.held")}
            </Text>
          )}
          {saved === "saved" && (
            <Text size={3} color="success1" role="status" data-testid="payout-saved">
              {t("payout.saved")}
            </Text>
          )}
          <Box as="fieldset" display="flex" flexDirection="column" gap={1} borderWidth={0} padding={0} margin={0}>
            <Box as="legend" padding={0} marginBottom={1}>
              <Text size={3} fontWeight="medium">
                {t("payout.method")}
              </Text>
            </Box>
            {(["SEPA", "STRIPE"] as const).map((choice) => (
              <Box as="label" key={choice} display="flex" alignItems="center" gap={2}>
                <input type="radio" name="payoutMethod" value={choice} checked={method === choice} onChange={() => setMethod(choice)} data-testid={`payout-method-${choice}`} />
                <Text size={3}>{t(`payout.method.${choice}` as MessageKey)}</Text>
              </Box>
            ))}
          </Box>
          {method === "SEPA" ? (
            <BankAccountForm
              key={profile?.ibanMasked ?? "none"}
              profile={profile}
              onSaved={(pending) => {
                setSaved(pending ? "held" : "saved");
                reload();
              }}
            />
          ) : (
            <StripeOnboarding profile={profile} />
          )}
        </>
      )}
    </Card>
  );
}
