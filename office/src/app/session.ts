/**
 * Who is signed in, and the token the office sends to the app's GraphQL API.
 *
 * On a shop the partner signs in with the shop account: the office calls Saleor's public API
 * (`tokenCreate`, then `tokenRefresh` when the 5-minute access token expired), exactly as a
 * storefront does; the refresh token is kept in the browser's local storage, the access token
 * only in memory. A storefront can hand over its session: `/office/#token=<access>&refreshToken=<refresh>`.
 *
 * The demo has no Saleor: the demo server issues a demo partner's access token
 * (`POST /office/demo-token`, saleor_mlm/office/demo.py) for an e-mail, or for a partner id when
 * the dashboard opens the office for a partner (`/office/?demoPartner=<id>`).
 */

export interface DemoPartner {
  email: string;
  name: string;
}

export interface OfficeConfig {
  saleorApiUrl: string | null;
  /** Where the shop's account mutations go (tokenCreate, accountRegister): the shop's Saleor; in the demo its stand-in. */
  accountsUrl?: string | null;
  demo: boolean;
  demoPartners: DemoPartner[];
}

/** An error of Saleor's account mutations (`AccountError`). */
export interface AccountError {
  field: string | null;
  code: string;
  message: string;
}

export type SignInResult = { ok: true } | { ok: false; reason: "failed" | "unknown" | "unreachable"; message?: string; error?: AccountError };
export type RegisterResult = { ok: true; requiresConfirmation: boolean } | { ok: false; errors: AccountError[] };

/** Saleor's `AccountRegisterInput` as the registration page fills it. */
export interface NewAccount {
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  languageCode: string;
  redirectUrl: string;
  channel?: string;
}

export interface SessionState {
  token: string | null;
  email: string;
}

const TOKEN_CREATE = `mutation OfficeTokenCreate($email: String!, $password: String!) {
  tokenCreate(email: $email, password: $password) { token refreshToken errors { field code message } }
}`;
const TOKEN_REFRESH = `mutation OfficeTokenRefresh($refreshToken: String!) {
  tokenRefresh(refreshToken: $refreshToken) { token errors { field code message } }
}`;
const ACCOUNT_REGISTER = `mutation OfficeAccountRegister($input: AccountRegisterInput!) {
  accountRegister(input: $input) { requiresConfirmation errors { field code message } }
}`;
const CONFIRM_ACCOUNT = `mutation OfficeConfirmAccount($email: String!, $token: String!) {
  confirmAccount(email: $email, token: $token) { errors { field code message } }
}`;

export function emailOf(token: string): string {
  try {
    const payload = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    return String(payload.email ?? "");
  } catch {
    return "";
  }
}

export class Session {
  private state: SessionState = { token: null, email: "" };
  private listeners = new Set<(state: SessionState) => void>();
  private refreshing: Promise<string | null> | null = null;

  constructor(
    readonly config: OfficeConfig,
    private storage: Storage = window.localStorage,
    private fetcher: typeof fetch = (...args) => window.fetch(...args),
  ) {}

  private get key() {
    return `saleor-mlm-office:${this.config.saleorApiUrl ?? ""}`;
  }

  getState() {
    return this.state;
  }

