/**
 * Where the extension runs and who it is: the Saleor Dashboard (app-sdk's AppBridge hands
 * over the token, theme and locale by postMessage) or the demo (no Saleor: the page is
 * opened directly and asks the demo server for a token, see saleor_mlm/dashboard/demo.py).
 *
 * The Dashboard loads the extension with `?saleorApiUrl=...&id=...&theme=...`; without
 * `saleorApiUrl` the page is in the demo.
 */
import { actions, AppBridge } from "@saleor/app-sdk/app-bridge";

import { toLocale, type Locale } from "./i18n";

export type ThemeName = "light" | "dark";
export { toLocale, type Locale };
export type HostMode = "dashboard" | "demo";

export interface HostState {
  mode: HostMode;
  token: string | null;
  saleorApiUrl: string;
  appId: string;
  theme: ThemeName;
  locale: Locale;
  email: string;
  /** Why there is no token (the demo server refused, no handshake yet). */
  error: string | null;
  /** The demo only: who the page acts as, and whom it can switch to. */
  user?: DemoUser | null;
  users?: DemoUser[];
}

/** A person of the demo's shop (saleor_mlm/dashboard/demo.py, DEMO_USERS). */
export interface DemoUser {
  key: string;
  name: string;
  email: string;
}

export type NotificationStatus = "info" | "success" | "warning" | "error";

export interface Host {
  getState(): HostState;
  subscribe(listener: (state: HostState) => void): () => void;
  /** A fresh token after the API said the current one expired; null when none comes. */
  refreshToken(): Promise<string | null>;
  notify(status: NotificationStatus, title: string, text?: string): void;
  /** Tell the Dashboard the extension's own route, so that a reload lands there. */
  updateRoute(path: string): void;
  /** Open one of the extension's pages from a widget: the app page inside the Dashboard. */
  openAppPage(path: string): void;
  /** A widget tells the Dashboard its content height (Saleor 3.23.7+ resizes the iframe). */
  resizeWidget(height: number): void;
  dispose(): void;
}

export function toTheme(value: string | null | undefined): ThemeName {
  return value === "dark" ? "dark" : "light";
}

class Listeners {
  private listeners = new Set<(state: HostState) => void>();
  add(listener: (state: HostState) => void) {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
  emit(state: HostState) {
    this.listeners.forEach((listener) => listener(state));
  }
}

/** Inside the Saleor Dashboard: the AppBridge owns the token. */
export class DashboardHost implements Host {
  private state: HostState;
  private listeners = new Listeners();
  private bridge: AppBridge;
  private unsubscribe: Array<() => void> = [];
  private waiting: Array<(token: string | null) => void> = [];

  constructor(params: URLSearchParams, bridge?: AppBridge) {
    const saleorApiUrl = params.get("saleorApiUrl") || "";
    this.state = {
      mode: "dashboard",
      token: null,
      saleorApiUrl,
      appId: params.get("id") || "",
      theme: toTheme(params.get("theme")),
      locale: toLocale(params.get("locale")),
      email: "",
      error: null,
    };
    this.bridge =
      bridge ??
      new AppBridge({
        saleorApiUrl,
        initialTheme: this.state.theme,
        initialLocale: this.state.locale as never,
        autoNotifyReady: true,
      });
    this.unsubscribe.push(
      this.bridge.subscribe("handshake", ({ token }) => this.setToken(token)),
      this.bridge.subscribe("tokenRefresh", ({ token }) => this.setToken(token)),
      this.bridge.subscribe("theme", ({ theme }) => this.set({ theme: toTheme(theme) })),
      this.bridge.subscribe("localeChanged", ({ locale }) => this.set({ locale: toLocale(locale) })),
    );
    const bridgeState = this.bridge.getState();
    if (bridgeState.token) this.setToken(bridgeState.token);
  }

  private setToken(token: string) {
    this.set({ token, error: null, email: emailOf(token) });
    const waiting = this.waiting;
    this.waiting = [];
    waiting.forEach((resolve) => resolve(token));
  }

  private set(patch: Partial<HostState>) {
    this.state = { ...this.state, ...patch };
    this.listeners.emit(this.state);
  }

  getState() {
    return this.state;
  }

  subscribe(listener: (state: HostState) => void) {
    return this.listeners.add(listener);
  }

  refreshToken(): Promise<string | null> {
    // The Dashboard refreshes its token on its own and sends `tokenRefresh`; wait a while.
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      window.setTimeout(() => resolve(null), 15000);
    });
  }

  notify(status: NotificationStatus, title: string, text?: string) {
    this.bridge.dispatch(actions.Notification({ status, title, text })).catch(() => undefined);
  }

  updateRoute(path: string) {
    this.bridge.dispatch(actions.UpdateRouting({ newRoute: path })).catch(() => undefined);
  }

  openAppPage(path: string) {
    // The Dashboard shows an app's page at /apps/<app id>/app/<path inside appUrl>.
    const to = `/apps/${encodeURIComponent(this.state.appId)}/app${path}`;
    this.bridge.dispatch(actions.Redirect({ to })).catch(() => undefined);
  }

  resizeWidget(height: number) {
    if (height > 0 && Number.isFinite(height)) {
      this.bridge.dispatch(actions.WidgetResize({ height: Math.ceil(height) })).catch(() => undefined);
    }
  }

  dispose() {
    this.unsubscribe.forEach((fn) => fn());
  }
}

