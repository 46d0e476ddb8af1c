/**
 * The app's GraphQL API as a storefront calls it: `Authorization: Bearer <the partner's access
 * token>`. An expired token (401 `EXPIRED_TOKEN`) is refreshed once and the request repeated.
 */
import type { Locale } from "../i18n";
import type { Session } from "./session";

export class GraphQLError extends Error {
  constructor(
    message: string,
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

export class GraphQLClient {
  constructor(
    private session: Session,
    private locale: () => Locale,
    private fetcher: typeof fetch = (...args) => window.fetch(...args),
  ) {}

  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    let token = this.session.getState().token;
    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await this.fetcher("/graphql/", {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "Accept-Language": this.locale(),
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          ...(this.session.config.saleorApiUrl ? { "saleor-api-url": this.session.config.saleorApiUrl } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = await response.json().catch(() => ({ errors: [{ message: `HTTP ${response.status}` }] }));
      const code: string | null = body.errors?.[0]?.extensions?.code ?? null;
      if (response.status === 401 && code === "EXPIRED_TOKEN" && attempt === 0) {
        token = await this.session.refresh();
        if (token) continue;
      }
      if (response.status === 401) this.session.signOut();
      if (body.errors?.length) throw new GraphQLError(body.errors.map((error: { message: string }) => error.message).join("; "), code);
      return body.data as T;
    }
    throw new GraphQLError("signed out", "EXPIRED_TOKEN");
  }
}
