// Issue 20 item 2: the genealogy people can read. Relations under the boxes, Betreuer curves
// with their share standing out only for the selected partner (the others faint, or hidden
// by the toggle), a legend for every colour, readable in both themes, "Show in genealogy"
// opening the partner with its upline and frontline, "Fit" fitting the whole tree. Each in
// both themes, with axe-core finding no serious or critical violation.
import { expectAccessible } from "../axe.mjs";

const stats = (page) => page.evaluate(() => window.__genealogyStats);

/**
 * The tree's box after "Fit": inside the canvas and centred, and filling its width or height
 * (or at full size when smaller than that).
 */
export function fits(box, zoom, canvas) {
  const inside = box.left >= -0.5 && box.top >= -0.5 && box.right <= canvas.width + 0.5 && box.bottom <= canvas.height + 0.5;
  const centred = Math.abs(box.left - (canvas.width - box.right)) < 1 && Math.abs(box.top - (canvas.height - box.bottom)) < 1;
  const filled = Math.max((box.right - box.left) / canvas.width, (box.bottom - box.top) / canvas.height);
  return inside && centred && (filled > 0.9 || zoom === 1);
}

/** The canvas pixel at a point of the canvas (CSS pixels), as #rrggbb. */
const pixel = (page, x, y) =>
  page.evaluate(([px, py]) => {
    const canvas = document.querySelector("[data-testid=genealogy-canvas]");
    const ratio = window.devicePixelRatio || 1;
    const [r, g, b] = canvas.getContext("2d").getImageData(Math.round(px * ratio), Math.round(py * ratio), 1, 1).data;
    return `#${[r, g, b].map((value) => value.toString(16).padStart(2, "0")).join("")}`;
  }, [x, y]);

