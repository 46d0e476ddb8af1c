import { Box, Button, Input, Text } from "@saleor/macaw-ui";
import { useState, type FormEvent } from "react";

import { useOffice } from "../app/context";
import { Card } from "../components/Feedback";

/**
 * Sign-in with the shop account (Saleor's `tokenCreate`). In the demo there is no shop: a demo
 * partner's e-mail is enough, and a few partners are offered to try.
 */
export function SignInPage({ notice }: { notice?: string }) {
  const { session, t } = useOffice();
  const demo = session.config.demo;
  const [email, setEmail] = useState(demo ? (session.config.demoPartners[0]?.email ?? "") : "");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const result = await session.signIn(email.trim(), password);
    setBusy(false);
    if (result.ok) return;
    if (result.reason === "failed") setError(t("signIn.failed"));
    else if (result.reason === "unknown") setError(t("signIn.demoUnknown"));
    else setError(t("signIn.unreachable", { message: result.message ?? "" }));
  };

  return (
    <Box display="flex" justifyContent="center">
      <Box __maxWidth="440px" width="100%" display="flex" flexDirection="column" gap={4}>
        <Text as="h1" size={8} fontWeight="bold" data-testid="page-title">
          {t("signIn.title")}
        </Text>
        {notice && (
          <Text size={3} role="status">
            {notice}
          </Text>
        )}
        <Text size={3} color="default2">
          {demo ? t("signIn.demoIntro") : t("signIn.intro")}
        </Text>
        <Box as="form" onSubmit={submit} display="flex" flexDirection="column" gap={3} data-testid="sign-in-form" noValidate>
          <Input
            label={t("signIn.email")}
            type="email"
            name="email"
            autoComplete="username"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            data-testid="sign-in-email"
            error={Boolean(error)}
            required
          />
          {!demo && (
            <Input
              label={t("signIn.password")}
              type="password"
              name="password"
              autoComplete="current-password"
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              data-testid="sign-in-password"
              error={Boolean(error)}
              required
            />
          )}
          {error && (
            <Text size={3} color="critical1" role="alert" data-testid="sign-in-error">
              {error}
            </Text>
          )}
          <Button type="submit" disabled={busy || !email.trim()} data-testid="sign-in-submit">
            {busy ? t("signIn.busy") : t("signIn.submit")}
          </Button>
        </Box>
        {demo && session.config.demoPartners.length > 0 && (
          <Card title={t("signIn.demoTry")} testId="demo-partners">
            <Box as="ul" display="flex" flexDirection="column" gap={2} margin={0} padding={0} className="plain-list">
              {session.config.demoPartners.map((partner) => (
                <Box as="li" key={partner.email}>
                  <Button variant="tertiary" size="small" className="demo-partner" data-testid="demo-partner" onClick={() => setEmail(partner.email)}>
                    {`${partner.name} · ${partner.email}`}
                  </Button>
                </Box>
              ))}
            </Box>
          </Card>
        )}
      </Box>
    </Box>
  );
}
