/**
 * The message catalogs of both apps: one JSON file per language in the app's `messages/`
 * folder (`en.json`, `de.json`, `fr.json`, ...), each text in ICU MessageFormat
 * (`{name}`, `{count, plural, one {# line} other {# lines}}`, `{status, select, ...}`), formatted
 * by `intl-messageformat`. The languages are the files present (the app lists them with
 * `import.meta.glob`): a translator adds a language by adding a file, no code changes
 * (docs/translations.md). English is the reference: its keys are the apps' `MessageKey` type,
 * and a text missing elsewhere falls back to it (the catalog tests fail on any missing text).
 *
 * Two keys of every file describe the language itself: `language.name` (its own name, for the
 * language switch) and `language.tag` (the BCP 47 tag of its number and date formats, e.g. `fr-FR`).
 */
import { IntlMessageFormat } from "intl-messageformat";

export type Params = Record<string, string | number>;
export type Catalog = Record<string, string>;

// @formatjs/icu-messageformat-parser's TYPE.literal: a run of plain text.
const LITERAL = 0;

/** The reference language: its file defines the keys, and a missing text falls back to it. */
export const REFERENCE_LANGUAGE = "en";

/** `{"./messages/de.json": {...}}` (what `import.meta.glob` gives) as `{de: {...}}`. */
export function catalogsByLanguage<C extends Catalog>(files: Record<string, C>): Record<string, C> {
  const catalogs: Record<string, C> = {};
  for (const [path, catalog] of Object.entries(files)) {
    const language = path.replace(/^.*\//, "").replace(/\.json$/, "");
    catalogs[language] = catalog;
  }
  if (!catalogs[REFERENCE_LANGUAGE]) throw new Error(`messages/${REFERENCE_LANGUAGE}.json is missing`);
  return catalogs;
}

/**
 * The language of `requested` (a locale like `de-AT`, `fr_CH` or `FR`) among the `available`
 * ones: the same tag, else its primary language, else English.
 */
export function negotiateLanguage(requested: string | null | undefined, available: readonly string[]): string {
  const wanted = (requested || "").trim().toLowerCase().replace(/_/g, "-");
  if (!wanted) return REFERENCE_LANGUAGE;
  if (available.includes(wanted)) return wanted;
  const primary = wanted.split("-")[0];
  return available.includes(primary) ? primary : REFERENCE_LANGUAGE;
}

/** The BCP 47 tag of a language's formats (`language.tag` of its file). */
export function languageTag(catalogs: Record<string, Catalog>, language: string): string {
  return catalogs[language]?.["language.tag"] || language;
}

/**
 * A function that gives a key's text in `language`, its ICU arguments filled in. Each message
 * is parsed once per language. A text that cannot be formatted (a value missing) is shown as
 * written rather than breaking the page.
 */
export function makeTranslator<K extends string>(
  catalogs: Record<string, Record<K, string>>,
  language: string,
): (key: K, params?: Params) => string {
  const catalog = catalogs[language] ?? catalogs[REFERENCE_LANGUAGE];
  const reference = catalogs[REFERENCE_LANGUAGE];
  const tag = languageTag(catalogs, catalogs[language] ? language : REFERENCE_LANGUAGE);
  const compiled = new Map<K, IntlMessageFormat | string>();
  return (key, params) => {
    const text = catalog[key] ?? reference[key] ?? key;
    let message = compiled.get(key);
    if (message === undefined) {
      try {
        message = new IntlMessageFormat(text, tag, undefined, { ignoreTag: true });
        // A text without arguments is kept as the string it formats to (most texts).
        const elements = message.getAst();
        if (elements.length === 1 && elements[0].type === LITERAL) message = elements[0].value;
      } catch {
        message = text;
      }
      compiled.set(key, message);
    }
    if (typeof message === "string") return message;
    try {
      return String(message.format(params ?? {}));
    } catch {
      return text;
    }
  };
}
