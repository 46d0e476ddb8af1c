import { describe, expect, it } from "vitest";

import { memberNode } from "./programNetwork";

describe("a program's member in the genealogy", () => {
  it("hangs under its sponsor in the program, with its frontline there", () => {
    const node = memberNode({
      partner: { id: "UGFydG5lcjoz", displayName: "Clara Weiss", referralCode: "CLARA", status: "ACTIVE" },
      sponsor: { id: "UGFydG5lcjox", referralCode: "ANNA" },
      frontlineCount: 2,
    });
    expect(node).toEqual({
      id: "UGFydG5lcjoz",
      displayName: "Clara Weiss",
      referralCode: "CLARA",
      status: "ACTIVE",
      sponsor: { id: "UGFydG5lcjox" },
      care: null,
      frontline: { totalCount: 2 },
    });
    expect(memberNode({ partner: { id: "A", displayName: "A", referralCode: "A", status: null }, sponsor: null, frontlineCount: 0 }).sponsor).toBeNull();
  });
});
