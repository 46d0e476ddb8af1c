export type ThemeName = "light" | "dark";

/**
 * Colours of macaw-ui's themes darkened (light) or lightened (dark) where its text does not
 * reach WCAG AA's 4.5:1 on its backgrounds (axe-core's color-contrast rule, the e2e's axe
 * checks): secondary text is #7c7e7e on white in the light theme (4.1:1), #7b7f93 on #262836
 * in the dark one (3.7:1).
 */
export const CONTRAST: Record<ThemeName, Record<string, string>> = {
  light: { "--mu-colors-text-default2": "hsla(180, 1%, 40%, 1)" },
  dark: { "--mu-colors-text-default2": "hsla(230, 12%, 68%, 1)" },
};

/**
 * The page's colour scheme (scroll bars, form controls) and the contrast colours of the theme.
 * On <body>, below macaw-ui's own variables (set on <html>): dialogs in portals get them too.
 */
export function applyThemeColours(theme: ThemeName): void {
  document.documentElement.style.colorScheme = theme;
  for (const [name, value] of Object.entries(CONTRAST[theme])) document.body.style.setProperty(name, value);
}
