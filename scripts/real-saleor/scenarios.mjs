// The check's scenarios: shop data and the app's installation through the real Saleor's API,
// then a merchant's clicks in the real Saleor Dashboard (headless Chromium). Started by
// scripts/check-real-saleor.sh, which passes everything in the environment:
//
//   SALEOR_API_URL, DASHBOARD_URL, APP_URL, APP_DIR (the app's clone), STAFF_EMAIL, STAFF_PASSWORD, RUN_DIR,
//   PLAYWRIGHT_FROM (a package.json whose node_modules has playwright-core), CHROMIUM
//
// DASHBOARD_URL empty (NO_DASHBOARD=1 of the script): the scenarios through the APIs only.
//
// Writes $RUN_DIR/results.json and screenshots to $RUN_DIR/screenshots; exits 1 when a
// scenario failed. Errors in the app's frames (console errors, uncaught exceptions, HTTP
// errors of the app) fail the scenario they happen in.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

import { grantedRefundsCapture } from "./refunds.mjs";
import { storefrontThroughGateway } from "./storefront.mjs";
import { appClient, installApp, paidOrder, previewThisMonth, seedNetwork, seedShop, staffClient, waitForCredit, waitForVoucher } from "./saleor.mjs";

const env = (name) => {
  if (!process.env[name]) throw new Error(`${name} is not set`);
  return process.env[name];
};
const SALEOR_API_URL = env("SALEOR_API_URL");
const DASHBOARD_URL = (process.env.DASHBOARD_URL ?? "").replace(/\/$/, "");
const APP_URL = env("APP_URL").replace(/\/$/, "");
const APP_DIR = env("APP_DIR");
const RUN_DIR = env("RUN_DIR");
const APP_NAME = "saleor-mlm";
const shots = join(RUN_DIR, "screenshots");
mkdirSync(shots, { recursive: true });

const { chromium } = createRequire(env("PLAYWRIGHT_FROM"))("playwright-core");

const results = [];
const facts = {};
let current = null;
let page = null;

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

async function scenario(name, run, { needs = [] } = {}) {
  const missing = needs.filter((fact) => !facts[fact]);
  if (missing.length) {
    results.push({ name, status: "SKIPPED", note: `needs ${missing.join(", ")} from an earlier scenario` });
    return;
  }
  const begin = Date.now();
  current = { name, appErrors: [], appWarnings: [], dashboardErrors: [] };
  try {
    const note = await run();
    await collectFrameErrors();
    if (current.appErrors.length) throw new Error(`errors in the app's frame:\n  ${current.appErrors.join("\n  ")}`);
    results.push({ name, status: "PASSED", note: note ?? "", ...diagnostics(), seconds: (Date.now() - begin) / 1000 });
  } catch (error) {
    await collectFrameErrors();
    let seen = "";
    if (page && !page.isClosed()) {
      const file = join(shots, `failed-${name.replace(/[^a-z0-9]+/gi, "-").slice(0, 60)}.png`);
      await page.screenshot({ path: file }).then(() => (seen = `\nscreenshot: ${file}`), () => undefined);
      const texts = await Promise.all(appFrames().map((frame) => frame.evaluate(() => document.body?.innerText?.slice(0, 300)).catch(() => null)));
      const shown = texts.filter(Boolean);
      if (shown.length) seen += `\nthe app's frame showed: ${shown.map((text) => JSON.stringify(text)).join(" | ")}`;
    }
    results.push({ name, status: "FAILED", note: (error.message || String(error)) + seen, ...diagnostics(), seconds: (Date.now() - begin) / 1000 });
  }
  current = null;
}

