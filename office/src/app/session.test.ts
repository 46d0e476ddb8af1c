import { describe, expect, it } from "vitest";

import { GraphQLClient } from "./graphql";
import { Session, type OfficeConfig } from "./session";

const SHOP: OfficeConfig = { saleorApiUrl: "https://shop.example.com/graphql/", demo: false, demoPartners: [] };
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });

/** A JWT-shaped token (only its payload is read by the office). */
const token = (email: string, n: number) => `h.${btoa(JSON.stringify({ email, n }))}.s`;

class MemoryStorage implements Storage {
  private items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

/**
 * Saleor's public API and the app's GraphQL API as the office meets them: tokenCreate with the
 * right password, tokenRefresh with the refresh token it issued; the app answers 401
 * EXPIRED_TOKEN to the first access token, data to a fresh one.
 */
function shopAndApp() {
  const calls: Array<{ url: string; body: { query: string; variables: Record<string, string> }; authorization?: string }> = [];
  let issued = 0;
  const fetcher = (async (url: string, init: RequestInit) => {
    const body = JSON.parse(String(init.body));
    const headers = init.headers as Record<string, string>;
    calls.push({ url, body, authorization: headers.Authorization });
    if (url === SHOP.saleorApiUrl && body.query.includes("tokenCreate")) {
      if (body.variables.password !== "secret") return json({ data: { tokenCreate: { token: null, refreshToken: null, errors: [{ field: "email", code: "INVALID_CREDENTIALS", message: "Invalid" }] } } });
      return json({ data: { tokenCreate: { token: token(body.variables.email, ++issued), refreshToken: "refresh-1", errors: [] } } });
    }
    if (url === SHOP.saleorApiUrl && body.query.includes("tokenRefresh")) {
      if (body.variables.refreshToken !== "refresh-1") return json({ data: { tokenRefresh: { token: null, errors: [{ field: "refreshToken", code: "JWT_INVALID_TOKEN", message: "bad" }] } } });
      return json({ data: { tokenRefresh: { token: token("anna@example.com", ++issued), errors: [] } } });
    }
    if (url === "/graphql/") {
      if (headers.Authorization === `Bearer ${token("anna@example.com", 1)}`) return json({ errors: [{ message: "expired", extensions: { code: "EXPIRED_TOKEN" } }] }, 401);
      return json({ data: { me: { partner: { id: "UGFydG5lcjox" } } } });
    }
    return json({}, 404);
  }) as unknown as typeof fetch;
  return { fetcher, calls };
}

describe("the partner's session", () => {
  it("signs in with tokenCreate, refreshes an expired token once with tokenRefresh and repeats the request", async () => {
    const { fetcher, calls } = shopAndApp();
    const storage = new MemoryStorage();
    const session = new Session(SHOP, storage, fetcher);

    expect(await session.signIn("anna@example.com", "secret")).toEqual({ ok: true });
    expect(session.getState().email).toBe("anna@example.com");
    expect(JSON.parse(storage.getItem(`saleor-mlm-office:${SHOP.saleorApiUrl}`)!)).toEqual({ refreshToken: "refresh-1" });

    const client = new GraphQLClient(session, () => "de", fetcher);
    await expect(client.request("{ me { partner { id } } }")).resolves.toEqual({ me: { partner: { id: "UGFydG5lcjox" } } });
    expect(calls.map((call) => call.body.query.match(/token\w+|me/)?.[0])).toEqual(["tokenCreate", "me", "tokenRefresh", "me"]);
    expect(calls.at(-1)!.authorization).toBe(`Bearer ${token("anna@example.com", 2)}`);
  });

  it("a wrong password signs nobody in and keeps nothing", async () => {
    const { fetcher } = shopAndApp();
    const storage = new MemoryStorage();
    const session = new Session(SHOP, storage, fetcher);

    expect(await session.signIn("anna@example.com", "wrong")).toEqual({ ok: false, reason: "failed", error: { field: "email", code: "INVALID_CREDENTIALS", message: "Invalid" } });
    expect(session.getState().token).toBeNull();
    expect(storage.length).toBe(0);
  });

  it("a refresh the shop refuses signs the partner out", async () => {
    const { fetcher } = shopAndApp();
    const storage = new MemoryStorage();
    storage.setItem(`saleor-mlm-office:${SHOP.saleorApiUrl}`, JSON.stringify({ refreshToken: "revoked" }));
    const session = new Session(SHOP, storage, fetcher);

    expect(await session.refresh()).toBeNull();
    expect(storage.length).toBe(0);
  });
});
