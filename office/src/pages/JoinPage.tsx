import { Box, Button, Text } from "@saleor/macaw-ui";
import { useEffect, useState, type FormEvent } from "react";

import { useOffice, useQuery } from "../app/context";
import { useRouter } from "../app/router";
import type { AccountError } from "../app/session";
import { Card, ErrorMessage, Loading } from "../components/Feedback";
import { TAX_FIELDS, TaxProfileFields, type TaxForm } from "../components/TaxProfileFields";
import { TextField } from "../components/TextField";
import type { MessageKey, Translate } from "../i18n";

/**
 * Online registration at `/office/join/<code>` (docs/office.md, "Registration"): a visitor
 * becomes a partner under the sponsor whose referral code is in the address. Three steps on
 * one page: the sponsor (checked with `referralCodeValidate`), the shop account (signed in
 * with Saleor's `tokenCreate`, or created with `accountRegister` first) and the registration
 * (`partnerRegister`: personal and tax data, the partner terms accepted). Errors stand at
 * their fields; with the merchant's approval required the visitor is told it waits.
 */
export const JOIN_INFO = `query OfficeJoinInfo($language: LanguageCodeEnum) {
  partnerTerms(languageCode: $language) { version language text publishedAt }
}`;
const CODE_CHECK = `mutation OfficeJoinCode($code: String!) { referralCodeValidate(code: $code) { valid sponsorName errors { field code message } } }`;
const VIEWER = `query OfficeJoinViewer { me { partner { id } } myPartnerRegistration { status } }`;
export const REGISTER = `mutation OfficeJoinRegister($input: PartnerRegisterInput!) {
  partnerRegister(input: $input) { errors { field code message } registration { status } partner { id } }
}`;

const NAME_FIELDS: Array<{ name: "firstName" | "lastName"; label: MessageKey; autoComplete: string }> = [
  { name: "firstName", label: "join.firstName", autoComplete: "given-name" },
  { name: "lastName", label: "join.lastName", autoComplete: "family-name" },
];

interface Details extends TaxForm {
  firstName: string;
  lastName: string;
}
interface Terms {
  version: number;
  language: string;
  text: string;
  publishedAt: string;
}
type Errors = Record<string, string>;

/** Saleor's account errors in the visitor's language, by code (Saleor's own messages are English). */
function accountMessage(t: Translate, error: AccountError): string {
  const known: Record<string, MessageKey> = {
    INVALID: "join.account.INVALID",
    INVALID_CREDENTIALS: "join.account.INVALID_CREDENTIALS",
    ACCOUNT_NOT_CONFIRMED: "join.account.ACCOUNT_NOT_CONFIRMED",
    PASSWORD_TOO_SHORT: "join.account.PASSWORD_TOO_SHORT",
    PASSWORD_TOO_COMMON: "join.account.PASSWORD_TOO_COMMON",
    PASSWORD_ENTIRELY_NUMERIC: "join.account.PASSWORD_ENTIRELY_NUMERIC",
    PASSWORD_TOO_SIMILAR: "join.account.PASSWORD_TOO_SIMILAR",
  };
  return known[error.code] ? t(known[error.code]) : error.message || error.code;
}

interface ApiError {
  field: string | null;
  code: string;
  message: string;
}

function byField(errors: ApiError[]): Errors {
  const found: Errors = {};
  for (const error of errors) found[error.field ?? "form"] ??= error.message;
  return found;
}

