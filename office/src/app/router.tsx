/**
 * The office's pages, by path under `/office/`. Links keep `saleorApiUrl` (a deployment with
 * several shops names the shop in the link) and nothing else of the query.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type MouseEvent, type ReactNode } from "react";

export const BASE = "/office/";

export type Route =
  | { name: "home" }
  | { name: "team" }
  | { name: "customers" }
  | { name: "orders" }
  | { name: "new-order" }
  | { name: "earnings" }
  | { name: "statement"; period: string }
  | { name: "share" }
  | { name: "profile" }
  | { name: "join"; code: string }
  | { name: "not-found" };

const PAGES = ["team", "customers", "orders", "new-order", "earnings", "share", "profile"] as const;

export function parseRoute(pathname: string): Route {
  const path = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname.replace(/^\/office\/?/, "");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { name: "home" };
  if (parts.length === 1 && (PAGES as readonly string[]).includes(parts[0])) return { name: parts[0] as (typeof PAGES)[number] };
  // A statement by its month (YYYY-MM): only the partner's own, the API decides whose.
  if (parts.length === 2 && parts[0] === "earnings" && /^\d{4}-\d{2}$/.test(parts[1])) return { name: "statement", period: parts[1] };
  // Online registration under the sponsor whose referral code is in the address.
  if (parts.length === 2 && parts[0] === "join" && parts[1].trim()) return { name: "join", code: parts[1].trim() };
  return { name: "not-found" };
}

export function routePath(route: Route): string {
  switch (route.name) {
    case "home":
    case "not-found":
      return BASE;
    case "statement":
      return `${BASE}earnings/${route.period}`;
    case "join":
      return `${BASE}join/${encodeURIComponent(route.code)}`;
    default:
      return `${BASE}${route.name}`;
  }
}

function keptQuery(search: string): string {
  const shop = new URLSearchParams(search).get("saleorApiUrl");
  return shop ? `?${new URLSearchParams({ saleorApiUrl: shop })}` : "";
}

interface RouterValue {
  route: Route;
  navigate(route: Route): void;
}

const RouterContext = createContext<RouterValue | null>(null);

export function RouterProvider({ children }: { children: ReactNode }) {
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.pathname));
  useEffect(() => {
    const onPop = () => setRoute(parseRoute(window.location.pathname));
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);
  const navigate = useCallback((next: Route) => {
    window.history.pushState(null, "", `${routePath(next)}${keptQuery(window.location.search)}`);
    setRoute(next);
    window.scrollTo(0, 0);
  }, []);
  const value = useMemo(() => ({ route, navigate }), [route, navigate]);
  return <RouterContext.Provider value={value}>{children}</RouterContext.Provider>;
}

export function useRouter(): RouterValue {
  const value = useContext(RouterContext);
  if (!value) throw new Error("useRouter outside RouterProvider");
  return value;
}

/** `href` and `onClick` of a link to `route` inside the office (a new tab works too). */
export function useLink(route: Route) {
  const { navigate } = useRouter();
  return {
    href: `${routePath(route)}${keptQuery(window.location.search)}`,
    onClick: (event: MouseEvent) => {
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      navigate(route);
    },
  };
}
