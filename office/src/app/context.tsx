import { useTheme } from "@saleor/macaw-ui";
import { createContext, useCallback, useContext, useEffect, useRef, useState } from "react";

import { formatters, translator, type Formatters, type Locale, type Translate } from "../i18n";
import type { GraphQLClient } from "./graphql";
import type { Prefs } from "./prefs";
import type { Session } from "./session";

export interface OfficeValue {
  session: Session;
  client: GraphQLClient;
  prefs: Prefs;
  setPrefs(prefs: Prefs): void;
  t: Translate;
  format: Formatters;
}

export const OfficeContext = createContext<OfficeValue | null>(null);

export function officeValue(session: Session, client: GraphQLClient, prefs: Prefs, setPrefs: (prefs: Prefs) => void): OfficeValue {
  return { session, client, prefs, setPrefs, t: translator(prefs.locale), format: formatters(prefs.locale) };
}

export function useOffice(): OfficeValue {
  const value = useContext(OfficeContext);
  if (!value) throw new Error("useOffice outside OfficeContext");
  return value;
}

/**
 * Colours darkened (light) or lightened (dark) where macaw-ui's secondary text does not reach
 * WCAG AA's 4.5:1 on its backgrounds (axe-core's color-contrast rule), as in the dashboard
 * extension (dashboard-extension/src/app/context.tsx).
 */
const CONTRAST: Record<"light" | "dark", Record<string, string>> = {
  light: { "--mu-colors-text-default2": "hsla(180, 1%, 40%, 1)" },
  dark: { "--mu-colors-text-default2": "hsla(230, 12%, 68%, 1)" },
};

/** macaw-ui's theme, the page's colour scheme and `<html lang>` follow the partner's choice. */
export function PrefsSync({ theme, locale }: { theme: "light" | "dark"; locale: Locale }) {
  const { setTheme } = useTheme();
  useEffect(() => {
    setTheme(theme === "dark" ? "defaultDark" : "defaultLight");
    document.documentElement.style.colorScheme = theme;
    for (const [name, value] of Object.entries(CONTRAST[theme])) document.body.style.setProperty(name, value);
  }, [theme, setTheme]);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  return null;
}

export interface QueryState<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
  reload(): void;
}

/** Runs a GraphQL query when its variables or the language change. */
export function useQuery<T>(query: string, variables: Record<string, unknown> = {}, skip = false): QueryState<T> {
  const { client, prefs } = useOffice();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [loading, setLoading] = useState(!skip);
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(variables);
  const latest = useRef(0);

  useEffect(() => {
    if (skip) {
      setLoading(false);
      return;
    }
    const run = ++latest.current;
    setLoading(true);
    client
      .request<T>(query, JSON.parse(key))
      .then((answer) => {
        if (run !== latest.current) return;
        setData(answer);
        setError(null);
      })
      .catch((failure: Error) => {
        if (run === latest.current) setError(failure);
      })
      .finally(() => {
        if (run === latest.current) setLoading(false);
      });
  }, [client, query, key, skip, tick, prefs.locale]);

  const reload = useCallback(() => setTick((value) => value + 1), []);
  return { data, error, loading, reload };
}
