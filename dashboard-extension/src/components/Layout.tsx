import { Box, Button, Text } from "@saleor/macaw-ui";
import type { ReactNode } from "react";

import { useApp } from "../app/context";
import { DemoHost } from "../app/host";
import { LOCALES, languageName, type MessageKey } from "../app/i18n";
import { useLink, useRouter, type Route } from "../app/router";
import { MissingApi } from "./Feedback";

const TABS: Array<{ route: Route; label: MessageKey; names: Route["name"][] }> = [
  { route: { name: "overview" }, label: "nav.overview", names: ["overview"] },
  { route: { name: "partners" }, label: "nav.partners", names: ["partners", "partner", "statement", "house-customers"] },
  { route: { name: "genealogy", root: null }, label: "nav.genealogy", names: ["genealogy"] },
  { route: { name: "programs" }, label: "nav.programs", names: ["programs"] },
  { route: { name: "plan" }, label: "nav.plan", names: ["plan"] },
  { route: { name: "periods", id: null }, label: "nav.periods", names: ["periods"] },
  { route: { name: "credit-notes", partner: null }, label: "nav.creditNotes", names: ["credit-notes"] },
  { route: { name: "payouts", id: null }, label: "nav.payouts", names: ["payouts"] },
  { route: { name: "settings" }, label: "nav.settings", names: ["settings"] },
];

function Tab({ route, label, active }: { route: Route; label: string; active: boolean }) {
  const link = useLink(route);
  return (
    <Box
      as="a"
      {...link}
      data-testid={`nav-${route.name}`}
      aria-current={active ? "page" : undefined}
      paddingX={3}
      paddingY={2}
      borderRadius={3}
      backgroundColor={active ? "default1Pressed" : { default: "default1", hover: "default1Hovered" }}
      textDecoration="none"
    >
      <Text size={3} fontWeight={active ? "bold" : "medium"} color={active ? "default1" : "default2"}>
        {label}
      </Text>
    </Box>
  );
}

/** The app's frame: a row of tabs like the Dashboard's, then the page (full bleed, no padding). */
export function Layout({ children }: { children: ReactNode }) {
  const { t, host, state } = useApp();
  const { route } = useRouter();
  const demo = host instanceof DemoHost ? host : null;
  return (
    <Box display="flex" flexDirection="column" __minHeight="100vh" backgroundColor="default1">
      <Box
        as="nav"
        display="flex"
        alignItems="center"
        gap={1}
        paddingX={6}
        paddingY={3}
        borderBottomStyle="solid"
        borderBottomWidth={1}
        borderColor="default1"
        flexWrap="wrap"
      >
        <Text size={5} fontWeight="bold" marginRight={4}>
          {t("app.title")}
        </Text>
        {TABS.map((tab) => (
          <Tab key={tab.label} route={tab.route} label={t(tab.label)} active={tab.names.includes(route.name)} />
        ))}
        {demo && (
          <Box marginLeft="auto" display="flex" gap={2} alignItems="center">
            <Text size={2} color="default2" data-testid="demo-badge">
              {t("app.demoBadge")}
            </Text>
            {state.user && (
              <Text size={2} fontWeight="medium" data-testid="demo-user" data-user={state.user.key} title={state.user.email}>
                {t("app.demoActingAs", { name: state.user.name })}
              </Text>
            )}
            {(state.users ?? [])
              .filter((user) => user.key !== state.user?.key)
              .map((user) => (
                <Button key={user.key} variant="secondary" size="small" data-testid={`demo-user-${user.key}`} title={user.email} onClick={() => void demo.setUser(user.key)}>
                  {t("app.demoActAs", { name: user.name })}
                </Button>
              ))}
            <Button
              variant="tertiary"
              size="small"
              data-testid="toggle-locale"
              lang={nextLocale(state.locale)}
              onClick={() => demo.setLocale(nextLocale(state.locale))}
            >
              {languageName(nextLocale(state.locale))}
            </Button>
            <Button
              variant="tertiary"
              size="small"
              data-testid="toggle-theme"
              onClick={() => demo.setTheme(state.theme === "dark" ? "light" : "dark")}
            >
              {state.theme === "dark" ? "☀" : "☾"}
            </Button>
          </Box>
        )}
      </Box>
      <Box as="main" flexGrow="1" display="flex" flexDirection="column">
        {children}
      </Box>
    </Box>
  );
}

/** A page's title row and content; pages have no outer padding, sections bring their own. */
export function Page({ title, actions, children }: { title: ReactNode; actions?: ReactNode; children: ReactNode }) {
  return (
    <Box display="flex" flexDirection="column" flexGrow="1">
      <Box display="flex" alignItems="center" justifyContent="space-between" gap={4} paddingX={6} paddingTop={5} paddingBottom={3} flexWrap="wrap">
        <Text as="h1" size={8} fontWeight="bold" data-testid="page-title">
          {title}
        </Text>
        {actions && (
          <Box display="flex" gap={2} flexWrap="wrap">
            {actions}
          </Box>
        )}
      </Box>
      {children}
    </Box>
  );
}

/** A titled block separated by a rule, like the Dashboard's cards. */
export function Section({
  title,
  actions,
  children,
  testId,
}: {
  title?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <Box
      as="section"
      data-testid={testId}
      paddingX={6}
      paddingY={5}
      borderTopStyle="solid"
      borderTopWidth={1}
      borderColor="default1"
      display="flex"
      flexDirection="column"
      gap={3}
    >
      {(title || actions) && (
        <Box display="flex" alignItems="center" justifyContent="space-between" gap={3} flexWrap="wrap">
          {title && (
            <Text as="h2" size={5} fontWeight="bold">
              {title}
            </Text>
          )}
          {actions && (
            <Box display="flex" gap={2}>
              {actions}
            </Box>
          )}
        </Box>
      )}
      {children}
    </Box>
  );
}

/**
 * A page written against a part of the API: without the fields it needs, it says which are
 * missing (the exact names) under its title instead of showing figures.
 */
export function ApiGate({ title, testId, fields, children }: { title: ReactNode; testId: string; fields: string[]; children: ReactNode }) {
  const { capabilities } = useApp();
  const missing = capabilities.missing(fields);
  if (!missing.length) return <>{children}</>;
  return (
    <Page title={title}>
      <Section testId={testId}>
        <MissingApi fields={missing} />
      </Section>
    </Page>
  );
}

/** The demo's language switch goes through the languages of the message files in turn. */
function nextLocale(locale: string): string {
  return LOCALES[(LOCALES.indexOf(locale) + 1) % LOCALES.length];
}
