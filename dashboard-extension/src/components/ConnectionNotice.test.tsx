import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { fakeClient, renderWithApp } from "../test/render";
import { CONNECTION_FIELDS, ConnectionNotice } from "./ConnectionNotice";

const answer = (connected: boolean) => () => ({
  appConnection: { connected, disconnectedAt: connected ? null : "2026-12-07T12:00:00Z", reason: connected ? null : "Saleor answered HTTP 401 to the app token" },
});

describe("the connection notice", () => {
  it("says in German that Saleor rejects the token and how to fix it", async () => {
    renderWithApp(<ConnectionNotice />, { client: fakeClient({ AppConnection: answer(false) }), capabilities: CONNECTION_FIELDS, locale: "de" });
    const notice = await screen.findByTestId("disconnected");
    expect(notice.textContent).toContain("Saleor lehnt das Token der App ab");
    expect(notice.textContent).toContain("erneut installieren");
  });

  it("shows nothing while connected, and asks nothing of an API without the field", async () => {
    const client = fakeClient({ AppConnection: answer(true) });
    renderWithApp(<ConnectionNotice />, { client, capabilities: CONNECTION_FIELDS });
    await waitFor(() => expect(client.calls).toHaveLength(1));
    expect(screen.queryByTestId("disconnected")).toBeNull();

    const older = fakeClient({});
    renderWithApp(<ConnectionNotice />, { client: older, capabilities: [] });
    expect(older.calls).toHaveLength(0);
  });
});
