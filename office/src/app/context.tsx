import { useTheme } from "@saleor/macaw-ui";
import { createContext, useContext, useEffect } from "react";

import { applyThemeColours } from "../../../web-shared/theme";
import { useRequest, type QueryState } from "../../../web-shared/useRequest";
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

/** macaw-ui's theme, the page's colour scheme and `<html lang>` follow the partner's choice. */
export function PrefsSync({ theme, locale }: { theme: "light" | "dark"; locale: Locale }) {
  const { setTheme } = useTheme();
  useEffect(() => {
    setTheme(theme === "dark" ? "defaultDark" : "defaultLight");
    applyThemeColours(theme);
  }, [theme, setTheme]);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  return null;
}

/** Runs a GraphQL query of the partner's API when its variables or the language change. */
export function useQuery<T>(query: string, variables: Record<string, unknown> = {}, skip = false): QueryState<T> {
  const { client, prefs } = useOffice();
  return useRequest<T>(client, prefs.locale, query, variables, skip);
}