/** An error's message without where it was caught (console, listener, Playwright). */
const core = (text) => text.replace(/ \(.*$/, "").replace(/^(console\.error|uncaught|unhandled rejection|error): /, "").replace(/^Uncaught (\w*Error: )?/, "").replace(/^\w*Error: /, "");

/** What the app's frames recorded themselves (the init script below), once per message. */
async function collectFrameErrors() {
  if (!page || page.isClosed()) return;
  for (const frame of appFrames()) {
    const recorded = await frame.evaluate(() => (window.__realSaleorCheckErrors ?? []).splice(0)).catch(() => []);
    for (const text of recorded) {
      if (!current.appErrors.some((known) => core(known) === core(text))) current.appErrors.push(`${text} (frame ${frame.url()})`);
    }
  }
}

function diagnostics() {
  return { appErrors: current.appErrors, appWarnings: current.appWarnings, dashboardErrors: current.dashboardErrors };
}

const fromApp = (url) => typeof url === "string" && url.startsWith(APP_URL);

// --- Saleor and the app, through their APIs ---------------------------------------------------

const saleor = await staffClient(SALEOR_API_URL, env("STAFF_EMAIL"), env("STAFF_PASSWORD"));
let shop;
let app;
let appApi;
let network;
const orders = {};

await scenario("Saleor: shop data (channel, warehouse, product with variant metadata mlm.pv, two customers)", async () => {
  shop = await seedShop(saleor);
  expect(shop.variant.metadata.some((item) => item.key === "mlm.pv" && item.value === "20"), `variant metadata: ${JSON.stringify(shop.variant.metadata)}`);
  facts.shop = true;
  return `variant ${shop.variant.sku} (mlm.pv 20, mlm.bv 15.5) in channel ${shop.channel.slug}`;
});

await scenario("install: appInstall with the manifest URL (Saleor posts the token to /api/register)", async () => {
  app = await installApp(saleor, `${APP_URL}/api/manifest`, APP_NAME);
  expect(app.isActive, `the app is not active: ${JSON.stringify(app)}`);
  const { app: detail } = await saleor.request(`query($id: ID!) { app(id: $id) { extensions { label mountName targetName url } webhooks { name isActive } } }`, { id: app.id });
  facts.app = true;
  appApi = await appClient(saleor, app.id, APP_URL, SALEOR_API_URL);
  facts.appApi = true;
  return `app ${app.id}; extensions: ${detail.extensions.map((item) => `${item.label} (${item.mountName})`).join(", ")}; webhooks: ${detail.webhooks.length}`;
}, { needs: ["shop"] });

await scenario("app API: two partners (Paula, linked to her Saleor user, and Bernd under her); Paula's voucher code reaches Saleor", async () => {
  network = await seedNetwork(appApi, shop.partnerUser);
  facts.network = true;
  const voucher = await waitForVoucher(saleor, appApi, network.paula.id);
  expect(voucher, "the partner has no voucher code after 60 s");
  expect(voucher.inSaleor, `the voucher code ${voucher.code} is not in Saleor`);
  network.voucherCode = voucher.code;
  return `Paula's code ${voucher.code} is a voucher code in Saleor`;
}, { needs: ["appApi"] });

await scenario("webhooks: a paid order of the customer with Paula's code and one of Paula are credited (ORDER_FULLY_PAID)", async () => {
  orders.customer = await paidOrder(saleor, { ...shop, user: shop.customerUser, quantity: 2, voucherCode: network.voucherCode ?? null });
  orders.partner = await paidOrder(saleor, { ...shop, user: shop.partnerUser, quantity: 1 });
  facts.orders = true;
  const customerCredit = await waitForCredit(appApi, orders.customer.id);
  const partnerCredit = await waitForCredit(appApi, orders.partner.id);
  expect(customerCredit && Number(customerCredit.pv) === 40, `the customer's order: ${JSON.stringify(customerCredit)}`);
  expect(partnerCredit && Number(partnerCredit.pv) === 20, `Paula's order: ${JSON.stringify(partnerCredit)}`);
  const { customer } = await appApi.request(`query($id: String!) { customer(saleorUserId: $id) { id displayName sponsor { displayName } } }`, { id: shop.customerUser.id });
  expect(customer, "the customer is not in the app after the paid order");
  facts.customer = true;
  return `order #${orders.customer.number}: PV ${customerCredit.pv}, BV ${customerCredit.bv}; #${orders.partner.number}: PV ${partnerCredit.pv}; customer ${customer.displayName}, sponsor ${customer.sponsor?.displayName ?? "none (house)"}`;
}, { needs: ["network"] });

await scenario("app API: the example plan in force from this month, and a preview of the month (statements)", async () => {
  const preview = await previewThisMonth(appApi, readFileSync(join(APP_DIR, "docs", "plan-example.yaml"), "utf8"));
  const { statement } = await appApi.request(`query($period: String!, $id: ID!) { statement(period: $period, partnerId: $id) { bonuses { kind amount } } }`, {
    period: preview.periodId,
    id: network.paula.id,
  });
  expect(statement, `no statement of ${preview.month} for Paula`);
  network.period = preview;
  facts.preview = true;
  return `period ${preview.month} previewed; Paula's statement has ${statement.bonuses.length} bonus kinds`;
}, { needs: ["orders"] });

await scenario("storefront: one request through a federation gateway in front of the real Saleor and the app (a customer's token): me, mlmPartner, an order's mlmAttribution", async () => {
  const record = await storefrontThroughGateway({
    saleor,
    appApi,
    shop,
    apiUrl: SALEOR_API_URL,
    appUrl: APP_URL,
    gatewayDir: join(APP_DIR, "tests", "federation", "js"),
    captureDir: RUN_DIR,
  }).catch((error) => {
    if (error.record) writeFileSync(join(RUN_DIR, "storefront.json"), JSON.stringify(error.record, null, 2));
    throw error;
  });
  writeFileSync(join(RUN_DIR, "storefront.json"), JSON.stringify(record, null, 2));
  const { me } = record.answer.data;
  const order = me.orders.edges.find((edge) => edge.node.number === record.order).node;
  // The fixture the composition check and the gateway test compose with (tests/federation/saleor).
  const fixture = readFileSync(join(APP_DIR, "tests", "federation", "saleor", "schema.graphql"), "utf8");
  const same = fixture === readFileSync(join(RUN_DIR, "saleor-service.graphql"), "utf8");
  return `Saleor's _service SDL ${record.saleorSdlLines} lines (saleor-service.graphql), ${same ? "equal to" : "DIFFERENT from"} tests/federation/saleor/schema.graphql; ${me.email}: partner ${me.mlmPartner.referralCode}, GV ${me.mlmPartner.volumes.gv}, paid-as ${me.mlmPartner.paidAsRank?.code ?? "none"}, next ${me.mlmPartner.nextRank?.nextRank?.code ?? "none"}; order #${record.order}: ${order.mlmAttribution.rule} PV ${order.mlmAttribution.pv} (storefront.json)`;
}, { needs: ["orders"] });

await scenario("refunds by line: refunds granted per line (one with the shipping, some naming no line) refunded on a payment app's transaction; the app takes back what they name (ORDER_REFUNDED, ORDER_FULLY_REFUNDED)", async () => {
  const record = await grantedRefundsCapture({ saleor, appApi, shop, runDir: RUN_DIR });
  // What each refund left of the order in the app; the captured deliveries are exported after the
  // scenarios (export_captures.py, into captured/).
  return record.steps.map((step) => `#${step.order} ${step.name}: granted ${step.granted.amount.amount} (${step.saleor.grantedRefunds.at(-1).status}), app net PV ${step.app.netPv} BV ${step.app.netBv}`).join("; ") + " (refunds.json)";
}, { needs: ["orders"] });

if (!DASHBOARD_URL) report();

// --- The Dashboard ----------------------------------------------------------------------------

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
// Inside every frame of the app, before its own scripts: what it reports as an error, whatever
// Playwright attributes to which frame (console messages carry only their script's address).
await context.addInitScript(() => {
  if (window.top === window || !/^\/dashboard(\/|$)/.test(location.pathname)) return;
  const seen = (window.__realSaleorCheckErrors = []);
  const original = console.error.bind(console);
  console.error = (...args) => {
    seen.push(`console.error: ${args.map((arg) => (arg instanceof Error ? arg.message : String(arg))).join(" ")}`);
    original(...args);
  };
  window.addEventListener("error", (event) => seen.push(`uncaught: ${event.message}`));
  window.addEventListener("unhandledrejection", (event) => seen.push(`unhandled rejection: ${event.reason?.message ?? event.reason}`));
});
page = await context.newPage();
page.on("console", (message) => {
  if (!current) return;
  const where = message.location()?.url ?? "";
  const text = `${message.type()}: ${message.text()} (${where})`;
  if (fromApp(where)) {
    if (message.type() === "error") current.appErrors.push(text);
    else if (message.type() === "warning") current.appWarnings.push(text);
  } else if (message.type() === "error") current.dashboardErrors.push(text);
});
page.on("pageerror", (error) => {
  if (!current) return;
  const stack = String(error.stack || "");
  (stack.includes(APP_URL) ? current.appErrors : current.dashboardErrors).push(`uncaught: ${error.message}`);
});
page.on("response", (response) => {
  if (current && fromApp(response.url()) && response.status() >= 400) current.appErrors.push(`HTTP ${response.status()} ${response.url()}`);
});
page.on("requestfailed", (request) => {
  if (current && fromApp(request.url()) && !/ERR_ABORTED/.test(request.failure()?.errorText ?? "")) {
    current.appErrors.push(`request failed: ${request.url()}: ${request.failure()?.errorText}`);
  }
});

/** The app's frames in the page (the app page, the widgets), optionally those under a path.
 * The Dashboard opens the app page at `<appUrl>` joined by url-join: `/dashboard?…`, no slash. */
function appFrames(path = "") {
  return page.frames().filter((frame) => {
    if (!fromApp(frame.url())) return false;
    const { pathname } = new URL(frame.url());
    return (pathname === "/dashboard" && !path) || pathname.startsWith(`/dashboard/${path}`);
  });
}

async function appFrame(path = "", timeout = 30_000) {
  for (const deadline = Date.now() + timeout; Date.now() < deadline; ) {
    const [frame] = appFrames(path);
    if (frame) return frame;
    await page.waitForTimeout(250);
  }
  throw new Error(`no frame of the app under /dashboard/${path} (frames: ${page.frames().map((frame) => frame.url()).join(", ")})`);
}

/** The app's page is ready: its title shows (it has its token and capabilities), nothing loads. */
async function appPageReady(frame, timeout = 30_000) {
  try {
    await frame.waitForSelector("[data-testid=page-title]", { timeout });
  } catch {
    const text = await frame.evaluate(() => document.body?.innerText?.slice(0, 200)).catch(() => "?");
    throw new Error(`the app's page did not open within ${timeout / 1000}s; it shows ${JSON.stringify(text)} (frame ${frame.url()})`);
  }
  await frame.waitForFunction(() => !document.querySelector("[data-testid=loading]"), null, { timeout });
  return (await frame.textContent("[data-testid=page-title]")).trim();
}

async function shot(name) {
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(shots, `${name}.png`) });
}

