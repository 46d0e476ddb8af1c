import { describe, expect, it } from "vitest";

import { hrefFor, parseRoute, routePath } from "./router";

describe("routes", () => {
  it("read the path under /dashboard/", () => {
    expect(parseRoute("/dashboard/", "")).toEqual({ name: "overview" });
    // The Dashboard's menu entry opens `<appUrl>` through url-join, which drops the slash.
    expect(parseRoute("/dashboard", "?domain=shop&id=QXBw")).toEqual({ name: "overview" });
    expect(parseRoute("/dashboard/widgets/order/", "?orderId=T3Jk")).toEqual({ name: "widget-order" });
    expect(parseRoute("/dashboard/partners/UGFydG5lcjox", "")).toEqual({ name: "partner", id: "UGFydG5lcjox" });
    expect(parseRoute("/dashboard/partners/UGFy/statements/UGVy", "")).toEqual({ name: "statement", partnerId: "UGFy", period: "UGVy" });
    expect(hrefFor({ name: "statement", partnerId: "UGFy", period: "2026-09" }, "")).toBe("/dashboard/partners/UGFy/statements/2026-09");
    expect(parseRoute("/dashboard/genealogy", "?root=UGFy")).toEqual({ name: "genealogy", root: "UGFy" });
    expect(parseRoute("/dashboard/genealogy/focus/UGFy%3D", "")).toEqual({ name: "genealogy", root: null, focus: "UGFy=" });
    expect(routePath({ name: "genealogy", root: null, focus: "UGFy=" })).toBe("/genealogy/focus/UGFy%3D");
    expect(parseRoute("/dashboard/widgets/customer", "?customerId=VXNlcjox")).toEqual({ name: "widget-customer" });
    expect(parseRoute("/dashboard/credit-notes", "")).toEqual({ name: "credit-notes", partner: null });
    expect(parseRoute("/dashboard/credit-notes/partner/UGFy%3D", "")).toEqual({ name: "credit-notes", partner: "UGFy=" });
    expect(routePath({ name: "credit-notes", partner: "UGFy=" })).toBe("/credit-notes/partner/UGFy%3D");
    expect(parseRoute("/dashboard/payouts", "")).toEqual({ name: "payouts", id: null });
    expect(parseRoute("/dashboard/payouts/UGF5b3V0UnVuOjE%3D", "")).toEqual({ name: "payouts", id: "UGF5b3V0UnVuOjE=" });
    expect(routePath({ name: "payouts", id: "UGF5b3V0UnVuOjE=" })).toBe("/payouts/UGF5b3V0UnVuOjE%3D");
    expect(parseRoute("/dashboard/settings", "")).toEqual({ name: "settings" });
    expect(parseRoute("/dashboard/house-customers", "")).toEqual({ name: "house-customers" });
    expect(parseRoute("/dashboard/nope", "")).toEqual({ name: "not-found" });
  });

  it("keep the Dashboard's parameters on links, and only those", () => {
    const search = "?saleorApiUrl=https%3A%2F%2Fshop%2Fgraphql%2F&id=QXBw&theme=dark&customerId=VXNl";
    expect(hrefFor({ name: "partner", id: "UGFy" }, search)).toBe(
      "/dashboard/partners/UGFy?saleorApiUrl=https%3A%2F%2Fshop%2Fgraphql%2F&id=QXBw&theme=dark",
    );
    expect(hrefFor({ name: "overview" }, "")).toBe("/dashboard/");
  });
});
