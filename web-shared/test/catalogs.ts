/**
 * The checks of both apps' message files (web-shared/i18n.ts): every language has every key of
 * the English file and no other, no text is empty, every text parses as ICU MessageFormat, and
 * every text uses the same arguments as the English one (a translation that drops `{name}` or
 * renames `{count}` is caught here, not on a page).
 */
import { IntlMessageFormat } from "intl-messageformat";

import { REFERENCE_LANGUAGE, type Catalog } from "../i18n";

interface Element {
  type: number;
  value?: unknown;
  options?: Record<string, { value: Element[] }>;
  children?: Element[];
}

// The element types of @formatjs/icu-messageformat-parser that name an argument:
// argument, number, date, time, select, plural.
const ARGUMENT_TYPES = new Set([1, 2, 3, 4, 5, 6]);
const TAG = 8;

function argumentsOf(elements: Element[], names: Set<string> = new Set()): Set<string> {
  for (const element of elements) {
    if (ARGUMENT_TYPES.has(element.type) && typeof element.value === "string") names.add(element.value);
    for (const option of Object.values(element.options ?? {})) argumentsOf(option.value, names);
    if (element.type === TAG && element.children) argumentsOf(element.children, names);
  }
  return names;
}

/** The arguments of an ICU message, sorted; throws when the text is not valid ICU. */
export function messageArguments(text: string, language: string): string[] {
  const ast = new IntlMessageFormat(text, language, undefined, { ignoreTag: true }).getAst() as unknown as Element[];
  return [...argumentsOf(ast)].sort();
}

/** Everything wrong with the catalogs, one line each (empty when all are complete). */
export function catalogProblems(catalogs: Record<string, Catalog>): string[] {
  const problems: string[] = [];
  const reference = catalogs[REFERENCE_LANGUAGE];
  if (!reference) return [`${REFERENCE_LANGUAGE}.json is missing`];
  for (const [language, catalog] of Object.entries(catalogs)) {
    for (const key of Object.keys(reference)) {
      if (!(key in catalog)) problems.push(`${language}: ${key} is missing`);
    }
    for (const [key, text] of Object.entries(catalog)) {
      if (!(key in reference)) {
        problems.push(`${language}: ${key} is not in ${REFERENCE_LANGUAGE}.json`);
        continue;
      }
      if (typeof text !== "string" || !text.trim()) {
        problems.push(`${language}: ${key} is empty`);
        continue;
      }
      let names: string[];
      try {
        names = messageArguments(text, language);
      } catch (error) {
        problems.push(`${language}: ${key} is not ICU MessageFormat (${(error as Error).message})`);
        continue;
      }
      const expected = messageArguments(reference[key], REFERENCE_LANGUAGE);
      if (names.join(",") !== expected.join(",")) {
        problems.push(`${language}: ${key} has the arguments {${names.join("}, {")}}, English {${expected.join("}, {")}}`);
      }
    }
  }
  return problems;
}
