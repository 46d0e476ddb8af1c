import type { AppBridge } from "@saleor/app-sdk/app-bridge";
import { describe, expect, it, vi } from "vitest";

import { DashboardHost, DemoHost, toLocale } from "./host";

function fakeBridge() {
  const listeners: Record<string, (payload: never) => void> = {};
  const bridge = {
    subscribe: (type: string, callback: (payload: never) => void) => {
      listeners[type] = callback;
      return () => delete listeners[type];
    },
    getState: () => ({ token: undefined }),
    dispatch: vi.fn(async () => undefined),
  };
  const emit = (type: string, payload: unknown) => listeners[type](payload as never);
  return { bridge: bridge as unknown as AppBridge, emit, dispatch: bridge.dispatch };
}

describe("inside the Dashboard", () => {
  const params = new URLSearchParams("saleorApiUrl=https://shop.example.com/graphql/&id=QXBw&theme=dark");

  it("takes the token from the handshake and follows theme and locale events", () => {
    const { bridge, emit } = fakeBridge();
    const host = new DashboardHost(params, bridge);
    const seen: string[] = [];
    host.subscribe((state) => seen.push(`${state.theme}/${state.locale}`));
    expect(host.getState()).toMatchObject({ mode: "dashboard", token: null, theme: "dark", saleorApiUrl: "https://shop.example.com/graphql/" });

    emit("handshake", { token: "a.eyJlbWFpbCI6InN0YWZmQGV4YW1wbGUuY29tIn0.c", version: 1 });
    emit("theme", { theme: "light" });
    emit("localeChanged", { locale: "de-DE" });

    expect(host.getState()).toMatchObject({ token: "a.eyJlbWFpbCI6InN0YWZmQGV4YW1wbGUuY29tIn0.c", email: "staff@example.com", theme: "light", locale: "de" });
    expect(seen).toEqual(["dark/en", "light/en", "light/de"]);
  });

  it("waits for tokenRefresh when the API says the token expired", async () => {
    const { bridge, emit } = fakeBridge();
    const host = new DashboardHost(params, bridge);
    const refreshed = host.refreshToken();
    emit("tokenRefresh", { token: "fresh" });
    await expect(refreshed).resolves.toBe("fresh");
  });

  it("sends notifications to the Dashboard", () => {
    const { bridge, dispatch } = fakeBridge();
    new DashboardHost(params, bridge).notify("success", "Saved");
    expect(dispatch).toHaveBeenCalledWith(expect.objectContaining({ type: "notification", payload: expect.objectContaining({ status: "success", title: "Saved" }) }));
  });
});

describe("in the demo", () => {
  it("asks the demo server for a token", async () => {
    const fetchImpl = vi.fn(async () => new Response(JSON.stringify({ token: "demo", saleorApiUrl: "https://demo/graphql/", appId: "QXBw", expiresAt: Date.now() / 1000 + 300, email: "demo@x" })));
    const host = new DemoHost(new URLSearchParams("theme=dark&locale=de"), "/dashboard/demo-token", fetchImpl as unknown as typeof fetch);
    await expect(host.refreshToken()).resolves.toBe("demo");
    expect(fetchImpl).toHaveBeenCalledWith("/dashboard/demo-token", expect.objectContaining({ method: "POST" }));
    expect(host.getState()).toMatchObject({ mode: "demo", token: "demo", saleorApiUrl: "https://demo/graphql/", theme: "dark", locale: "de" });
    host.dispose();
  });

  it("acts as another demo user on request and says who it is", async () => {
    const users = [
      { key: "merchant", name: "Demo merchant", email: "demo@x" },
      { key: "approver", name: "Demo approver", email: "approver@x" },
    ];
    const fetchImpl = vi.fn(async (_url: string, init?: RequestInit) => {
      const asked = JSON.parse(String(init?.body || "{}")).user ?? "merchant";
      const user = users.find((candidate) => candidate.key === asked)!;
      return new Response(JSON.stringify({ token: `token-${asked}`, saleorApiUrl: "https://demo/graphql/", appId: "QXBw", expiresAt: Date.now() / 1000 + 300, email: user.email, user, users }));
    });
    window.sessionStorage.clear();
    const host = new DemoHost(new URLSearchParams(), "/dashboard/demo-token", fetchImpl as unknown as typeof fetch);
    await host.refreshToken();
    expect(host.getState()).toMatchObject({ token: "token-merchant", user: users[0], users });

    await expect(host.setUser("approver")).resolves.toBe("token-approver");
    expect(host.getState()).toMatchObject({ token: "token-approver", email: "approver@x", user: users[1] });
    // A reload of the tab stays the approver.
    const again = new DemoHost(new URLSearchParams(), "/dashboard/demo-token", fetchImpl as unknown as typeof fetch);
    await expect(again.refreshToken()).resolves.toBe("token-approver");
    host.dispose();
    again.dispose();
    window.sessionStorage.clear();
  });

  it("says so when the server has no demo", async () => {
    const fetchImpl = vi.fn(async () => new Response("", { status: 404 }));
    const host = new DemoHost(new URLSearchParams(), "/dashboard/demo-token", fetchImpl as unknown as typeof fetch);
    await expect(host.refreshToken()).resolves.toBeNull();
    expect(host.getState().error).toBe("demo-unavailable");
  });

  it("maps Dashboard locales to a language of the message files, else English", () => {
    expect([toLocale("de"), toLocale("DE_CH"), toLocale("en"), toLocale("fr"), toLocale("PT_BR"), toLocale(undefined)]).toEqual(["de", "de", "en", "fr", "en", "en"]);
  });
});
