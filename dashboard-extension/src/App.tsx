import { Box, Text, ThemeProvider } from "@saleor/macaw-ui";
import { useEffect, useMemo, useState, type ReactNode } from "react";

import { AppProvider, LanguageSync, ThemeSync, useHostState } from "./app/context";
import { AriaRepair } from "./components/ariaRepair";
import { GraphQLClient } from "./app/graphql";
import type { Host } from "./app/host";
import { translator } from "./app/i18n";
import { RouterProvider, routePath, useRouter } from "./app/router";
import { Capabilities, loadCapabilities } from "./app/schema";
import { DemoToasts, ErrorMessage, Loading } from "./components/Feedback";
import { Layout } from "./components/Layout";
import { CreditNotesPage } from "./pages/creditNotes/CreditNotesPage";
import { GenealogyPage } from "./pages/genealogy/GenealogyPage";
import { HouseCustomersPage } from "./pages/HouseCustomersPage";
import { OverviewPage } from "./pages/OverviewPage";
import { PartnerPage } from "./pages/partner/PartnerPage";
import { StatementPage } from "./pages/partner/StatementPage";
import { PartnersPage } from "./pages/PartnersPage";
import { PeriodsPage } from "./pages/PeriodsPage";
import { PayoutsPage } from "./pages/payouts/PayoutsPage";
import { SettingsPage } from "./pages/settings/SettingsPage";
import { PlanPage } from "./pages/plan/PlanPage";
import { ProgramsPage } from "./pages/programs/ProgramsPage";
import { CustomerWidget } from "./widgets/CustomerWidget";
import { OrderWidget } from "./widgets/OrderWidget";

function Routes() {
  const { route } = useRouter();
  switch (route.name) {
    case "widget-customer":
      return <CustomerWidget />;
    case "widget-order":
      return <OrderWidget />;
    default:
      break;
  }
  let page: ReactNode;
  switch (route.name) {
    case "overview":
      page = <OverviewPage />;
      break;
    case "partners":
      page = <PartnersPage />;
      break;
    case "partner":
      page = <PartnerPage id={route.id} />;
      break;
    case "statement":
      page = <StatementPage partnerId={route.partnerId} period={route.period} />;
      break;
    case "genealogy":
      page = <GenealogyPage root={route.root} focus={route.focus ?? null} />;
      break;
    case "plan":
      page = <PlanPage />;
      break;
    case "programs":
      page = <ProgramsPage />;
      break;
    case "periods":
      page = <PeriodsPage periodId={route.id} />;
      break;
    case "credit-notes":
      page = <CreditNotesPage key={route.partner ?? ""} partnerId={route.partner} />;
      break;
    case "payouts":
      page = <PayoutsPage key={route.id ?? ""} runId={route.id} />;
      break;
    case "settings":
      page = <SettingsPage />;
      break;
    case "house-customers":
      page = <HouseCustomersPage />;
      break;
    default:
      page = <NotFound />;
  }
  return <Layout>{page}</Layout>;
}

function NotFound() {
  const t = translator("en");
  return (
    <Box padding={6}>
      <Text>{t("app.notFound")}</Text>
    </Box>
  );
}

/** Waits for a token (handshake or demo token) and the API's capabilities, then routes. */
export function App({ host, client: givenClient }: { host: Host; client?: GraphQLClient }) {
  const state = useHostState(host);
  const client = useMemo(() => givenClient ?? new GraphQLClient(host), [host, givenClient]);
  const [capabilities, setCapabilities] = useState<Capabilities | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [attempt, setAttempt] = useState(0);
  const hasToken = Boolean(state.token);

  useEffect(() => {
    if (!hasToken || capabilities) return;
    loadCapabilities(client).then(setCapabilities, setError);
  }, [client, hasToken, capabilities, attempt]);

  const t = translator(state.locale);
  let body: ReactNode;
  if (capabilities) {
    body = (
      <AppProvider host={host} client={client} capabilities={capabilities}>
        <RouterProvider onNavigate={(route) => host.updateRoute(routePath(route))}>
          <Routes />
        </RouterProvider>
        <DemoToasts />
      </AppProvider>
    );
  } else if (error) {
    body = (
      <Box padding={6}>
        <ErrorMessage
          error={error}
          onRetry={() => {
            setError(null);
            setAttempt(attempt + 1);
          }}
        />
      </Box>
    );
  } else if (state.error) {
    body = (
      <Box padding={6} data-testid="no-token">
        <Text>{state.error === "demo-unavailable" ? t("app.demoUnavailable") : t("app.error", { message: state.error })}</Text>
      </Box>
    );
  } else {
    body = (
      <Box padding={6} display="flex" flexDirection="column" gap={3}>
        <Text color="default2">{hasToken ? t("app.loading") : t("app.noToken")}</Text>
        <Loading />
      </Box>
    );
  }

  return (
    <ThemeProvider defaultTheme={state.theme === "dark" ? "defaultDark" : "defaultLight"}>
      <ThemeSync theme={state.theme} />
      <LanguageSync locale={state.locale} />
      <AriaRepair name={t("common.showChoices")} />
      <Box backgroundColor="default1" __minHeight="100vh" data-theme={state.theme} data-locale={state.locale}>
        {body}
      </Box>
    </ThemeProvider>
  );
}
