/**
 * The extension's routes: paths under the app's base (`/dashboard/`), kept in the browser's
 * history. The Dashboard's query parameters (`saleorApiUrl`, `id`, `theme`, `locale`) travel
 * along on every link so that a reload inside the iframe keeps its context.
 */
import { createContext, useContext, useEffect, useState, type MouseEvent, type ReactNode } from "react";

export type Route =
  | { name: "overview" }
  | { name: "partners" }
  | { name: "partner"; id: string }
  | { name: "statement"; partnerId: string; period: string }
  /** `focus`: a partner shown with its upline path and its frontline ("Show in genealogy"). */
  | { name: "genealogy"; root: string | null; focus?: string | null }
  | { name: "plan" }
  | { name: "programs" }
  | { name: "periods"; id: string | null }
  /** `partner`: the list opened from a partner's page, filtered to its documents. */
  | { name: "credit-notes"; partner: string | null }
  /** `id`: one payout run. */
  | { name: "payouts"; id: string | null }
  | { name: "settings" }
  | { name: "house-customers" }
  | { name: "widget-customer" }
  | { name: "widget-order" }
  | { name: "not-found" };

/** `program`: the program the plan, genealogy and periods pages show (program.tsx), kept from page to page. */
const KEPT_PARAMS = ["saleorApiUrl", "id", "theme", "locale", "domain", "program"];

/** Where Django serves the extension (vite.config.ts `base`, saleor_mlm/urls.py). */
export const APP_BASE = "/dashboard/";

export function basePath(): string {
  return APP_BASE;
}

export function parseRoute(pathname: string, search: string): Route {
  const base = basePath();
  // The Dashboard opens the app page at the base without its slash (`/dashboard?domain=…`:
  // url-join drops it), and the server answers there without a redirect.
  const rest =
    pathname === base.replace(/\/$/, "") ? "" : pathname.startsWith(base) ? pathname.slice(base.length) : pathname.replace(/^\//, "");
  const parts = rest.split("/").filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(search);
  switch (parts[0]) {
    case undefined:
      return { name: "overview" };
    case "partners":
      if (parts[1] && parts[2] === "statements" && parts[3]) return { name: "statement", partnerId: parts[1], period: parts[3] };
      return parts[1] ? { name: "partner", id: parts[1] } : { name: "partners" };
    case "genealogy":
      if (parts[1] === "focus" && parts[2]) return { name: "genealogy", root: null, focus: parts[2] };
      return { name: "genealogy", root: parts[1] || params.get("root") || null };
    case "plan":
      return { name: "plan" };
    case "programs":
      return { name: "programs" };
    case "periods":
      return { name: "periods", id: parts[1] || null };
    case "payouts":
      return { name: "payouts", id: parts[1] || null };
    case "settings":
      return { name: "settings" };
    case "house-customers":
      return { name: "house-customers" };
    case "credit-notes":
      return { name: "credit-notes", partner: parts[1] === "partner" && parts[2] ? parts[2] : null };
    case "widgets":
      if (parts[1] === "customer") return { name: "widget-customer" };
      if (parts[1] === "order") return { name: "widget-order" };
      return { name: "not-found" };
    default:
      return { name: "not-found" };
  }
}

/** The path of a route inside the app, without the base ("/partners/UGFy..."). */
export function routePath(route: Route): string {
  switch (route.name) {
    case "overview":
      return "/";
    case "partners":
      return "/partners";
    case "partner":
      return `/partners/${encodeURIComponent(route.id)}`;
    case "statement":
      return `/partners/${encodeURIComponent(route.partnerId)}/statements/${encodeURIComponent(route.period)}`;
    case "genealogy":
      if (route.focus) return `/genealogy/focus/${encodeURIComponent(route.focus)}`;
      return route.root ? `/genealogy/${encodeURIComponent(route.root)}` : "/genealogy";
    case "plan":
      return "/plan";
    case "programs":
      return "/programs";
    case "periods":
      return route.id ? `/periods/${encodeURIComponent(route.id)}` : "/periods";
    case "payouts":
      return route.id ? `/payouts/${encodeURIComponent(route.id)}` : "/payouts";
    case "settings":
      return "/settings";
    case "house-customers":
      return "/house-customers";
    case "credit-notes":
      return route.partner ? `/credit-notes/partner/${encodeURIComponent(route.partner)}` : "/credit-notes";
    case "widget-customer":
      return "/widgets/customer";
    case "widget-order":
      return "/widgets/order";
    default:
      return "/";
  }
}

export function hrefFor(route: Route, search: string = window.location.search): string {
  const current = new URLSearchParams(search);
  const kept = new URLSearchParams();
  KEPT_PARAMS.forEach((name) => {
    const value = current.get(name);
    if (value) kept.set(name, value);
  });
  const query = kept.toString();
  return basePath().replace(/\/$/, "") + routePath(route) + (query ? `?${query}` : "");
}

interface RouterValue {
  route: Route;
  navigate(route: Route): void;
}

const RouterContext = createContext<RouterValue | null>(null);

export function RouterProvider({ children, onNavigate }: { children: ReactNode; onNavigate?: (route: Route) => void }) {
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.pathname, window.location.search));
  useEffect(() => {
    const onPop = () => setRoute(parseRoute(window.location.pathname, window.location.search));
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);
  const navigate = (next: Route) => {
    window.history.pushState(null, "", hrefFor(next));
    setRoute(next);
    onNavigate?.(next);
    window.scrollTo?.(0, 0);
  };
  return <RouterContext.Provider value={{ route, navigate }}>{children}</RouterContext.Provider>;
}

export function useRouter(): RouterValue {
  const value = useContext(RouterContext);
  if (!value) throw new Error("useRouter outside RouterProvider");
  return value;
}

/** Props for an anchor that navigates inside the app (and still opens in a new tab). */
export function useLink(route: Route) {
  const { navigate } = useRouter();
  return {
    href: hrefFor(route),
    onClick: (event: MouseEvent) => {
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      navigate(route);
    },
  };
}
