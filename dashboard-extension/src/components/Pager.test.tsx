import { fireEvent, screen, waitFor } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, it } from "vitest";

import { useQuery } from "../app/useQuery";
import { fakeClient, renderWithApp } from "../test/render";
import { Pager, usePages } from "./Pager";

// 45 rows a..., pages of 20: the API's keyset paging both ways, cursors are the row numbers.
const ROWS = Array.from({ length: 45 }, (_, index) => index);
function answer(variables: Record<string, unknown>) {
  const selected = variables.search ? ROWS.filter((row) => String(row).includes(String(variables.search))) : ROWS;
  let page: number[];
  if (variables.last) {
    const before = selected.indexOf(Number(variables.before));
    page = selected.slice(Math.max(0, before - Number(variables.last)), before);
  } else {
    const after = variables.after === undefined ? -1 : selected.indexOf(Number(variables.after));
    page = selected.slice(after + 1, after + 1 + Number(variables.first));
  }
  return { rows: { totalCount: selected.length, pageInfo: { startCursor: String(page[0]), endCursor: String(page.at(-1)) }, edges: page } };
}

function List() {
  const [search, setSearch] = useState("");
  const pages = usePages(20, search);
  const { data } = useQuery<ReturnType<typeof answer>>(`query Rows($search: String) { rows }`, { search, ...pages.variables });
  return (
    <>
      <input aria-label="search" value={search} onChange={(event) => setSearch(event.target.value)} />
      <span data-testid="first-row">{data?.rows.edges[0]}</span>
      {data && <Pager pages={pages} connection={data.rows} shown={data.rows.edges.length} testId="rows" />}
    </>
  );
}

describe("the pager", () => {
  it("pages forward after the last cursor, back before the first, and starts again when the selection changes", async () => {
    const api = fakeClient({ Rows: answer });
    renderWithApp(<List />, { client: api });
    await waitFor(() => expect(screen.getByTestId("rows-count").textContent).toBe("1–20 of 45"));
    expect((screen.getByTestId("rows-previous") as HTMLButtonElement).disabled).toBe(true);

    fireEvent.click(screen.getByTestId("rows-next"));
    await waitFor(() => expect(screen.getByTestId("rows-count").textContent).toBe("21–40 of 45"));
    expect(api.calls.at(-1)!.variables).toMatchObject({ first: 20, after: "19" });
    fireEvent.click(screen.getByTestId("rows-next"));
    await waitFor(() => expect(screen.getByTestId("rows-count").textContent).toBe("41–45 of 45"));
    expect((screen.getByTestId("rows-next") as HTMLButtonElement).disabled).toBe(true);

    fireEvent.click(screen.getByTestId("rows-previous"));
    await waitFor(() => expect(screen.getByTestId("rows-count").textContent).toBe("21–40 of 45"));
    expect(api.calls.at(-1)!.variables).toMatchObject({ last: 20, before: "40" });
    expect(screen.getByTestId("first-row").textContent).toBe("20");

    fireEvent.change(screen.getByLabelText("search"), { target: { value: "4" } });
    await waitFor(() => expect(screen.getByTestId("rows-count").textContent).toBe("1–9 of 9"));
    expect(api.calls.at(-1)!.variables).toEqual({ search: "4", first: 20 });
  });

  it("says so when nothing matches", async () => {
    renderWithApp(<List />, { client: fakeClient({ Rows: (variables) => answer({ ...variables, search: "x" }) }) });
    await waitFor(() => expect(screen.getByTestId("rows-count").textContent).toBe("0 results"));
  });
});
