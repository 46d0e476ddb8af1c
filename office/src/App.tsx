import { Box, Button, Text, ThemeProvider } from "@saleor/macaw-ui";
import { useEffect, useMemo, useState } from "react";

import { OfficeContext, PrefsSync, officeValue, useOffice, useQuery } from "./app/context";
import { GraphQLClient } from "./app/graphql";
import { initialPrefs, savePrefs, type Prefs } from "./app/prefs";
import { RouterProvider, useRouter } from "./app/router";
import { Session, type OfficeConfig, type SessionState } from "./app/session";
import { AriaRepair } from "../../dashboard-extension/src/components/ariaRepair";
import { ErrorMessage, Loading } from "./components/Feedback";
import { Layout } from "./components/Layout";
import { translator } from "./i18n";
import { CustomerOrderPage } from "./pages/CustomerOrderPage";
import { CustomersPage } from "./pages/CustomersPage";
import { EarningsPage } from "./pages/EarningsPage";
import { HomePage } from "./pages/HomePage";
import { JoinOutcome, JoinPage } from "./pages/JoinPage";
import { OrdersPage } from "./pages/OrdersPage";
import { ProfilePage } from "./pages/ProfilePage";
import { SharePage } from "./pages/SharePage";
import { StatementPage } from "./pages/StatementPage";
import { SignInPage } from "./pages/SignInPage";
import { TeamPage } from "./pages/TeamPage";

// A shop account whose registration waits for approval is told so (the registration page, JoinOutcome).
const ME = `query OfficeMe { me { partner { id } } myPartnerRegistration { status } }`;

function Pages() {
  const { route } = useRouter();
  const { t, session } = useOffice();
  const { data, error, loading, reload } = useQuery<{ me: { partner: { id: string } | null } | null; myPartnerRegistration: { status: string } | null }>(ME);
  if (error) return <ErrorMessage error={error} onRetry={reload} />;
  if (loading && !data) return <Loading />;
  if (!data?.me?.partner) {
    return (
      <Box display="flex" flexDirection="column" gap={3} data-testid="not-partner">
        {data?.myPartnerRegistration && data.myPartnerRegistration.status !== "APPROVED" ? (
          <JoinOutcome status={data.myPartnerRegistration.status} />
        ) : (
          <Text size={4}>{t("signIn.notPartner", { email: session.getState().email })}</Text>
        )}
        <Button variant="secondary" onClick={() => session.signOut()}>
          {t("prefs.signOut")}
        </Button>
      </Box>
    );
  }
  switch (route.name) {
    case "home":
      return <HomePage />;
    case "team":
      return <TeamPage />;
    case "customers":
      return <CustomersPage />;
    case "orders":
      return <OrdersPage />;
    case "new-order":
      return <CustomerOrderPage />;
    case "earnings":
      return <EarningsPage />;
    case "statement":
      return <StatementPage period={route.period} />;
    case "share":
      return <SharePage />;
    case "profile":
      return <ProfilePage />;
    default:
      return (
        <Text size={4} data-testid="not-found">
          {t("app.notFound")}
        </Text>
      );
  }
}

/** The page of the address: registration for anyone (`/office/join/<code>`), else the partner's pages once signed in. */
function Main({ signedIn, email, notice }: { signedIn: boolean; email: string; notice?: string }) {
  const { route } = useRouter();
  const { session, t } = useOffice();
  return (
    <Layout signedIn={signedIn && route.name !== "join"}>
      {!session.config.saleorApiUrl ? (
        <Text size={4} data-testid="no-shop">
          {t("app.noShop")}
        </Text>
      ) : route.name === "join" ? (
        <JoinPage code={route.code} />
      ) : signedIn ? (
        <Pages key={email} />
      ) : (
        <SignInPage notice={notice} />
      )}
    </Layout>
  );
}

function useSession(session: Session | null): SessionState | null {
  const [state, setState] = useState<SessionState | null>(session?.getState() ?? null);
  useEffect(() => {
    if (!session) return;
    setState(session.getState());
    return session.subscribe(setState);
  }, [session]);
  return state;
}

/** Loads the office's configuration, restores a session, then shows the sign-in or the pages. */
const browserFetch: typeof fetch = (...args) => window.fetch(...args);

export function App({ fetcher = browserFetch }: { fetcher?: typeof fetch }) {
  const [prefs, setPrefsState] = useState<Prefs>(() => initialPrefs());
  const [session, setSession] = useState<Session | null>(null);
  const [failure, setFailure] = useState<Error | null>(null);
  const [everSignedIn, setEverSignedIn] = useState(false);
  const state = useSession(session);

  useEffect(() => {
    const shop = new URLSearchParams(window.location.search).get("saleorApiUrl");
    fetcher(`/office/config.json${shop ? `?${new URLSearchParams({ saleorApiUrl: shop })}` : ""}`)
      .then((response) => {
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return response.json() as Promise<OfficeConfig>;
      })
      .then(async (config) => {
        const created = new Session(config, window.localStorage, fetcher);
        await created.restore();
        setSession(created);
      })
      .catch((error: Error) => setFailure(error));
  }, [fetcher]);

  useEffect(() => {
    if (state?.token) setEverSignedIn(true);
  }, [state?.token]);

  const client = useMemo(() => (session ? new GraphQLClient(session, () => prefs.locale, fetcher) : null), [session, prefs.locale, fetcher]);
  const setPrefs = (next: Prefs) => {
    savePrefs(next);
    setPrefsState(next);
  };

  let content;
  if (failure) {
    content = <Text size={4}>{translator(prefs.locale)("app.error", { message: failure.message })}</Text>;
  } else if (!session || !client || !state) {
    content = (
      <Box padding={4} data-testid="loading">
        <Text size={3}>{translator(prefs.locale)("app.loading")}</Text>
      </Box>
    );
  }

  return (
    <ThemeProvider defaultTheme={prefs.theme === "dark" ? "defaultDark" : "defaultLight"}>
      <PrefsSync theme={prefs.theme} locale={prefs.locale} />
      <AriaRepair name={translator(prefs.locale)("app.showChoices")} />
      <Box data-theme={prefs.theme} data-locale={prefs.locale}>
        {content ??
          (session && client && state && (
            <OfficeContext.Provider value={officeValue(session, client, prefs, setPrefs)}>
              <RouterProvider>
                <Main signedIn={Boolean(state.token)} email={state.email} notice={everSignedIn ? translator(prefs.locale)("signIn.expired") : undefined} />
              </RouterProvider>
            </OfficeContext.Provider>
          ))}
      </Box>
    </ThemeProvider>
  );
}
