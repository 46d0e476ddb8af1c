import { describe, expect, it } from "vitest";

import { nextYearsFirstNumber } from "./creditNoteNumber";

describe("next year's first credit note number", () => {
  it("is of the year after today's (UTC), with the sequence in five digits", () => {
    expect(nextYearsFirstNumber("VN-", 1, new Date("2026-03-01T12:00:00Z"))).toBe("VN-2027-00001");
    // The server's year is the UTC year: half an hour before midnight UTC it is still 2026.
    expect(nextYearsFirstNumber("GS", 1000, new Date("2026-12-31T23:30:00Z"))).toBe("GS2027-01000");
    expect(nextYearsFirstNumber("", 123456, new Date("2027-01-01T00:00:00Z"))).toBe("2028-123456");
  });
});