  subscribe(listener: (state: SessionState) => void) {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  private set(token: string | null) {
    this.state = { token, email: token ? emailOf(token) : "" };
    this.listeners.forEach((listener) => listener(this.state));
  }

  /** A session from before (refresh token, the demo's e-mail), a storefront's hand-over or the dashboard's demo link. */
  async restore(location: Location = window.location): Promise<void> {
    const hash = new URLSearchParams(location.hash.replace(/^#/, ""));
    const handed = hash.get("token");
    const params = new URLSearchParams(location.search);
    const demoPartner = params.get("demoPartner");
    if (handed || demoPartner) {
      params.delete("demoPartner");
      const search = params.toString();
      window.history.replaceState(window.history.state, "", `${location.pathname}${search ? `?${search}` : ""}`);
    }
    if (handed) {
      if (hash.get("refreshToken")) this.storage.setItem(this.key, JSON.stringify({ refreshToken: hash.get("refreshToken") }));
      this.set(handed);
      return;
    }
    if (demoPartner && this.config.demo) {
      await this.demoSignIn({ partnerId: demoPartner });
      return;
    }
    if (this.stored()) await this.refresh();
  }

  private stored(): { refreshToken?: string; demoEmail?: string } | null {
    try {
      return JSON.parse(this.storage.getItem(this.key) ?? "null");
    } catch {
      return null;
    }
  }

  async signIn(email: string, password: string): Promise<SignInResult> {
    if (this.config.demo) return this.demoSignIn({ email });
    return this.passwordSignIn(email, password);
  }

  private get accountsUrl(): string | null {
    return this.config.accountsUrl ?? this.config.saleorApiUrl;
  }

  /** Saleor's `tokenCreate` with the shop account's password (in the demo too: the registration page's accounts, on its stand-in). */
  async passwordSignIn(email: string, password: string): Promise<SignInResult> {
    if (!this.accountsUrl) return { ok: false, reason: "unreachable", message: "no shop" };
    try {
      const data = await this.saleor(TOKEN_CREATE, { email, password });
      const created = data?.tokenCreate;
      if (!created?.token || created.errors?.length) return { ok: false, reason: "failed", error: created?.errors?.[0] };
      this.storage.setItem(this.key, JSON.stringify({ refreshToken: created.refreshToken }));
      this.set(created.token);
      return { ok: true };
    } catch (error) {
      return { ok: false, reason: "unreachable", message: (error as Error).message };
    }
  }

  /** A new shop account (Saleor's `accountRegister`); the visitor signs in with it afterwards. */
  async registerAccount(account: NewAccount): Promise<RegisterResult> {
    if (!this.accountsUrl) throw new Error("no shop");
    const answer = (await this.saleor(ACCOUNT_REGISTER, { input: account }))?.accountRegister;
    if (!answer) throw new Error("no answer from the shop");
    if (answer.errors?.length) return { ok: false, errors: answer.errors };
    return { ok: true, requiresConfirmation: Boolean(answer.requiresConfirmation) };
  }

  /** The link of Saleor's confirmation e-mail comes back with `?email=…&token=…`: Saleor's `confirmAccount`. */
  async confirmAccount(email: string, token: string): Promise<AccountError[]> {
    const answer = (await this.saleor(CONFIRM_ACCOUNT, { email, token }))?.confirmAccount;
    if (!answer) throw new Error("no answer from the shop");
    return answer.errors ?? [];
  }

  private async demoSignIn(body: { email?: string; partnerId?: string }): Promise<SignInResult> {
    const response = await this.fetcher("/office/demo-token", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    if (response.status === 404) return { ok: false, reason: "unknown" };
    if (!response.ok) return { ok: false, reason: "unreachable", message: `HTTP ${response.status}` };
    const issued = await response.json();
    this.storage.setItem(this.key, JSON.stringify({ demoEmail: issued.email }));
    this.set(issued.token);
    return { ok: true };
  }

  /** A fresh access token after the API said the current one expired; null signs out. */
  refresh(): Promise<string | null> {
    this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async doRefresh(): Promise<string | null> {
    const stored = this.stored();
    try {
      if (this.config.demo && stored?.demoEmail) {
        const result = await this.demoSignIn({ email: stored.demoEmail });
        return result.ok ? this.state.token : this.signOut();
      }
      if (stored?.refreshToken && this.accountsUrl) {
        const data = await this.saleor(TOKEN_REFRESH, { refreshToken: stored.refreshToken });
        const token = data?.tokenRefresh?.token;
        if (token) {
          this.set(token);
          return token;
        }
      }
    } catch {
      // the shop could not be reached: signed out below, the sign-in page says so when tried again
    }
    return this.signOut();
  }

  signOut(): null {
    this.storage.removeItem(this.key);
    this.set(null);
    return null;
  }

  private async saleor(query: string, variables: Record<string, unknown>) {
    const response = await this.fetcher(this.accountsUrl!, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ query, variables }),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const body = await response.json();
    return body.data;
  }
}