const dashboard = (path) => `${DASHBOARD_URL}${path}`;

await scenario("Dashboard: the staff user logs in", async () => {
  await page.goto(dashboard("/"), { waitUntil: "domcontentloaded" });
  await page.fill("[data-test-id=email] input, input[data-test-id=email]", env("STAFF_EMAIL")).catch(() => page.getByLabel(/email/i).fill(env("STAFF_EMAIL")));
  await page.fill("[data-test-id=password] input, input[data-test-id=password]", env("STAFF_PASSWORD")).catch(() => page.getByLabel(/password/i).fill(env("STAFF_PASSWORD")));
  await page.click("[data-test-id=submit]");
  await page.waitForSelector("[data-test-id=menu-list]", { timeout: 60_000 });
  facts.login = true;
  await shot("home");
}, { needs: ["app"] });

await scenario("menu: Customers → Network opens the app", async () => {
  await page.goto(dashboard("/"), { waitUntil: "domcontentloaded" });
  await page.click("[data-test-id=menu-item-label-customers]");
  const item = page.locator("[data-test-id^=menu-item-label-extension-]", { hasText: "Network" });
  await item.first().click();
  const title = await appPageReady(await appFrame());
  await shot("menu-customers-network");
  return `the app's frame shows "${title}" at ${page.url().replace(DASHBOARD_URL, "")}`;
}, { needs: ["login"] });

