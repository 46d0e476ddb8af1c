/**
 * The app's GraphQL API (/graphql/ on the app's own origin), called with the Dashboard token
 * the way app-sdk sends it: `authorization-bearer` and `saleor-api-url` headers.
 */
import type { Host } from "./host";

export interface GraphQLErrorShape {
  message: string;
  path?: Array<string | number>;
  extensions?: { code?: string; [key: string]: unknown };
}

export class ApiError extends Error {
  constructor(
    message: string,
    public readonly code: string,
    public readonly errors: GraphQLErrorShape[] = [],
    public readonly status = 200,
  ) {
    super(message);
  }
}

/** A mutation's typed error: `field` is the input field in camelCase (or a plan key path). */
export interface MlmError {
  field: string | null;
  code: string;
  message: string;
}

export function apiEndpoint(base = "/dashboard/"): string {
  return base.replace(/dashboard\/?$/, "") + "graphql/";
}

export class GraphQLClient {
  constructor(
    private host: Host,
    private endpoint: string = apiEndpoint(),
    private fetchImpl: typeof fetch = (...args) => window.fetch(...args),
  ) {}

  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    let token = this.host.getState().token ?? (await this.host.refreshToken());
    for (let attempt = 0; ; attempt++) {
      const { status, body } = await this.post(query, variables, token);
      const errors: GraphQLErrorShape[] = body?.errors ?? [];
      const code = errors[0]?.extensions?.code ?? "";
      if (status === 401 && code === "EXPIRED_TOKEN" && attempt === 0) {
        token = await this.host.refreshToken();
        if (token) continue;
      }
      if (status !== 200 || !body?.data || errors.length) {
        const message = errors.map((error) => error.message).join("; ") || `HTTP ${status}`;
        throw new ApiError(message, code || (status === 401 ? "UNAUTHENTICATED" : "ERROR"), errors, status);
      }
      return body.data as T;
    }
  }

  private async post(query: string, variables: Record<string, unknown>, token: string | null) {
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    const { saleorApiUrl, locale } = this.host.getState();
    if (token) headers["authorization-bearer"] = token;
    if (saleorApiUrl) headers["saleor-api-url"] = saleorApiUrl;
    headers["Accept-Language"] = locale;
    const response = await this.fetchImpl(this.endpoint, {
      method: "POST",
      headers,
      body: JSON.stringify({ query, variables }),
    });
    let body: { data?: unknown; errors?: GraphQLErrorShape[] } | null = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    return { status: response.status, body };
  }
}
