// Issue 20 item 1: partners created, edited, moved (a move that would close a cycle refused at
// the sponsor field) and terminated in the pages, each in both themes with axe-core finding no
// serious or critical violation.
import { expectAccessible } from "../axe.mjs";
import { besideField, fill, pickPartner } from "../fields.mjs";

export async function partnerScenarios({ scenario, newPage, open, api, expect, shots, byName }) {
  const anna = byName("Anna");
  const eva = byName("Eva");
  const clara = byName("Clara");
  for (const theme of ["light", "dark"]) {
    await scenario(`partners (${theme}): created, edited, moved (a cycle refused at the sponsor field), terminated`, async () => {
      const email = `nora.${theme}.${Date.now()}@e2e.example.com`;
      const page = await newPage();
      await open(page, "partners", `theme=${theme}`);
      await page.click("[data-testid=partner-create]");
      await page.locator("[data-testid=create-dialog]").waitFor();
      await page.click("[data-testid=create-dialog-confirm]");
      expect((await besideField(page, "create-dialog-email")).includes("Required."), "the e-mail is required");
      await fill(page, "create-dialog-email", email);
      await fill(page, "create-dialog-firstName", "Nora");
      await fill(page, "create-dialog-lastName", `Neu ${theme}`);
      await pickPartner(page, "create-dialog-sponsorId", eva);
      await page.screenshot({ path: `${shots}/partner-create-${theme}.png` });
      await expectAccessible(page, `create dialog ${theme}`);
      await page.click("[data-testid=create-dialog-confirm]");
      await page.locator("[data-testid=page-title]", { hasText: `Nora Neu ${theme}` }).waitFor();
      const id = decodeURIComponent(new URL(page.url()).pathname.split("/").at(-1));
      const created = (await api.gql(`query($id: ID!) { partner(id: $id) { email sponsor { id } } }`, { id })).partner;
      expect(created.email === email && created.sponsor.id === eva.id, `created under Eva: ${JSON.stringify(created)}`);

      // Edit: a new last name, with a reason for the history.
      await page.click("[data-testid=partner-edit]");
      await fill(page, "edit-dialog-lastName", `Neumann ${theme}`);
      await fill(page, "edit-dialog-reason", "e2e: married");
      await expectAccessible(page, `edit dialog ${theme}`);
      await page.click("[data-testid=edit-dialog-confirm]");
      await page.locator("[data-testid=page-title]", { hasText: `Nora Neumann ${theme}` }).waitFor();

      // Move: under Clara, with a reason.
      await page.click("[data-testid=partner-move]");
      await pickPartner(page, "move-dialog-sponsorId", clara);
      await fill(page, "move-dialog-reason", "e2e: wrong sponsor at sign-up");
      await page.click("[data-testid=move-dialog-confirm]");
      await page.locator("[data-testid=move-dialog]").waitFor({ state: "detached" });
      const moved = (await api.gql(`query($id: ID!) { partner(id: $id) { sponsor { id } } }`, { id })).partner;
      expect(moved.sponsor.id === clara.id, `moved under Clara: ${JSON.stringify(moved)}`);

      // Terminate, with a reason.
      await page.click("[data-testid=partner-terminate]");
      await fill(page, "terminate-dialog-reason", "e2e: contract ended");
      await expectAccessible(page, `terminate dialog ${theme}`);
      await page.click("[data-testid=terminate-dialog-confirm]");
      await page.locator("[data-testid=page-title] [data-status=TERMINATED]").waitFor();
      const ended = (await api.gql(`query($id: ID!) { partner(id: $id) { status } }`, { id })).partner;
      expect(ended.status === "TERMINATED", `terminated: ${ended.status}`);
      await page.screenshot({ path: `${shots}/partner-terminated-${theme}.png`, fullPage: true });
      await expectAccessible(page, `terminated partner ${theme}`);

      // A move that would close a cycle: Anna under Eva, who is below her.
      await open(page, `partners/${encodeURIComponent(anna.id)}`, `theme=${theme}`);
      await page.click("[data-testid=partner-move]");
      await pickPartner(page, "move-dialog-sponsorId", eva);
      await fill(page, "move-dialog-reason", "e2e: a cycle");
      await page.click("[data-testid=move-dialog-confirm]");
      await page.waitForFunction(() => document.querySelector("[data-testid=move-dialog-sponsorId]")?.dataset.error);
      const refusal = await page.getAttribute("[data-testid=move-dialog-sponsorId]", "data-error");
      const shown = await page.textContent("[data-testid=move-dialog-sponsorId]");
      expect(/cycle/i.test(refusal) && shown.includes(refusal), `the cycle error at the sponsor field: ${refusal}`);
      await page.screenshot({ path: `${shots}/partner-move-cycle-${theme}.png` });
      await expectAccessible(page, `move dialog ${theme}`);
      const annaNow = (await api.gql(`query($id: ID!) { partner(id: $id) { sponsor { id } } }`, { id: anna.id })).partner;
      expect(!annaNow.sponsor, "Anna stays a root");
      expect(!page.errors.length, page.errors.join("\n"));
      await page.close();
      return `Nora created under Eva, renamed, moved under Clara, terminated; Anna under Eva: "${refusal}"`;
    });
  }
}