await scenario("menu: Extensions → the app opens it", async () => {
  await page.goto(dashboard("/"), { waitUntil: "domcontentloaded" });
  await page.locator("[data-test-id=menu-item-label-installed-extensions]").first().click();
  await page.click(`[data-test-id="${APP_NAME.toLowerCase().replace(" ", "")}-view-details"]`, { timeout: 30_000 });
  const title = await appPageReady(await appFrame());
  await shot("menu-extensions-app");
  return `the app's frame shows "${title}" at ${page.url().replace(DASHBOARD_URL, "")}`;
}, { needs: ["login"] });

/** The app page at a path inside it, as the Dashboard's own links to it (deep link). */
async function openAppPath(path) {
  await page.goto(dashboard(`/extensions/app/${encodeURIComponent(app.id)}${path}`), { waitUntil: "domcontentloaded" });
  return appFrame();
}

/**
 * A click inside the app that must navigate within the app: the frame keeps its document (a
 * page load inside the Dashboard's iframe would lose the token), the Dashboard's address follows
 * (app-sdk's updateRouting), and the page opens. Returns its title.
 */
async function navigateInApp(frame, what, click, expectedTitle) {
  await frame.evaluate(() => (window.__realSaleorCheck = "same document"));
  await click();
  // The next page's title (a partner's page replaces another partner's page in place), or a
  // new document in the frame.
  await frame
    .waitForFunction(
      (expected) => !window.__realSaleorCheck || new RegExp(expected).test(document.querySelector("[data-testid=page-title]")?.textContent ?? ""),
      expectedTitle.source,
      { timeout: 30_000 },
    )
    .catch(() => undefined);
  const kept = await frame.evaluate(() => window.__realSaleorCheck ?? null).catch(() => null);
  expect(kept, `${what} loaded a new document in the app's frame instead of navigating inside the app (${frame.url()})`);
  const title = await appPageReady(frame);
  expect(expectedTitle.test(title), `${what}: the page's title is "${title}", not ${expectedTitle}`);
  return title;
}

