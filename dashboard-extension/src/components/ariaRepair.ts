import { useEffect, type RefObject } from "react";

/**
 * macaw-ui's comboboxes and selects (downshift) put `aria-expanded` on the toggle button's
 * `<div>`, which has no role: axe-core counts that as a critical violation (aria-allowed-attr),
 * and the toggle has no name. This gives each toggle under `ref` the button role and `name`.
 */
export function useToggleButtonRole(ref: RefObject<HTMLElement | null>, name: string) {
  useEffect(() => {
    const root = ref.current;
    if (!root) return;
    const repair = () =>
      root.querySelectorAll<HTMLElement>('[id$="-toggle-button"]:not([role])').forEach((toggle) => {
        toggle.setAttribute("role", "button");
        toggle.setAttribute("aria-label", name);
      });
    repair();
    const observer = typeof MutationObserver !== "undefined" ? new MutationObserver(repair) : null;
    observer?.observe(root, { childList: true, subtree: true });
    return () => observer?.disconnect();
  }, [ref, name]);
}
