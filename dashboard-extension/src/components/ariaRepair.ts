import { useEffect, useRef, type RefObject } from "react";

/**
 * Two attributes of macaw-ui that axe-core counts as critical violations, repaired under `ref`
 * (also in what renders there later):
 * - its comboboxes and selects (downshift) put `aria-expanded` on the toggle button's `<div>`,
 *   which has no role (aria-allowed-attr): the toggle gets the button role and `name`;
 * - its `Input` renders `<input role="input">`, an abstract role (aria-roles): removed, the
 *   element's own role (textbox) stands.
 */
export function useAriaRepair(ref: RefObject<HTMLElement | null>, name: string) {
  useEffect(() => {
    const root = ref.current;
    if (!root) return;
    const repair = () => {
      root.querySelectorAll<HTMLElement>('[id$="-toggle-button"]:not([role])').forEach((toggle) => {
        toggle.setAttribute("role", "button");
        toggle.setAttribute("aria-label", name);
      });
      root.querySelectorAll<HTMLElement>('input[role="input"]').forEach((input) => input.removeAttribute("role"));
    };
    repair();
    const observer = typeof MutationObserver !== "undefined" ? new MutationObserver(repair) : null;
    observer?.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ["role"] });
    return () => observer?.disconnect();
  }, [ref, name]);
}

/** The repairs for the whole page (portals included): `<AriaRepair name=… />` once, in the app. */
export function AriaRepair({ name }: { name: string }) {
  const body = useRef<HTMLElement>(document.body);
  useAriaRepair(body, name);
  return null;
}
