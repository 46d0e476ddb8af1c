import { useTheme } from "@saleor/macaw-ui";
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from "react";

import { applyThemeColours } from "../../../web-shared/theme";
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

/** Keeps macaw-ui's theme (and the colours it lacks for contrast) in step with the Dashboard's (`theme` parameter and event). */
/** The page's language for screen readers and hyphenation: the language of the texts shown. */
export function LanguageSync({ locale }: { locale: string }) {
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  return null;
}

export function ThemeSync({ theme }: { theme: "light" | "dark" }) {
  const { setTheme } = useTheme();
  useEffect(() => {
    setTheme(theme === "dark" ? "defaultDark" : "defaultLight");
    applyThemeColours(theme);
  }, [theme, setTheme]);
  return null;
}
