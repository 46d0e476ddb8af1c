import { Box, Button, Text } from "@saleor/macaw-ui";
import type { ReactNode } from "react";

import { useOffice } from "../app/context";
import { useLink, useRouter, type Route } from "../app/router";
import { LOCALES, languageName, type MessageKey } from "../i18n";

const PAGES: Array<{ route: Route; label: MessageKey; also?: Route["name"][] }> = [
  { route: { name: "home" }, label: "nav.home" },
  { route: { name: "team" }, label: "nav.team" },
  { route: { name: "customers" }, label: "nav.customers" },
  { route: { name: "orders" }, label: "nav.orders" },
  { route: { name: "new-order" }, label: "nav.newOrder" },
  { route: { name: "earnings" }, label: "nav.earnings", also: ["statement"] },
  { route: { name: "share" }, label: "nav.share" },
  { route: { name: "profile" }, label: "nav.profile" },
];

function NavLink({ route, label, also = [] }: { route: Route; label: string; also?: Route["name"][] }) {
  const link = useLink(route);
  const { route: current } = useRouter();
  const active = current.name === route.name || also.includes(current.name);
  return (
    <Box
      as="a"
      {...link}
      data-testid={`nav-${route.name}`}
      aria-current={active ? "page" : undefined}
      paddingX={3}
      paddingY={2}
      borderRadius={3}
      whiteSpace="nowrap"
      textDecoration="none"
      backgroundColor={active ? "default1Pressed" : { default: "default1", hover: "default1Hovered" }}
    >
      <Text size={4} fontWeight={active ? "bold" : "medium"} color={active ? "default1" : "default2"}>
        {label}
      </Text>
    </Box>
  );
}

/** Language and theme: in the header for everyone, signed in or not. */
export function PrefsControls() {
  const { prefs, setPrefs, t } = useOffice();
  return (
    <Box display="flex" alignItems="center" gap={2}>
      <Box role="group" aria-label={t("prefs.language")} display="flex" gap={1}>
        {LOCALES.map((locale) => (
          <Button
            key={locale}
            size="small"
            variant={prefs.locale === locale ? "primary" : "secondary"}
            aria-pressed={prefs.locale === locale}
            data-testid={`locale-${locale}`}
            lang={locale}
            title={languageName(locale)}
            onClick={() => setPrefs({ ...prefs, locale })}
          >
            {locale.toUpperCase()}
          </Button>
        ))}
      </Box>
      <Button
        size="small"
        variant="secondary"
        aria-pressed={prefs.theme === "dark"}
        data-testid="theme-toggle"
        onClick={() => setPrefs({ ...prefs, theme: prefs.theme === "dark" ? "light" : "dark" })}
      >
        {t("prefs.theme")}
      </Button>
    </Box>
  );
}

/**
 * The office's frame, mobile first: a header (title, language, theme, sign out), the pages as
 * a row of links that scrolls sideways on a phone, the page below. On a desktop the links
 * stand in a column to the left.
 */
export function Layout({ children, signedIn }: { children: ReactNode; signedIn: boolean }) {
  const { t, session } = useOffice();
  return (
    <Box display="flex" flexDirection="column" __minHeight="100vh" backgroundColor="default1">
      <Box as="a" href="#main" className="skip-link">
        {t("app.skip")}
      </Box>
      <Box
        as="header"
        display="flex"
        alignItems="center"
        justifyContent="space-between"
        flexWrap="wrap"
        gap={2}
        paddingX={4}
        paddingY={3}
        borderBottomStyle="solid"
        borderBottomWidth={1}
        borderColor="default1"
      >
        <Box display="flex" alignItems="center" gap={2}>
          <Text as="p" size={5} fontWeight="bold">
            {t("app.title")}
          </Text>
          {session.config.demo && (
            <Text size={2} color="default2" data-testid="demo-badge">
              {t("app.demoBadge")}
            </Text>
          )}
        </Box>
        <Box display="flex" alignItems="center" gap={2} flexWrap="wrap">
          <PrefsControls />
          {signedIn && (
            <Button size="small" variant="tertiary" data-testid="sign-out" onClick={() => session.signOut()}>
              {t("prefs.signOut")}
            </Button>
          )}
        </Box>
      </Box>
      <Box display="flex" flexDirection={{ mobile: "column", desktop: "row" }} flexGrow="1">
        {signedIn && (
          <Box
            as="nav"
            aria-label={t("nav.label")}
            display="flex"
            flexDirection={{ mobile: "row", desktop: "column" }}
            gap={1}
            paddingX={3}
            paddingY={2}
            overflowX={{ mobile: "auto", desktop: "visible" }}
            borderBottomStyle={{ mobile: "solid", desktop: "none" }}
            borderBottomWidth={1}
            borderColor="default1"
            __minWidth="200px"
          >
            {PAGES.map((page) => (
              <NavLink key={page.route.name} route={page.route} label={t(page.label)} also={page.also} />
            ))}
          </Box>
        )}
        <Box as="main" id="main" tabIndex={-1} flexGrow="1" paddingX={4} paddingY={4} __maxWidth="1100px" width="100%" className="office-main">
          {children}
        </Box>
      </Box>
    </Box>
  );
}
