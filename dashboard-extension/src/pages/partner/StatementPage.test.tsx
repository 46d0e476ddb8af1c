import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { fakeClient, renderWithApp } from "../../test/render";
import { PartnerFigures, STATEMENT_FIELDS } from "./PartnerFigures";
import { LINES_PAGE, STATEMENT_VIEW_FIELDS, StatementPage } from "./StatementPage";

const PARTNER = "UGFydG5lcjoy";
const PERIOD = "UGVyaW9kOjE=";

const statement = {
  runKind: "CLOSE",
  currency: "EUR",
  total: "12345678901234567.89",
  pv: "120.00",
  gv: "4200.50",
  ov: "98000.00",
  qualified: true,
  carriedIn: "0.00",
  payable: "12345678901234567.89",
  paid: "12345678901234567.89",
  carriedForward: "0.00",
  period: { id: PERIOD, label: "2026-09", status: "COMMITTED" },
  partner: { id: PARTNER, displayName: "Paul Schwarz", referralCode: "PAULS2" },
  paidAsRank: { code: "gold", name: "Gold" },
  adjustments: [],
  bonuses: [
    {
      kind: "LEVEL",
      kindName: "Level bonus",
      amount: "1446.80",
      lineTotal: "1446.801015",
      lineCount: 3,
      groups: [
        { level: 1, rate: "0.05", count: 2, volume: "18624.085750", amount: "931.204288" },
        { level: 2, rate: "0.03", count: 1, volume: "11951.827975", amount: "358.554839" },
      ],
    },
    {
      kind: "DIFFERENCE",
      kindName: "Difference bonus",
      amount: "39.38",
      lineTotal: "39.375000",
      lineCount: 1,
      groups: [{ level: null, rate: "0.09", count: 1, volume: "437.50", amount: "39.375000" }],
    },
  ],
};

const line = (index: number, kind = "LEVEL") => ({
  kind,
  sourceId: `UGFydG5lcjo${index}`,
  sourceType: "PARTNER",
  sourceName: `Source ${index}`,
  sourceCode: `SRC${index}`,
  level: kind === "LEVEL" ? 1 : null,
  volume: "437.50",
  rate: kind === "LEVEL" ? "0.05" : "0.09",
  amount: kind === "LEVEL" ? `${100 - index}.123456` : "39.375",
});

/** A statement with `total` lines of `kind` (or mixed), paged like the API: the cursor is the offset. */
function linesAnswer(variables: Record<string, unknown>, total = 120) {
  const kind = variables.kind as string | null | undefined;
  const all = Array.from({ length: total }, (_, index) => line(index, kind ?? (index === 0 ? "DIFFERENCE" : "LEVEL")));
  const start = variables.after ? Number(atob(String(variables.after))) + 1 : 0;
  const slice = all.slice(start, start + Number(variables.first));
  return {
    statement: {
      lines: {
        totalCount: all.length,
        pageInfo: { hasNextPage: start + slice.length < all.length, endCursor: slice.length ? btoa(String(start + slice.length - 1)) : null },
        edges: slice.map((node, index) => ({ cursor: btoa(String(start + index)), node })),
      },
    },
  };
}

function renderStatement(locale: "en" | "de" = "en", total = 120) {
  const client = fakeClient({
    PartnerStatement: () => ({ statement }),
    PartnerStatementLines: (variables) => linesAnswer(variables, total),
  });
  renderWithApp(<StatementPage partnerId={PARTNER} period={PERIOD} />, { client, capabilities: STATEMENT_VIEW_FIELDS, locale });
  return client;
}

const lineRows = () => within(screen.getByTestId("statement-lines-table")).getAllByTestId("row");

