/**
 * The partner's language and theme in the office: `?locale=de` / `?theme=dark` in the link
 * (a shop links the office in its own language), else the choice made before (local storage),
 * else the browser's.
 */
import { toLocale, type Locale } from "../i18n";

export type Theme = "light" | "dark";

export interface Prefs {
  locale: Locale;
  theme: Theme;
}

const KEY = "saleor-mlm-office:prefs";

export function initialPrefs(search: string = window.location.search): Prefs {
  const params = new URLSearchParams(search);
  let saved: Partial<Prefs> = {};
  try {
    saved = JSON.parse(window.localStorage.getItem(KEY) ?? "{}");
  } catch {
    saved = {};
  }
  const dark = window.matchMedia?.("(prefers-color-scheme: dark)").matches;
  const theme = params.get("theme") ?? saved.theme ?? (dark ? "dark" : "light");
  return {
    locale: toLocale(params.get("locale") ?? saved.locale ?? window.navigator.language),
    theme: theme === "dark" ? "dark" : "light",
  };
}

export function savePrefs(prefs: Prefs) {
  window.localStorage.setItem(KEY, JSON.stringify(prefs));
}
