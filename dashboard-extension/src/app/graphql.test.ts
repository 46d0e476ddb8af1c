import { describe, expect, it, vi } from "vitest";

import { fakeHost } from "../test/render";
import { ApiError, apiEndpoint, GraphQLClient } from "./graphql";

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });

describe("the API client", () => {
  it("sends the token the way app-sdk does", async () => {
    const fetchImpl = vi.fn(async () => json({ data: { partners: { totalCount: 3 } } }));
    const client = new GraphQLClient(fakeHost({ locale: "de" }), "/graphql/", fetchImpl as unknown as typeof fetch);

    await expect(client.request("{ partners { totalCount } }")).resolves.toEqual({ partners: { totalCount: 3 } });
    const [, init] = fetchImpl.mock.calls[0] as unknown as [string, RequestInit];
    expect(init.headers).toMatchObject({
      "authorization-bearer": "token",
      "saleor-api-url": "https://shop.example.com/graphql/",
      "Accept-Language": "de",
    });
  });

  it("refreshes an expired token once and retries", async () => {
    const host = fakeHost();
    host.refreshToken = vi.fn(async () => "fresh");
    const fetchImpl = vi
      .fn()
      .mockResolvedValueOnce(json({ errors: [{ message: "expired", extensions: { code: "EXPIRED_TOKEN" } }] }, 401))
      .mockResolvedValueOnce(json({ data: { ok: true } }));
    const client = new GraphQLClient(host, "/graphql/", fetchImpl as unknown as typeof fetch);

    await expect(client.request("{ ok }")).resolves.toEqual({ ok: true });
    expect(host.refreshToken).toHaveBeenCalledOnce();
  });

  it("turns errors into ApiError with the API's code", async () => {
    const fetchImpl = vi.fn(async () => json({ data: null, errors: [{ message: "no", extensions: { code: "PERMISSION_DENIED" } }] }));
    const client = new GraphQLClient(fakeHost(), "/graphql/", fetchImpl as unknown as typeof fetch);
    const failure = (await client.request("{ x }").catch((error: unknown) => error)) as ApiError;
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure.code).toBe("PERMISSION_DENIED");
  });

  it("finds /graphql/ next to the app's base", () => {
    expect(apiEndpoint("/dashboard/")).toBe("/graphql/");
    expect(apiEndpoint("/mlm/dashboard/")).toBe("/mlm/graphql/");
  });
});