export async function genealogyScenarios({ scenario, newPage, open, api, expect, shots, byName }) {
  const eva = byName("Eva"); // Anna > Bernd > Eva, Ida below
  const ida = byName("Ida");
  const karla = byName("Karla"); // Anna > Clara > Greta > Karla
  const anna = byName("Anna");

  for (const theme of ["light", "dark"]) {
    await scenario(`genealogy (${theme}): "Show in genealogy" opens the partner with its upline and frontline, in readable colours`, async () => {
      const { partner } = await api.gql(`query($id: ID!) { partner(id: $id) { frontline { totalCount } } }`, { id: eva.id });
      const page = await newPage();
      await open(page, `partners/${encodeURIComponent(eva.id)}`, `theme=${theme}`);
      await page.click("[data-testid=open-genealogy]");
      await page.locator("[data-testid=genealogy-path]").waitFor({ timeout: 20000 });
      const steps = await page.locator("[data-testid=genealogy-path-step]").allTextContents();
      expect(JSON.stringify(steps) === JSON.stringify(["Anna Albers", "Bernd Becker", "Eva Ebert"]), `the upline path: ${steps.join(" > ")}`);
      await page.waitForFunction(() => window.__genealogyStats?.selectedBox, null, { timeout: 10000 });
      const shown = await page.getAttribute("[data-testid=genealogy-visible]", "data-count");
      expect(Number(shown) === 3 + partner.frontline.totalCount, `the path and the frontline shown: ${shown} (frontline ${partner.frontline.totalCount})`);
      expect((await page.textContent("[data-testid=genealogy-selected]")).includes("Eva Ebert"), "Eva is selected");
      // The selected box is drawn in the legend's colour for it (dark: a dark fill, light text).
      const { selectedBox } = await stats(page);
      const fill = await pixel(page, selectedBox.left + selectedBox.width * 0.75, selectedBox.top + 5);
      const legend = await page.getAttribute("[data-testid=legend-selected]", "data-color");
      expect(fill === legend, `the selected box's fill ${fill}, the legend's ${legend}`);
      await page.screenshot({ path: `${shots}/genealogy-show-partner-${theme}.png` });
      await expectAccessible(page, `genealogy focus ${theme}`);
      expect(!page.errors.length, page.errors.join("\n"));
      await page.close();
      return `${steps.join(" > ")}, ${shown} shown, selected fill ${fill}`;
    });

    await scenario(`genealogy (${theme}): Betreuer curves with their share stand out for the selected partner only, others faint or hidden; Fit fits`, async () => {
      const { partner } = await api.gql(`query($id: ID!) { partner(id: $id) { care { carePartner { id } } } }`, { id: ida.id });
      if (partner.care?.carePartner?.id !== karla.id) {
        const { careAssign } = await api.gql(
          `mutation($input: CareAssignInput!) { careAssign(input: $input) { errors { field code message } } }`,
          { input: { partnerId: ida.id, carePartnerId: karla.id, share: "0.3" } },
        );
        expect(!careAssign.errors.length, JSON.stringify(careAssign.errors));
      }
      const page = await newPage();
      await open(page, `genealogy/${encodeURIComponent(anna.id)}`, `theme=${theme}`);
      await page.waitForFunction(() => !document.querySelector("[data-testid=genealogy-busy]"), null, { timeout: 30000 });
      await page.click("[data-testid=load-levels]");
      await page.waitForFunction(() => !document.querySelector("[data-testid=genealogy-busy]"), null, { timeout: 30000 });
      const search = "[data-testid=genealogy-search] input, input[data-testid=genealogy-search]";
      const select = async (name) => {
        await page.fill(search, name);
        await page.press(search, "Enter");
        await page.waitForFunction((wanted) => document.querySelector("[data-testid=genealogy-selected]")?.textContent.includes(wanted), name);
        await page.waitForTimeout(100);
        return stats(page);
      };
      const withIda = await select("Ida Imhof");
      expect(withIda.care.strong === 1 && withIda.care.labels.length === 1 && /30\s?%/.test(withIda.care.labels[0]), `Ida's relation stands out with its share: ${JSON.stringify(withIda.care)}`);
      await page.screenshot({ path: `${shots}/genealogy-care-selected-${theme}.png` });
      const withHans = await select("Hans Hahn");
      expect(withHans.care.strong === 0 && withHans.care.faint >= 1 && !withHans.care.labels.length, `another partner: Ida's relation faint: ${JSON.stringify(withHans.care)}`);
      await page.uncheck("[data-testid=genealogy-all-care]");
      await page.waitForFunction(() => window.__genealogyStats.care.faint === 0);
      await page.screenshot({ path: `${shots}/genealogy-care-hidden-${theme}.png` });
      await page.check("[data-testid=genealogy-all-care]");
      const legend = await page.locator("[data-testid=genealogy-legend] li").allTextContents();
      expect(legend.length === 9, `every colour named: ${legend.join(", ")}`);
      await expectAccessible(page, `genealogy ${theme}`);

      // Fit: after zooming in, the whole tree in view again, centred, filling one side.
      for (let step = 0; step < 4; step++) await page.click("[data-testid=zoom-in]");
      await page.click("[data-testid=zoom-fit]");
      await page.waitForTimeout(100);
      const { box, zoom } = await stats(page);
      const canvas = await page.locator("[data-testid=genealogy-canvas]").boundingBox();
      expect(fits(box, zoom, canvas), `fitted: tree ${JSON.stringify(box)} at zoom ${zoom} in ${canvas.width}x${canvas.height}`);
      const filled = Math.max((box.right - box.left) / canvas.width, (box.bottom - box.top) / canvas.height);
      await page.screenshot({ path: `${shots}/genealogy-fit-${theme}.png` });
      expect(!page.errors.length, page.errors.join("\n"));
      await page.close();
      return `Ida: ${JSON.stringify(withIda.care)}; Hans: ${JSON.stringify(withHans.care)}; fit fills ${(filled * 100).toFixed(0)} %`;
    });
  }
}
