// Issue 19 item 4 / issue 20 item 1: the programs page and the program switcher. In each theme a
// program of its own is created (a wrong code refused at its field first), three partners are
// enrolled in it (two through the page, under a sponsor; the third by the API), the top one is
// moved under the bottom one and the cycle is refused at the sponsor field; the program chosen
// on the programs page travels in the address to the plan and the genealogy, which show that
// program's plan versions and network. axe-core finds no serious or critical violation. The
// scenarios make what they need: the demo may have one program or two.
import { expectAccessible } from "../axe.mjs";
import { besideField, fill, pickPartner } from "../fields.mjs";

const NEEDS = [
  "Query.programs",
  "Query.programMembers",
  "Mutation.programCreate",
  "Mutation.programEnrollmentCreate",
  "Mutation.programEnrollmentMove",
  "Program.planInForce",
  "Program.memberCount",
];

const REMOVE = `mutation($programId: ID!, $partnerId: ID!) {
  programEnrollmentRemove(programId: $programId, partnerId: $partnerId, reason: "e2e: the scenario's program is emptied") { errors { code } }
}`;

// A program with members and no plan in force refuses the month's close (NO_PLAN): the
// later scenarios close months, so the scenario's program is left without members, leaves
// first (a member with members below it cannot leave), whatever state a failure left it in.
async function emptyProgram(api, code, members) {
  const { program } = await api.gql(`query($code: String!) { program(code: $code) { id } }`, { code });
  if (!program) return;
  for (let pass = 0; pass < members.length; pass++) {
    for (const member of members) await api.gql(REMOVE, { programId: program.id, partnerId: member.id });
  }
}

const ENROLL = `mutation($programId: ID!, $partnerId: ID!, $sponsorId: ID) {
  programEnrollmentCreate(programId: $programId, partnerId: $partnerId, sponsorId: $sponsorId) { errors { field code message } }
}`;

export async function programScenarios({ scenario, newPage, open, api, expect, shots, capabilities, byName }) {
  for (const theme of ["light", "dark"]) {
    await scenario(`programs (${theme}): created, partners enrolled and moved (cycle refused at the sponsor), plan and genealogy switched to it`, async () => {
      const missing = NEEDS.filter((name) => !capabilities.has(name));
      if (missing.length) return { skipped: `the API lacks ${missing.join(", ")}` };
      const code = `e2e-${theme}-${Date.now().toString(36)}`;
      const [top, middle, bottom] = [byName("Eva"), byName("Greta"), byName("Ida")];
      const page = await newPage();
      try {
        return await programScenario({ page, code, theme, top, middle, bottom, open, api, expect, shots });
      } finally {
        await emptyProgram(api, code, [bottom, middle, top]);
      }
    });
  }
}

