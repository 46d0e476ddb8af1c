import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { fakeClient, renderWithApp } from "../../test/render";
import { PartnerFigures, VOLUME_FIELDS } from "./PartnerFigures";

const PARTNER = "UGFydG5lcjoy";

/** PV 49.995 (a customer's 99.99 split half to its Betreuer), below the plan's 50. */
function figures(pv: string) {
  return {
    partner: {
      id: PARTNER,
      volumes: { period: "2026-12", live: true, pv, gv: pv, ov: pv, pbv: "-0.001", gbv: "0", obv: "0", qualified: false, paidAsRank: null, asOf: null },
      careerRank: null,
      nextRank: {
        period: "2026-12",
        qualified: false,
        active: true,
        currentRank: null,
        nextRank: { code: "member", name: "Member" },
        requirements: [
          { kind: "QUALIFYING_PV", kindName: "Qualifying personal volume", needed: "50.00", actual: pv, missing: "0.005", met: false, legRank: null },
          { kind: "MIN_LEGS", kindName: "Qualified legs", needed: "3", actual: "2", missing: "1", met: false, legRank: { name: "Member" } },
        ],
      },
    },
  };
}

describe("partner figures", () => {
  it("show volumes floored to hundredths, so 49.995 is never read as the 50 it does not meet", async () => {
    renderWithApp(<PartnerFigures partnerId={PARTNER} />, { client: fakeClient({ PartnerFigures: () => figures("49.995") }), capabilities: VOLUME_FIELDS });

    const section = await screen.findByTestId("partner-volumes");
    await within(section).findByTestId("next-rank");
    expect(within(section).getAllByText("49.99")).toHaveLength(4); // PV, GV, OV and the requirement's actual figure
    expect(within(section).getByText("-0.01")).toBeTruthy(); // BV -0.001: toward minus infinity
    expect(within(section).getByText("50.00")).toBeTruthy(); // needed, as the plan states it
    expect(within(section).getByText("0.005")).toBeTruthy(); // missing, exactly
    expect(within(section).queryByText("50")).toBeNull();
    expect(within(section).getByText("3")).toBeTruthy(); // legs stay whole numbers
  });
});