await scenario("every page of the app inside the Dashboard, by its own tabs and links", async () => {
  const frame = await openAppPath("/partners");
  await appPageReady(frame);
  const seen = [];
  for (const tab of ["overview", "partners", "genealogy", "plan", "periods"]) {
    await navigateInApp(frame, `the tab ${tab}`, () => frame.click(`[data-testid=nav-${tab}]`), /\S/);
    await frame.waitForSelector(`[data-testid=nav-${tab}][aria-current=page]`);
    const title = await appPageReady(frame);
    if (tab === "genealogy") await frame.waitForFunction(() => (window.__genealogyStats?.frames ?? 0) > 0, null, { timeout: 20_000 });
    expect(page.url().includes(`/extensions/app/${encodeURIComponent(app.id)}`), `the Dashboard left the app: ${page.url()}`);
    await shot(`page-${tab}`);
    seen.push(`${tab}: "${title}"`);
  }
  // A partner's page from its row in the list, the sponsor from the partner's page, and the
  // sponsor's link in another partner's row.
  await frame.click("[data-testid=nav-partners]");
  await appPageReady(frame);
  let title = await navigateInApp(frame, "Bernd's row", () => frame.getByText(network.bernd.email).click(), /Bernd Betreuer/);
  expect(page.url().includes(`/partners/${encodeURIComponent(network.bernd.id)}`), `the Dashboard's address did not follow: ${page.url()}`);
  await shot("page-partner");
  seen.push(`partner: "${title}"`);
  title = await navigateInApp(frame, "the sponsor on the partner's page", () => frame.locator("a", { hasText: "Paula Partner" }).first().click(), /Paula Partner/);
  await frame.click("[data-testid=nav-partners]");
  await appPageReady(frame);
  title = await navigateInApp(frame, "the sponsor's link in the list", () => frame.locator("[data-testid=row] a", { hasText: "Paula Partner" }).first().click(), /Paula Partner/);
  seen.push(`sponsor links: "${title}"`);
  if (facts.preview) {
    // Paula's statement of the previewed month, from her page's list of statements.
    await frame.locator(`a[href*="/statements/${encodeURIComponent(network.period.periodId)}"]`).first().waitFor({ timeout: 20_000 });
    title = await navigateInApp(frame, "the statement's link", () => frame.locator(`a[href*="/statements/${encodeURIComponent(network.period.periodId)}"]`).first().click(), /\S/);
    await shot("page-statement");
    seen.push(`statement: "${title}"`);
  }
  return seen.join("; ");
}, { needs: ["login", "network"] });