/** The shop account: sign in, or create one and sign in with it. */
function AccountStep({ onSignedIn }: { onSignedIn(names: { firstName: string; lastName: string }): void }) {
  const { session, t, prefs } = useOffice();
  const [mode, setMode] = useState<"create" | "signIn">("create");
  const [values, setValues] = useState({ firstName: "", lastName: "", email: "", password: "" });
  const [errors, setErrors] = useState<Errors>({});
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (name: keyof typeof values) => (value: string) => setValues({ ...values, [name]: value });
  const channel = new URLSearchParams(window.location.search).get("channel");

  // Back from the link of Saleor's confirmation e-mail (`?email=…&token=…`): confirm, then sign in.
  useEffect(() => {
    const params = new URLSearchParams(window.location.search);
    const email = params.get("email");
    const token = params.get("token");
    if (!email || !token) return;
    params.delete("email");
    params.delete("token");
    const search = params.toString();
    window.history.replaceState(window.history.state, "", `${window.location.pathname}${search ? `?${search}` : ""}`);
    setMode("signIn");
    setValues((current) => ({ ...current, email }));
    session
      .confirmAccount(email, token)
      .then((errors) => (errors.length ? setErrors({ form: accountMessage(t, errors[0]) }) : setNotice(t("join.confirmed"))))
      .catch((error: Error) => setErrors({ form: t("signIn.unreachable", { message: error.message }) }));
  }, [session, t]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setNotice(null);
    try {
      const email = values.email.trim();
      if (mode === "create") {
        const created = await session.registerAccount({
          email,
          password: values.password,
          firstName: values.firstName.trim(),
          lastName: values.lastName.trim(),
          languageCode: prefs.locale.toUpperCase(),
          redirectUrl: window.location.href.split("?")[0],
          // A shop with several channels names the one to write from in the link (`?channel=<slug>`).
          ...(channel ? { channel } : {}),
        });
        if (!created.ok) {
          // Errors of fields the form has stand there; others (a channel the shop needs ...) above the button.
          const shown = ["firstName", "lastName", "email", "password"];
          setErrors(Object.fromEntries(created.errors.map((error) => [error.field && shown.includes(error.field) ? error.field : "form", accountMessage(t, error)])));
          return;
        }
        if (created.requiresConfirmation) {
          setMode("signIn");
          setNotice(t("join.confirmEmail", { email }));
          return;
        }
      }
      const signedIn = await session.passwordSignIn(email, values.password);
      if (signedIn.ok) {
        onSignedIn({ firstName: values.firstName.trim(), lastName: values.lastName.trim() });
        return;
      }
      if (signedIn.reason === "failed") {
        // A new account whose e-mail had one already: Saleor does not say so, the password tells.
        setErrors({ password: mode === "create" ? t("join.accountExists") : accountMessage(t, signedIn.error ?? { field: "email", code: "INVALID_CREDENTIALS", message: "" }) });
      } else {
        setErrors({ form: t("signIn.unreachable", { message: signedIn.message ?? "" }) });
      }
    } catch (error) {
      setErrors({ form: t("signIn.unreachable", { message: (error as Error).message }) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t("join.accountTitle")} testId="join-account">
      <Box role="group" aria-label={t("join.accountTitle")} display="flex" gap={2} flexWrap="wrap">
        {(["create", "signIn"] as const).map((option) => (
          <Button
            key={option}
            type="button"
            size="small"
            variant={mode === option ? "primary" : "secondary"}
            aria-pressed={mode === option}
            data-testid={`join-mode-${option}`}
            onClick={() => {
              setMode(option);
              setErrors({});
            }}
          >
            {t(option === "create" ? "join.modeCreate" : "join.modeSignIn")}
          </Button>
        ))}
      </Box>
      {notice && (
        <Text size={3} role="status" data-testid="join-notice">
          {notice}
        </Text>
      )}
      <Box as="form" onSubmit={submit} display="flex" flexDirection="column" gap={3} noValidate data-testid="join-account-form">
        {mode === "create" && (
          <>
            <TextField name="firstName" label={t("join.firstName")} value={values.firstName} autoComplete="given-name" onChange={set("firstName")} error={errors.firstName} testId="join-account-firstName" />
            <TextField name="lastName" label={t("join.lastName")} value={values.lastName} autoComplete="family-name" onChange={set("lastName")} error={errors.lastName} testId="join-account-lastName" />
          </>
        )}
        <TextField name="email" type="email" label={t("signIn.email")} value={values.email} autoComplete="username" onChange={set("email")} error={errors.email} testId="join-account-email" />
        <TextField
          name="password"
          type="password"
          label={t("signIn.password")}
          value={values.password}
          autoComplete={mode === "create" ? "new-password" : "current-password"}
          onChange={set("password")}
          error={errors.password}
          testId="join-account-password"
        />
        {errors.form && (
          <Text size={3} color="critical1" role="alert" data-testid="join-account-error">
            {errors.form}
          </Text>
        )}
        <Button type="submit" disabled={busy || !values.email.trim() || !values.password} data-testid="join-account-submit">
          {busy ? t("signIn.busy") : t(mode === "create" ? "join.create" : "signIn.submit")}
        </Button>
      </Box>
    </Card>
  );
}

/** Personal and tax data, the terms, and the registration itself. */
// The fields the form shows errors at; any other error stands above the button.
const SHOWN = new Set<string>([...NAME_FIELDS.map((field) => field.name), ...TAX_FIELDS.map((field) => field.name), "taxStatus", "acceptTerms", "termsVersion", "email", "sponsorReferralCode"]);

function DetailsStep({ code, terms, names, onDone, onCodeError, onTermsChanged }: StepProps & { onDone(status: string): void }) {
  const { client, session, t, prefs } = useOffice();
  const [form, setForm] = useState<Details>(() => ({
    firstName: names.firstName,
    lastName: names.lastName,
    legalName: `${names.firstName} ${names.lastName}`.trim(),
    street: "",
    postalCode: "",
    city: "",
    country: prefs.locale === "de" ? "DE" : "",
    taxNumber: "",
    vatId: "",
    taxStatus: "PRIVATE",
  }));
  const [accepted, setAccepted] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Error | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      const answer = await client.request<{ partnerRegister: { errors: ApiError[]; registration: { status: string } | null } }>(REGISTER, {
        input: {
          ...form,
          country: form.country.trim().toUpperCase(),
          sponsorReferralCode: code,
          language: prefs.locale,
          termsVersion: terms.version,
          acceptTerms: accepted,
        },
      });
      const result = answer.partnerRegister;
      const found = byField(result.errors);
      setErrors(found);
      onCodeError(found.sponsorReferralCode ?? null);
      if (result.errors.some((error) => error.code === "TERMS_OUTDATED")) onTermsChanged();
      if (!result.errors.length && result.registration) onDone(result.registration.status);
    } catch (error) {
      setFailure(error as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box as="form" onSubmit={submit} display="flex" flexDirection="column" gap={4} noValidate data-testid="join-form">
      <Card title={t("join.signedInTitle")} testId="join-signed-in">
        <Text size={3} className="wrap-anywhere" data-testid="join-email">
          {t("join.signedInAs", { email: session.getState().email })}
        </Text>
        {errors.email && (
          <Text size={3} color="critical1" role="alert" data-testid="join-email-error">
            {errors.email}
          </Text>
        )}
        <Box>
          <Button type="button" size="small" variant="tertiary" onClick={() => session.signOut()} data-testid="join-sign-out">
            {t("join.notYou")}
          </Button>
        </Box>
      </Card>
      <Card title={t("join.detailsTitle")} testId="join-details">
        <Text size={2} color="default2">
          {t("join.detailsIntro")}
        </Text>
        {NAME_FIELDS.map((field) => (
          <TextField
            key={field.name}
            name={field.name}
            label={t(field.label)}
            value={form[field.name]}
            autoComplete={field.autoComplete}
            error={errors[field.name]}
            onChange={(value) => setForm({ ...form, [field.name]: value })}
            testId={`join-${field.name}`}
          />
        ))}
        <TaxProfileFields form={form} errors={errors} onChange={(tax) => setForm({ ...form, ...tax })} prefix="join" />
      </Card>
      <Card title={t("join.termsTitle", { version: terms.version })} testId="join-terms">
        <Box
          as="section"
          tabIndex={0}
          aria-label={t("join.termsTitle", { version: terms.version })}
          lang={terms.language}
          __maxHeight="240px"
          overflowY="auto"
          padding={3}
          borderRadius={3}
          borderStyle="solid"
          borderWidth={1}
          borderColor="default1"
          data-testid="join-terms-text"
        >
          <Text size={2} className="terms-text">
            {terms.text}
          </Text>
        </Box>
        <Box as="label" display="flex" alignItems="flex-start" gap={2}>
          <input
            type="checkbox"
            checked={accepted}
            onChange={(event) => setAccepted(event.target.checked)}
            aria-invalid={Boolean(errors.acceptTerms)}
            aria-describedby={errors.acceptTerms ? "join-acceptTerms-error" : undefined}
            data-testid="join-accept"
          />
          <Text size={3}>{t("join.accept", { version: terms.version })}</Text>
        </Box>
        {(errors.acceptTerms || errors.termsVersion) && (
          <Text size={2} color="critical1" id="join-acceptTerms-error" data-testid="join-acceptTerms-error">
            {errors.acceptTerms ?? errors.termsVersion}
          </Text>
        )}
      </Card>
      {Object.keys(errors).some((field) => !SHOWN.has(field)) && (
        <Text size={3} color="critical1" role="alert" data-testid="join-form-error">
          {Object.entries(errors)
            .filter(([field]) => !SHOWN.has(field))
            .map(([, message]) => message)
            .join(" ")}
        </Text>
      )}
      {failure && <ErrorMessage error={failure} />}
      <Button type="submit" disabled={busy} data-testid="join-submit">
        {busy ? t("join.sending") : t("join.submit")}
      </Button>
    </Box>
  );
}

function OpenOffice() {
  const { t } = useOffice();
  const { navigate } = useRouter();
  return (
    <Box>
      <Button onClick={() => navigate({ name: "home" })} data-testid="join-open-office">
        {t("join.openOffice")}
      </Button>
    </Box>
  );
}

/** The outcome: a partner now, waiting for the merchant's approval, or not approved. */
export function JoinOutcome({ status }: { status: string }) {
  const { t } = useOffice();
  if (status === "PENDING") {
    return (
      <Card title={t("join.pendingTitle")} testId="join-pending">
        <Text size={3} role="status">
          {t("join.pending")}
        </Text>
      </Card>
    );
  }
  if (status === "REJECTED") {
    return (
      <Card title={t("join.rejectedTitle")} testId="join-rejected">
        <Text size={3}>{t("join.rejected")}</Text>
      </Card>
    );
  }
  return (
    <Card title={t("join.welcomeTitle")} testId="join-welcome">
      <Text size={3} role="status">
        {t("join.welcome")}
      </Text>
      <OpenOffice />
    </Card>
  );
}

interface StepProps {
  code: string;
  terms: Terms;
  names: { firstName: string; lastName: string };
  /** An error of the sponsor's code: shown at the code, above. */
  onCodeError(message: string | null): void;
  /** The merchant published new terms meanwhile: read them again. */
  onTermsChanged(): void;
}

/** Where a signed-in visitor stands: a partner already, waiting, or about to register. */
function SignedIn(props: StepProps) {
  const { t } = useOffice();
  const { data, error, loading, reload } = useQuery<{ me: { partner: { id: string } | null } | null; myPartnerRegistration: { status: string } | null }>(VIEWER);
  const [done, setDone] = useState<string | null>(null);
  if (done) return <JoinOutcome status={done} />;
  if (error) return <ErrorMessage error={error} onRetry={reload} />;
  if (loading && !data) return <Loading />;
  if (data?.me?.partner) {
    return (
      <Card title={t("join.alreadyTitle")} testId="join-already">
        <Text size={3}>{t("join.already")}</Text>
        <OpenOffice />
      </Card>
    );
  }
  if (data?.myPartnerRegistration?.status === "PENDING") return <JoinOutcome status="PENDING" />;
  return <DetailsStep {...props} onDone={setDone} />;
}

export function JoinPage({ code }: { code: string }) {
  const { t, client, session, prefs } = useOffice();
  const [signedIn, setSignedIn] = useState(Boolean(session.getState().token));
  const [names, setNames] = useState({ firstName: "", lastName: "" });
  const [sponsor, setSponsor] = useState<{ valid: boolean; name: string | null } | null>(null);
  const [sponsorError, setSponsorError] = useState<Error | null>(null);
  const [codeError, setCodeError] = useState<string | null>(null);
  const info = useQuery<{ partnerTerms: Terms | null }>(JOIN_INFO, { language: prefs.locale.toUpperCase() });

  useEffect(() => session.subscribe((state) => setSignedIn(Boolean(state.token))), [session]);
  useEffect(() => {
    let current = true;
    client
      .request<{ referralCodeValidate: { valid: boolean; sponsorName: string | null; errors: Array<{ message: string }> } }>(CODE_CHECK, { code })
      .then((answer) => {
        if (!current) return;
        const result = answer.referralCodeValidate;
        if (result.errors.length) setSponsorError(new Error(result.errors[0].message));
        else setSponsor({ valid: result.valid, name: result.sponsorName });
      })
      .catch((error: Error) => current && setSponsorError(error));
    return () => {
      current = false;
    };
  }, [client, code]);

  let body;
  if (sponsorError) body = <ErrorMessage error={sponsorError} />;
  else if (info.error) body = <ErrorMessage error={info.error} onRetry={info.reload} />;
  else if (!sponsor || (info.loading && !info.data)) body = <Loading />;
  else if (!sponsor.valid) {
    body = (
      <Text size={3} color="critical1" role="alert" data-testid="join-code-error">
        {t("join.unknownCode", { code })}
      </Text>
    );
  } else if (!info.data?.partnerTerms) {
    body = (
      <Text size={3} data-testid="join-closed">
        {t("join.closed")}
      </Text>
    );
  } else if (!signedIn) {
    body = (
      <AccountStep
        onSignedIn={(given) => {
          setNames(given);
          setSignedIn(true);
        }}
      />
    );
  } else {
    body = <SignedIn code={code} terms={info.data.partnerTerms} names={names} onCodeError={setCodeError} onTermsChanged={info.reload} />;
  }

  return (
    <Box display="flex" justifyContent="center">
      <Box __maxWidth="560px" width="100%" display="flex" flexDirection="column" gap={4} data-testid="join">
        <Text as="h1" size={8} fontWeight="bold" data-testid="page-title">
          {t("join.title")}
        </Text>
        <Card testId="join-sponsor">
          <Text size={3} data-testid="join-code" data-code={code}>
            {sponsor?.valid ? t("join.sponsor", { name: sponsor.name ?? code, code }) : t("join.code", { code })}
          </Text>
          {codeError && (
            <Text size={3} color="critical1" role="alert" data-testid="join-sponsor-error">
              {codeError}
            </Text>
          )}
        </Card>
        {body}
      </Box>
    </Box>
  );
}