describe("a partner's statement", () => {
  it("shows each bonus with its total and its groups per level or rate", async () => {
    renderStatement();
    const level = await screen.findByText("Level bonus", { selector: "[data-testid=statement-bonus] *" });
    const bonus = level.closest("[data-testid=statement-bonus]") as HTMLElement;
    expect(within(bonus).getByTestId("bonus-amount").textContent).toBe("€1,446.80");
    expect(bonus.textContent).toContain("3 lines");
    // The exact sum of the lines on hover; the amount as paid in the currency's minor unit.
    expect(within(bonus).getByTestId("bonus-amount").getAttribute("title")).toBe("Lines before rounding: €1,446.801015");
    const groups = within(bonus).getAllByTestId("row").map((row) => Array.from(row.querySelectorAll("td")).map((cell) => cell.textContent));
    expect(groups).toEqual([
      ["Level 1", "5%", "2", "18,624.08575", "€931.20"],
      ["Level 2", "3%", "1", "11,951.827975", "€358.55"],
    ]);
    const exact = within(bonus).getAllByTestId("row").map((row) => row.querySelector("td:last-child [title]")?.getAttribute("title"));
    expect(exact).toEqual(["€931.204288", "€358.554839"]);
    const difference = screen.getAllByTestId("statement-bonus").find((element) => element.dataset.kind === "DIFFERENCE")!;
    const cells = Array.from(within(difference).getByTestId("row").querySelectorAll("td")).map((cell) => cell.textContent);
    expect(cells).toEqual(["Rate 9%", "9%", "1", "437.50", "€39.38"]);
    expect(screen.getByTestId("page-title").textContent).toBe("Statement 2026-09: Paul Schwarz");
  });

  it("shows money in the currency's minor unit with the locale's separators, the exact decimal on hover", async () => {
    renderStatement("de");
    expect((await screen.findByTestId("statement-total")).textContent).toContain("12.345.678.901.234.567,89\u00a0€");
    await waitFor(() => expect(lineRows()).toHaveLength(LINES_PAGE));
    const amounts = screen.getAllByTestId("line-amount").map((element) => element.textContent);
    expect(amounts.slice(0, 2)).toEqual(["39,38\u00a0€", "99,12\u00a0€"]);
    const exact = screen.getAllByTestId("line-amount").map((element) => element.getAttribute("title"));
    expect(exact.slice(0, 2)).toEqual(["39,375\u00a0€", "99,123456\u00a0€"]);
    expect(screen.getAllByTestId("line-amount")[0].dataset.exact).toBe("39.375");
  });

  it("lists the lines with their source linked to its partner page, and loads more after the last cursor", { timeout: 30000 }, async () => {
    const client = renderStatement();
    await waitFor(() => expect(lineRows()).toHaveLength(50));
    const first = lineRows()[1];
    const source = within(first).getByTestId("line-source");
    expect(source.getAttribute("href")).toBe("/dashboard/partners/UGFydG5lcjo1");
    expect(Array.from(first.querySelectorAll("td")).map((cell) => cell.textContent)).toEqual(["Level bonus", "Source 1 · SRC1", "1", "437.50", "5%", "€99.12"]);
    expect(screen.getByTestId("statement-lines-shown").textContent).toBe("50 of 120 lines");

    fireEvent.click(screen.getByTestId("statement-load-more"));
    await waitFor(() => expect(lineRows()).toHaveLength(100));
    const pages = client.calls.filter((call) => call.operation === "PartnerStatementLines").map((call) => call.variables);
    expect(pages.at(-1)).toEqual({ period: PERIOD, partnerId: PARTNER, first: 50, after: btoa("49"), kind: null });
    expect(lineRows()[50].textContent).toContain("Source 50");

    fireEvent.click(screen.getByTestId("statement-load-more"));
    await waitFor(() => expect(lineRows()).toHaveLength(120));
    expect(client.calls.filter((call) => call.operation === "PartnerStatementLines").at(-1)!.variables.after).toBe(btoa("99"));
    expect(screen.queryByTestId("statement-load-more")).toBeNull();
    expect(screen.getByTestId("statement-lines-shown").textContent).toBe("120 of 120 lines");
  });

  // Rendering pages of 50 rows in jsdom takes a few seconds on a busy machine.
  it("filters the lines by bonus, and pages within the filter", { timeout: 30000 }, async () => {
    const client = renderStatement();
    await waitFor(() => expect(lineRows()).toHaveLength(50));
    fireEvent.click(screen.getByTestId("statement-load-more"));
    await waitFor(() => expect(lineRows()).toHaveLength(100));

    fireEvent.click(screen.getByTestId("lines-filter-DIFFERENCE"));
    expect(screen.getByTestId("lines-filter-DIFFERENCE").getAttribute("aria-pressed")).toBe("true");
    await waitFor(() => expect(lineRows()).toHaveLength(50)); // a new filter starts at the first page
    expect(lineRows().every((row) => row.textContent!.startsWith("Difference bonus"))).toBe(true);
    const calls = () => client.calls.filter((call) => call.operation === "PartnerStatementLines").map((call) => call.variables);
    expect(calls().at(-1)).toEqual({ period: PERIOD, partnerId: PARTNER, first: 50, kind: "DIFFERENCE" });
    fireEvent.click(screen.getByTestId("statement-load-more"));
    await waitFor(() => expect(lineRows()).toHaveLength(100));
    expect(calls().at(-1)).toEqual({ period: PERIOD, partnerId: PARTNER, first: 50, after: btoa("49"), kind: "DIFFERENCE" });

    // "Show its lines" on a bonus filters too.
    const level = screen.getAllByTestId("statement-bonus").find((element) => element.dataset.kind === "LEVEL")!;
    fireEvent.click(within(level).getByTestId("bonus-show-lines"));
    await waitFor(() => expect(calls().at(-1)!.kind).toBe("LEVEL"));
    fireEvent.click(screen.getByTestId("lines-filter-ALL"));
    await waitFor(() => expect(calls().at(-1)!.kind).toBeNull());
  });

  it("says which fields are missing against an older API", async () => {
    renderWithApp(<StatementPage partnerId={PARTNER} period={PERIOD} />, { capabilities: ["Query.statement(partnerId)"] });
    expect((await screen.findByTestId("missing-api")).dataset.missing).toBe(STATEMENT_VIEW_FIELDS.slice(1).join(","));
  });

  it("opens from the partner's statements list", async () => {
    const client = fakeClient({
      PartnerStatements: () => ({
        partner: {
          id: PARTNER,
          statements: {
            edges: [{ node: { currency: "EUR", runKind: "CLOSE", total: "10.00", paid: "10.00", carriedForward: "0.00", period: { id: PERIOD, label: "2026-09", status: "COMMITTED" }, paidAsRank: null } }],
          },
        },
      }),
    });
    renderWithApp(<PartnerFigures partnerId={PARTNER} />, { client, capabilities: STATEMENT_FIELDS });
    const link = await screen.findByTestId("statement-open");
    expect(link.getAttribute("href")).toBe(`/dashboard/partners/${PARTNER}/statements/${encodeURIComponent(PERIOD)}`);
  });
});
