import { useTheme } from "@saleor/macaw-ui";
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from "react";

import { GraphQLClient } from "./graphql";
import type { Host, HostState } from "./host";
import { formatters, translator, type Formatters, type Translate } from "./i18n";
import { Capabilities } from "./schema";

export interface AppValue {
  host: Host;
  state: HostState;
  client: GraphQLClient;
  capabilities: Capabilities;
  t: Translate;
  format: Formatters;
}

const AppContext = createContext<AppValue | null>(null);

export function useHostState(host: Host): HostState {
  const [state, setState] = useState(host.getState());
  useEffect(() => {
    setState(host.getState());
    return host.subscribe(setState);
  }, [host]);
  return state;
}

export function AppProvider({
  host,
  client,
  capabilities,
  children,
}: {
  host: Host;
  client: GraphQLClient;
  capabilities: Capabilities;
  children: ReactNode;
}) {
  const state = useHostState(host);
  const value = useMemo<AppValue>(
    () => ({ host, state, client, capabilities, t: translator(state.locale), format: formatters(state.locale) }),
    [host, state, client, capabilities],
  );
  return <AppContext.Provider value={value}>{children}</AppContext.Provider>;
}

export function useApp(): AppValue {
  const value = useContext(AppContext);
  if (!value) throw new Error("useApp outside AppProvider");
  return value;
}

export function useOptionalApp(): AppValue | null {
  return useContext(AppContext);
}

export function useT(): Translate {
  return useApp().t;
}

/** Keeps macaw-ui's theme in step with the Dashboard's (`theme` parameter and event). */
/**
 * Colours of the Dashboard's theme darkened (light) or lightened (dark) where its text does not
 * reach WCAG AA's 4.5:1 on its backgrounds (axe-core's color-contrast rule, e2e/axe.mjs):
 * secondary text is #7c7e7e on white in the light theme (4.1:1), #7b7f93 on #262836 in the dark
 * one (3.7:1).
 */
export const CONTRAST: Record<"light" | "dark", Record<string, string>> = {
  light: { "--mu-colors-text-default2": "hsla(180, 1%, 40%, 1)" },
  dark: { "--mu-colors-text-default2": "hsla(230, 12%, 68%, 1)" },
};

export function ThemeSync({ theme }: { theme: "light" | "dark" }) {
  const { setTheme } = useTheme();
  useEffect(() => {
    setTheme(theme === "dark" ? "defaultDark" : "defaultLight");
    document.documentElement.style.colorScheme = theme;
    // On <body>, below the theme's own variables (set on <html>): dialogs in portals get them too.
    for (const [name, value] of Object.entries(CONTRAST[theme])) document.body.style.setProperty(name, value);
  }, [theme, setTheme]);
  return null;
}
