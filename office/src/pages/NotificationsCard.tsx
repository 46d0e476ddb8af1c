import { Box, Button, Text } from "@saleor/macaw-ui";
import { useEffect, useState, type FormEvent } from "react";

import { useOffice, useQuery } from "../app/context";
import { Card, ErrorMessage, Loading } from "../components/Feedback";
import { LOCALES, languageName, type MessageKey } from "../i18n";

export const NOTIFICATION_SETTINGS = `query OfficeNotificationSettings {
  myNotificationSettings { language kinds { kind enabled } }
}`;

export const NOTIFICATION_SETTINGS_UPDATE = `mutation OfficeNotificationSettingsUpdate($input: NotificationSettingsInput!) {
  myNotificationSettingsUpdate(input: $input) { errors { field code message } notificationSettings { language kinds { kind enabled } } }
}`;

export const NOTIFICATION_KINDS = ["NEW_PARTNER", "NEW_CUSTOMER", "RANK_REACHED", "STATEMENT_READY", "PAYOUT_SENT", "PAYOUT_RETURNED"] as const;
type Kind = (typeof NOTIFICATION_KINDS)[number];

interface Settings {
  language: string;
  kinds: Array<{ kind: Kind; enabled: boolean }>;
}

interface Form {
  language: string;
  enabled: Record<Kind, boolean>;
}

function formOf(settings: Settings): Form {
  const enabled = Object.fromEntries(NOTIFICATION_KINDS.map((kind) => [kind, true])) as Record<Kind, boolean>;
  for (const item of settings.kinds) enabled[item.kind] = item.enabled;
  return { language: settings.language, enabled };
}

/** Which e-mails the partner gets, and their language: one switch per kind, saved together. */
export function NotificationsCard() {
  const { t, client } = useOffice();
  const { data, error, loading, reload } = useQuery<{ myNotificationSettings: Settings | null }>(NOTIFICATION_SETTINGS);
  const settings = data?.myNotificationSettings ?? null;
  const [form, setForm] = useState<Form | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => setForm(settings ? formOf(settings) : null), [settings]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!form) return;
    setBusy(true);
    setSaved(false);
    setProblem(null);
    try {
      const answer = await client.request<{ myNotificationSettingsUpdate: { errors: Array<{ message: string }>; notificationSettings: Settings | null } }>(
        NOTIFICATION_SETTINGS_UPDATE,
        { input: { language: form.language, kinds: NOTIFICATION_KINDS.map((kind) => ({ kind, enabled: form.enabled[kind] })) } },
      );
      const result = answer.myNotificationSettingsUpdate;
      if (result.errors.length || !result.notificationSettings) setProblem(result.errors.map((item) => item.message).join(" "));
      else {
        setForm(formOf(result.notificationSettings));
        setSaved(true);
      }
    } catch (failure) {
      setProblem((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t("notifications.title")} testId="notifications">
      {error && <ErrorMessage error={error} onRetry={reload} />}
      {loading && !data && <Loading />}
      {form && (
        <Box as="form" onSubmit={submit} display="flex" flexDirection="column" gap={3} data-testid="notifications-form" noValidate>
          <Text size={2} color="default2">
            {t("notifications.intro")}
          </Text>
          <Box as="fieldset" display="flex" flexDirection="column" gap={1} borderWidth={0} padding={0} margin={0}>
            <Box as="legend" padding={0} marginBottom={1}>
              <Text size={3} fontWeight="medium">
                {t("notifications.kinds")}
              </Text>
            </Box>
            {NOTIFICATION_KINDS.map((kind) => (
              <Box as="label" key={kind} display="flex" alignItems="center" gap={2}>
                <input
                  type="checkbox"
                  name={kind}
                  checked={form.enabled[kind]}
                  onChange={(event) => setForm({ ...form, enabled: { ...form.enabled, [kind]: event.target.checked } })}
                  data-testid={`notifications-${kind}`}
                />
                <Text size={3}>{t(`notifications.kind.${kind}` as MessageKey)}</Text>
              </Box>
            ))}
          </Box>
          <Box as="fieldset" display="flex" flexDirection="column" gap={1} borderWidth={0} padding={0} margin={0}>
            <Box as="legend" padding={0} marginBottom={1}>
              <Text size={3} fontWeight="medium">
                {t("notifications.language")}
              </Text>
            </Box>
            {LOCALES.map((language) => (
              <Box as="label" key={language} display="flex" alignItems="center" gap={2}>
                <input
                  type="radio"
                  name="notificationLanguage"
                  value={language}
                  checked={form.language === language}
                  onChange={() => setForm({ ...form, language })}
                  data-testid={`notifications-language-${language}`}
                />
                <Text size={3} lang={language}>
                  {languageName(language)}
                </Text>
              </Box>
            ))}
          </Box>
          {problem && (
            <Text size={3} color="critical1" role="alert" data-testid="notifications-error">
              {problem}
            </Text>
          )}
          {saved && (
            <Text size={3} color="success1" role="status" data-testid="notifications-saved">
              {t("notifications.saved")}
            </Text>
          )}
          <Button type="submit" disabled={busy} data-testid="notifications-save">
            {busy ? t("profile.saving") : t("notifications.save")}
          </Button>
        </Box>
      )}
    </Card>
  );
}
