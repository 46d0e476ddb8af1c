/** Render a component inside the app's providers, with a fake host and a scripted API. */
import { ThemeProvider } from "@saleor/macaw-ui";
import { render } from "@testing-library/react";
import type { ReactNode } from "react";
import { vi } from "vitest";

import { AppProvider } from "../app/context";
import type { GraphQLClient } from "../app/graphql";
import type { Host, HostState, Locale } from "../app/host";
import { RouterProvider } from "../app/router";
import { Capabilities } from "../app/schema";

export function fakeHost(patch: Partial<HostState> = {}) {
  const state: HostState = {
    mode: "demo",
    token: "token",
    saleorApiUrl: "https://shop.example.com/graphql/",
    appId: "QXBwOjE=",
    theme: "light",
    locale: "en",
    email: "staff@example.com",
    error: null,
    ...patch,
  };
  const host = {
    getState: () => state,
    subscribe: () => () => undefined,
    refreshToken: async () => "token",
    notify: vi.fn<Host["notify"]>(),
    updateRoute: () => undefined,
    resizeWidget: () => undefined,
    openAppPage: vi.fn<Host["openAppPage"]>(),
    dispose: () => undefined,
  };
  return host satisfies Host;
}

/** Answers operations by name: `{ Partners: (variables) => data }`. */
export function fakeClient(answers: Record<string, (variables: Record<string, unknown>) => unknown>) {
  const calls: Array<{ operation: string; variables: Record<string, unknown> }> = [];
  const client = {
    calls,
    request: vi.fn(async (query: string, variables: Record<string, unknown> = {}) => {
      const operation = /(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? "anonymous";
      calls.push({ operation, variables });
      const answer = answers[operation];
      if (!answer) throw new Error(`no answer scripted for ${operation}`);
      return answer(variables);
    }),
  };
  return client as unknown as GraphQLClient & { calls: typeof calls; request: ReturnType<typeof vi.fn> };
}

export function renderWithApp(
  ui: ReactNode,
  {
    client = fakeClient({}),
    capabilities = [],
    locale = "en",
    host = fakeHost({ locale }),
  }: { client?: GraphQLClient; capabilities?: string[]; locale?: Locale; host?: Host } = {},
) {
  return render(
    <ThemeProvider>
      <AppProvider host={host} client={client} capabilities={Capabilities.fromNames(capabilities)}>
        <RouterProvider>{ui}</RouterProvider>
      </AppProvider>
    </ThemeProvider>,
  );
}