await scenario("widget: the order's page shows what the order credited", async () => {
  await page.goto(dashboard(`/orders/${encodeURIComponent(orders.customer.id)}`), { waitUntil: "domcontentloaded" });
  const frame = await appFrame("widgets/order");
  await frame.waitForSelector("[data-testid=order-widget]", { timeout: 30_000 });
  await frame.waitForSelector("[data-testid=order-total]", { timeout: 30_000 });
  const text = (await frame.textContent("[data-testid=order-widget]")).replace(/\s+/g, " ");
  expect(/40/.test(await frame.textContent("[data-testid=order-total]")), `order widget: ${text}`);
  await page.locator("iframe").last().scrollIntoViewIfNeeded().catch(() => undefined);
  await shot("widget-order");
  return text.slice(0, 200);
}, { needs: ["login", "orders"] });

await scenario("widget: the customer's page shows the customer in the network", async () => {
  await page.goto(dashboard(`/customers/${encodeURIComponent(shop.customerUser.id)}`), { waitUntil: "domcontentloaded" });
  const frame = await appFrame("widgets/customer");
  await frame.waitForSelector("[data-testid=customer-widget] [data-testid=widget-assign]", { timeout: 30_000 });
  const text = (await frame.textContent("[data-testid=customer-widget]")).replace(/\s+/g, " ");
  expect(text.includes("Chris"), `customer widget: ${text}`);
  await shot("widget-customer");
  facts.customerWidget = true;
  return text.slice(0, 200);
}, { needs: ["login", "customer"] });

await scenario("write: assign Bernd as the customer's Betreuer in the widget, and see it in the app", async () => {
  const frame = await appFrame("widgets/customer");
  await frame.click("[data-testid=widget-assign]");
  const picker = frame.locator("[data-testid=care-form] input").first();
  await picker.click();
  await picker.fill("Bernd");
  const option = frame.getByRole("option", { name: `Bernd Betreuer (${network.bernd.referralCode})` });
  await option.waitFor({ timeout: 20_000 });
  await option.dispatchEvent("click");
  await frame.waitForFunction(() => document.querySelector("[data-testid=care-form] input")?.value.includes("Bernd"));
  await frame.fill("[data-testid=care-share]", "25");
  await frame.click("[data-testid=care-submit]");
  await frame.waitForFunction(() => /Bernd Betreuer/.test(document.querySelector("[data-testid=customer-widget]")?.textContent ?? ""), null, { timeout: 20_000 });
  const widget = (await frame.textContent("[data-testid=customer-widget]")).replace(/\s+/g, " ");
  expect(/25\s?%/.test(widget), `the widget after the assignment: ${widget}`);
  await shot("widget-customer-assigned");
  // In the app: Bernd's page lists the customer under "Looks after".
  const appPage = await openAppPath(`/partners/${encodeURIComponent(network.bernd.id)}`);
  await appPageReady(appPage);
  const looksAfter = (await appPage.textContent("[data-testid=looks-after]")).replace(/\s+/g, " ");
  expect(looksAfter.includes("Chris") && /25\s?%/.test(looksAfter), `Bernd's "looks after": ${looksAfter}`);
  await shot("app-betreuer-looks-after");
  return `widget: ${widget.slice(0, 120)}; app: ${looksAfter.slice(0, 120)}`;
}, { needs: ["customerWidget"] });

await browser.close();
report();

/** Prints the results, writes results.json, exits (1 when a scenario did not pass). */
function report() {
  writeFileSync(join(RUN_DIR, "results.json"), JSON.stringify({ app: app ?? null, orders, results }, null, 2));
  const failed = results.filter((result) => result.status !== "PASSED");
  for (const result of results) {
    console.log(`${result.status.padEnd(7)} ${result.name}${result.seconds ? ` (${result.seconds.toFixed(1)} s)` : ""}`);
    if (result.note) console.log(`        ${String(result.note).split("\n").join("\n        ")}`);
    for (const warning of result.appWarnings ?? []) console.log(`        app warning: ${warning}`);
    for (const error of (result.dashboardErrors ?? []).slice(0, 5)) console.log(`        dashboard console: ${error}`);
  }
  const passed = results.length - failed.length;
  console.log(`${passed} passed, ${results.filter((result) => result.status === "FAILED").length} failed, ${results.filter((result) => result.status === "SKIPPED").length} skipped`);
  process.exit(failed.length ? 1 : 0);
}