async function programScenario({ page, code, theme, top, middle, bottom, open, api, expect, shots }) {
  await open(page, "programs", `theme=${theme}`);
  await page.locator("[data-testid=programs-table] [data-testid=program-row]").first().waitFor();

  // Create: the code's rule is the API's, shown at the code field.
  await page.click("[data-testid=program-create]");
  await page.locator("[data-testid=program-dialog]").waitFor();
  await fill(page, "program-dialog-name", `E2E ${theme}`);
  await fill(page, "program-dialog-code", "Not A Code");
  await page.click("[data-testid=program-dialog-confirm]");
  await page.waitForFunction(() => {
    const input = document.querySelector('[data-testid="program-dialog-code"] input, input[data-testid="program-dialog-code"]');
    return input?.closest("[data-macaw-ui-component]")?.parentElement?.textContent !== "Code" && document.querySelector("[data-testid=program-dialog]");
  });
  const codeError = await besideField(page, "program-dialog-code");
  expect(codeError.length > "Code".length, `the code's error at its field: ${codeError}`);
  await page.screenshot({ path: `${shots}/program-create-error-${theme}.png` });
  await expectAccessible(page, `program dialog ${theme}`);
  await fill(page, "program-dialog-code", code);
  await page.click("[data-testid=program-dialog-confirm]");
  await page.locator("[data-testid=program-dialog]").waitFor({ state: "detached" });
  await page.locator(`[data-testid=program-row][data-code="${code}"]`).waitFor();
  const { program } = await api.gql(`query($code: String!) { program(code: $code) { id code name } }`, { code });
  expect(program?.name === `E2E ${theme}`, `stored: ${JSON.stringify(program)}`);

  // Its members: two enrolled through the page, the third by the API.
  await page.click(`[data-testid="program-members-${code}"]`);
  await page.waitForFunction((wanted) => document.querySelector("[data-testid=program-switcher]")?.dataset.program === wanted, code);
  expect(page.url().includes(`program=${code}`), `the program in the address: ${page.url()}`);
  await page.click("[data-testid=program-enroll]");
  await pickPartner(page, "enroll-dialog-partnerId", top);
  await page.click("[data-testid=enroll-dialog-confirm]");
  await page.locator("[data-testid=enroll-dialog]").waitFor({ state: "detached" });
  await page.click("[data-testid=program-enroll]");
  await pickPartner(page, "enroll-dialog-partnerId", middle);
  await pickPartner(page, "enroll-dialog-sponsorId", top);
  await page.click("[data-testid=enroll-dialog-confirm]");
  await page.locator("[data-testid=enroll-dialog]").waitFor({ state: "detached" });
  const third = await api.gql(ENROLL, { programId: program.id, partnerId: bottom.id, sponsorId: middle.id });
  expect(!third.programEnrollmentCreate.errors.length, JSON.stringify(third.programEnrollmentCreate.errors));
  await page.reload({ waitUntil: "networkidle" });
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=program-members-table] [data-testid=program-member]").length === 3);
  await page.screenshot({ path: `${shots}/program-members-${theme}.png`, fullPage: true });
  await expectAccessible(page, `programs page ${theme}`);

  // Move the top under the bottom: a cycle, refused at the sponsor field.
  await page.click(`[data-testid="member-move-${top.referralCode}"]`);
  await pickPartner(page, "move-dialog-sponsorId", bottom);
  await fill(page, "move-dialog-reason", `e2e ${theme}: a cycle`);
  await page.click("[data-testid=move-dialog-confirm]");
  await page.waitForFunction(() => document.querySelector("[data-testid=move-dialog-sponsorId]")?.dataset.error);
  const cycle = await page.getAttribute("[data-testid=move-dialog-sponsorId]", "data-error");
  await page.screenshot({ path: `${shots}/program-move-cycle-${theme}.png` });
  await expectAccessible(page, `move dialog ${theme}`);
  // A move that is no cycle: the bottom under the top.
  await page.click("[data-testid=move-dialog-cancel]");
  await page.click(`[data-testid="member-move-${bottom.referralCode}"]`);
  await pickPartner(page, "move-dialog-sponsorId", top);
  await fill(page, "move-dialog-reason", `e2e ${theme}: under the top`);
  await page.click("[data-testid=move-dialog-confirm]");
  await page.locator("[data-testid=move-dialog]").waitFor({ state: "detached" });
  const { programMembers } = await api.gql(`query($p: ID!, $s: ID) { programMembers(programId: $p, sponsorId: $s) { edges { node { partner { id } } } } }`, { p: program.id, s: top.id });
  expect(programMembers.edges.length === 2, `two below the top after the move: ${JSON.stringify(programMembers)}`);

  // The plan page keeps the program (the link carries it): its versions only, none yet.
  await page.click("[data-testid=nav-plan]");
  await page.waitForFunction((wanted) => document.querySelector("[data-testid=program-switcher]")?.dataset.program === wanted, code);
  await page.waitForFunction(() => !document.querySelector("[data-testid=loading]"));
  // A program without versions opens on a new draft (the default program's plan is not offered).
  await page.locator("[data-testid=plan-fork]").waitFor({ state: "detached" });
  await page.locator("[data-testid=plan-save]").waitFor();
  const { planVersions } = await api.gql(`query($p: ID) { planVersions(filter: {programId: $p}) { totalCount } }`, { p: program.id });
  expect(planVersions.totalCount === 0, `the new program has no plan versions: ${planVersions.totalCount}`);
  const version = (await page.textContent("[data-testid=plan-validity]")).trim();
  await page.screenshot({ path: `${shots}/plan-program-${theme}.png`, fullPage: true });
  await expectAccessible(page, `plan of a program ${theme}`);

  // The genealogy: the program's network, the top with both below it.
  await page.click("[data-testid=nav-genealogy]");
  await page.locator("[data-testid=genealogy-program]").waitFor();
  await page.waitForFunction(() => Number(document.querySelector("[data-testid=genealogy-visible]")?.dataset.count ?? 0) === 3, null, { timeout: 20000 });
  await page.waitForTimeout(200);
  await page.screenshot({ path: `${shots}/genealogy-program-${theme}.png` });
  await expectAccessible(page, `genealogy of a program ${theme}`);
  expect(!page.errors.length, page.errors.join("\n"));
  await page.close();
  return `${code}: ${top.displayName} ← ${middle.displayName}, ${bottom.displayName}; cycle refused: "${cycle}"; plan page: "${version}"`;
}