interface DemoTokenAnswer {
  token: string;
  saleorApiUrl: string;
  appId: string;
  expiresAt: number;
  email: string;
  user?: DemoUser;
  users?: DemoUser[];
}

/** Which demo user the tab acts as, kept for the tab's session (a reload stays that user). */
const DEMO_USER_KEY = "saleor-mlm-demo-user";

function storedDemoUser(): string | null {
  try {
    return window.sessionStorage.getItem(DEMO_USER_KEY);
  } catch {
    return null;
  }
}

function storeDemoUser(key: string) {
  try {
    window.sessionStorage.setItem(DEMO_USER_KEY, key);
  } catch {
    // storage blocked: the choice lasts until the page is reloaded
  }
}

/**
 * The demo: the page was opened directly; the demo server signs a Dashboard-like token for
 * one of its users (`?as=approver`, or the one chosen in this tab; the merchant otherwise).
 */
export class DemoHost implements Host {
  private state: HostState;
  private listeners = new Listeners();
  private timer: number | undefined;
  private pending: Promise<string | null> | null = null;
  private userKey: string | null;
  private toasts: Array<{ status: NotificationStatus; title: string; text?: string }> = [];

  constructor(
    params: URLSearchParams,
    private tokenUrl: string,
    private fetchImpl: typeof fetch = (...args) => window.fetch(...args),
  ) {
    this.state = {
      mode: "demo",
      token: null,
      saleorApiUrl: "",
      appId: "",
      theme: toTheme(params.get("theme")),
      locale: toLocale(params.get("locale") || navigator.language),
      email: "",
      error: null,
      user: null,
      users: [],
    };
    this.userKey = params.get("as") || storedDemoUser();
    void this.refreshToken();
  }

  getState() {
    return this.state;
  }

  subscribe(listener: (state: HostState) => void) {
    return this.listeners.add(listener);
  }

  /** The demo has no Dashboard around it; these let its own controls switch. */
  setTheme(theme: ThemeName) {
    this.set({ theme });
  }

  setLocale(locale: Locale) {
    this.set({ locale });
  }

  /** Act as another demo user: a token of that user replaces the current one. */
  async setUser(key: string): Promise<string | null> {
    this.userKey = key;
    storeDemoUser(key);
    if (this.pending) await this.pending;
    return this.refreshToken();
  }

  private set(patch: Partial<HostState>) {
    this.state = { ...this.state, ...patch };
    this.listeners.emit(this.state);
  }

  refreshToken(): Promise<string | null> {
    if (!this.pending) {
      this.pending = this.fetchToken().finally(() => {
        this.pending = null;
      });
    }
    return this.pending;
  }

  private async fetchToken(): Promise<string | null> {
    try {
      const response = await this.fetchImpl(this.tokenUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(this.userKey ? { user: this.userKey } : {}),
      });
      if (response.status === 400 && this.userKey) {
        // A user this demo does not have (an old choice): fall back to the merchant.
        this.userKey = null;
        return this.fetchToken();
      }
      if (!response.ok) {
        this.set({ token: null, error: response.status === 404 ? "demo-unavailable" : `HTTP ${response.status}` });
        return null;
      }
      const answer = (await response.json()) as DemoTokenAnswer;
      this.set({
        token: answer.token,
        saleorApiUrl: answer.saleorApiUrl,
        appId: answer.appId,
        email: answer.email,
        user: answer.user ?? null,
        users: answer.users ?? [],
        error: null,
      });
      // Renew a minute before it expires.
      const wait = Math.max(10, answer.expiresAt - Date.now() / 1000 - 60) * 1000;
      window.clearTimeout(this.timer);
      this.timer = window.setTimeout(() => void this.refreshToken(), wait);
      return answer.token;
    } catch (error) {
      this.set({ token: null, error: String(error) });
      return null;
    }
  }

  notify(status: NotificationStatus, title: string, text?: string) {
    this.toasts.push({ status, title, text });
    window.dispatchEvent(new CustomEvent("mlm-notification", { detail: { status, title, text } }));
  }

  updateRoute() {
    // The browser's own address bar is the route in the demo.
  }

  openAppPage(path: string) {
    window.location.assign(`/dashboard${path}`);
  }

  resizeWidget() {
    // No Dashboard around the widget in the demo.
  }

  dispose() {
    window.clearTimeout(this.timer);
  }
}

function emailOf(token: string): string {
  try {
    const payload = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    return String(payload.email || "");
  } catch {
    return "";
  }
}

export function createHost(location: Location = window.location): Host {
  const params = new URLSearchParams(location.search);
  if (params.get("saleorApiUrl")) return new DashboardHost(params);
  return new DemoHost(params, "/dashboard/demo-token");
}
