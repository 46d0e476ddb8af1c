// End-to-end checks of the dashboard extension in a real headless Chromium against the demo.
//
//   node e2e/run.mjs            (after `npm run build`; needs /usr/bin/chromium)
//
// Env: CHROMIUM (default /usr/bin/chromium), E2E_PORT (8765), E2E_ONLY (parts of scenario names, "|" between), SCREENSHOT_DIR
// (default e2e/screenshots), SALEOR_MLM_BIN (default <repo>/.venv/bin/saleor-mlm).
import { chromium } from "playwright-core";

import { createRunner, expect, launchChromium } from "../../web-shared/e2e/runner.mjs";
import { Api, E2E_DOMAIN, closablePeriod, ensureNetwork } from "./api.mjs";
import { startStandInDashboard } from "./dashboard.mjs";
import { correctionScenarios } from "./scenarios/corrections.mjs";
import { creditNoteScenarios } from "./scenarios/creditNotes.mjs";
import { frenchScenarios } from "./scenarios/french.mjs";
import { fits, genealogyScenarios } from "./scenarios/genealogy.mjs";
import { houseCustomerScenarios } from "./scenarios/houseCustomers.mjs";
import { partnerScenarios } from "./scenarios/partners.mjs";
import { payoutScenarios } from "./scenarios/payouts.mjs";
import { periodScenarios } from "./scenarios/periods.mjs";
import { programScenarios } from "./scenarios/programs.mjs";
import { settingsScenarios } from "./scenarios/settings.mjs";
import { settleScenarios } from "./scenarios/settle.mjs";
import { startDemo } from "./server.mjs";

const { shots, scenario, track, report } = createRunner({ e2eDir: import.meta.dirname, label: "dashboard e2e" });

/** The distinct (status, phase, percent) steps of the period's next run, read until it ends. */
async function sampleRun(api, periodId, previousRunId) {
  const steps = [];
  for (const deadline = Date.now() + 60000; Date.now() < deadline; ) {
    const { period } = await api.gql(`query($id: ID!) { period(id: $id) { run { id status phase percent } } }`, { id: periodId });
    const run = period.run;
    if (run && run.id !== previousRunId) {
      const last = steps.at(-1);
      if (!last || last.status !== run.status || last.phase !== run.phase || last.percent !== run.percent) steps.push(run);
      if (!["PENDING", "RUNNING"].includes(run.status)) return steps;
    }
    await new Promise((done) => setTimeout(done, 20));
  }
  return steps;
}

const STATEMENT_NEEDS = ["Query.periods", "Query.statements", "Query.statement", "Partner.statements", "Statement.lines", "StatementBonus.groups", "StatementBonus.lineCount"];
const STATEMENT_QUERY = `query($period: String!, $partnerId: ID!, $first: Int, $after: String) {
  statement(period: $period, partnerId: $partnerId) {
    bonuses { kind kindName amount lineCount groups { level rate } }
    lines(first: $first, after: $after) { totalCount pageInfo { endCursor } edges { node { sourceId sourceType sourceName } } }
  }
}`;

/**
 * A partner whose statement has lines (the most among the top earners) of a settled month the
 * other scenarios leave alone (the period scenario re-opens last month: the oldest settled one
 * is taken); null without the periods API or a settled period with figures.
 */
async function statementLeader(api, capabilities) {
  if (STATEMENT_NEEDS.some((name) => !capabilities.has(name))) return null;
  const { periods } = await api.gql(`{ periods(first: 24) { edges { node { id label status } } } }`);
  const period = periods.edges.map((edge) => edge.node).filter((node) => ["APPROVED", "COMMITTED"].includes(node.status)).at(-1);
  if (!period) return null;
  const { statements } = await api.gql(
    `query($period: String!) { statements(period: $period, first: 10, sortBy: {field: TOTAL, direction: DESC}) { edges { node { partner { id displayName referralCode } statement { lines(first: 1) { totalCount } } } } } }`,
    { period: period.id },
  );
  const best = statements?.edges
    .map((edge) => ({ partner: edge.node.partner, totalCount: edge.node.statement?.lines.totalCount ?? 0 }))
    .sort((a, b) => b.totalCount - a.totalCount)[0];
  if (!best?.totalCount) return null;
  return { ...best, period, path: `partners/${encodeURIComponent(best.partner.id)}/statements/${encodeURIComponent(period.id)}` };
}

const server = await startDemo({ port: Number(process.env.E2E_PORT || 8765) });
const browser = await launchChromium(chromium);

try {
  const api = new Api(server.base);
  await api.token();
  await ensureNetwork(api);
  const capabilities = await api.capabilities();
  const { partners } = await api.gql(`{ partners(first: 100, search: "${E2E_DOMAIN}", sortBy: {field: NAME}) { edges { node { id displayName referralCode sponsor { id } saleorUserId } } } }`);
  const people = partners.edges.map((edge) => edge.node);
  const byName = (prefix) => people.find((person) => person.displayName.startsWith(prefix)) ?? people[0];

  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  const newPage = async () => {
    const page = track(await context.newPage());
    page.on("requestfailed", (request) => page.errors.push(`failed ${request.url()}: ${request.failure()?.errorText}`));
    return page;
  };
  const url = (path, params = "") => `${server.base}/dashboard/${path}${params ? `?${params}` : ""}`;
  const open = async (page, path, params) => {
    await page.goto(url(path, params), { waitUntil: "networkidle" });
    await page.waitForSelector("[data-testid=page-title], [data-testid=customer-widget], [data-testid=order-widget]", { timeout: 20000 });
    await page.waitForFunction(() => !document.querySelector("[data-testid=loading]"), null, { timeout: 20000 });
  };

  const someone = byName("Eva");
  const leader = await statementLeader(api, capabilities);
  const pages = [
    ["overview", ""],
    ["partners", "partners"],
    ["partner", `partners/${encodeURIComponent(someone.id)}`],
    ["genealogy", "genealogy"],
    ["programs", "programs"],
    ["plan", "plan"],
    ["periods", "periods"],
    ["credit-notes", "credit-notes"],
    ["payouts", "payouts"],
    ["settings", "settings"],
    ["house-customers", "house-customers"],
    ["widget-customer", "widgets/customer", `customerId=${encodeURIComponent(someone.saleorUserId || "VXNlcjox")}`],
    ["widget-order", "widgets/order", "orderId=T3JkZXI6MQ=="],
  ];
  if (leader) pages.splice(3, 0, ["statement", leader.path]);

  for (const theme of ["light", "dark"]) {
    await scenario(`every page opens without console errors (${theme})`, async () => {
      const page = await newPage();
      for (const [name, path, extra] of pages) {
        await open(page, path, [`theme=${theme}`, extra].filter(Boolean).join("&"));
        if (name === "genealogy") await page.waitForFunction(() => (window.__genealogyStats?.frames ?? 0) > 0);
        await page.waitForTimeout(150);
        await page.screenshot({ path: `${shots}/${name}-${theme}.png`, fullPage: name !== "genealogy" });
      }
      const locale = await page.evaluate(() => document.querySelector("[data-locale]")?.getAttribute("data-locale"));
      await open(page, "", `theme=${theme}&locale=de`);
      const title = await page.textContent("[data-testid=page-title]");
      expect(title === "Übersicht", `German overview title, got ${title} (locale was ${locale})`);
      await page.screenshot({ path: `${shots}/overview-de-${theme}.png`, fullPage: true });
      expect(!page.errors.length, `console errors:\n${page.errors.join("\n")}`);
      await page.close();
    });
  }

  await scenario("partners: search, filter, sort, set inactive with a reason", async () => {
    const page = await newPage();
    await open(page, "partners");
    await page.fill("[data-testid=partners-search] input, input[data-testid=partners-search]", "Greta");
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=partners-table] [data-testid=row]").length === 1);
    await page.click("[data-testid=row-status]");
    await page.fill("[data-testid=status-reason]", "e2e: paused on request");
    await page.click("[data-testid=status-confirm]");
    await page.waitForSelector("[data-testid=status-dialog]", { state: "detached" });
    await page.waitForFunction(() => document.querySelector("[data-testid=row] [data-status]")?.getAttribute("data-status") === "INACTIVE");
    const { partners } = await api.gql(`{ partners(search: "Greta") { edges { node { status changes(first: 1) { edges { node { reason } } } } } } }`);
    const node = partners.edges[0].node;
    expect(node.status === "INACTIVE", `status ${node.status}`);
    expect(node.changes.edges[0].node.reason === "e2e: paused on request", "reason kept in the history");
    expect(!page.errors.length, page.errors.join("\n"));
    await page.close();
  });

  await scenario("a Betreuer is assigned and the split shows in both lines", async () => {
    const page = await newPage();
    const cared = byName("Ida"); // line of Bernd
    const betreuer = byName("Karla"); // line of Clara
    const sponsor = people.find((person) => person.id === cared.sponsor?.id);
    await open(page, `partners/${encodeURIComponent(cared.id)}`);
    await page.click("[data-testid=care-open]");
    const picker = page.locator("[data-testid=care-form] input").first();
    await picker.click();
    // By referral code: the demo's 3,000 partners have Karlas of their own.
    await picker.fill(betreuer.referralCode);
    // With the demo's periods the page is long and the list may open outside the viewport:
    // click the only match itself (arrow keys raced the list's re-render now and then).
    const option = page.getByRole("option", { name: /Karla Keller/ });
    await option.waitFor();
    await page.waitForFunction(() => document.querySelectorAll("[role=option]").length === 1);
    await option.dispatchEvent("click");
    await page.waitForFunction(() => document.querySelector("[data-testid=care-form] input")?.value.includes("Karla Keller"));
    await page.fill("[data-testid=care-share]", "30");
    await page.click("[data-testid=care-submit]");
    await page.waitForSelector("[data-testid=care-current]");
    const current = await page.textContent("[data-testid=care-current]");
    expect(current.includes("Karla") && /30\s?%/.test(current), `care on the partner page: ${current}`);
    await page.screenshot({ path: `${shots}/partner-with-betreuer.png`, fullPage: true });
    // The Betreuer's line: Karla looks after Ida with 30 %.
    await open(page, `partners/${encodeURIComponent(betreuer.id)}`);
    const looksAfter = await page.textContent("[data-testid=looks-after]");
    expect(looksAfter.includes(cared.displayName) && /30\s?%/.test(looksAfter), `Betreuer's line: ${looksAfter}`);
    // The sponsor's line: Ida's recruiter sees its recruit looked after by Karla.
    if (sponsor) {
      await open(page, `partners/${encodeURIComponent(sponsor.id)}`);
      const recruits = await page.textContent("[data-testid=recruits-cared]");
      expect(recruits.includes(cared.displayName) && recruits.includes(betreuer.displayName), `sponsor's line: ${recruits}`);
    }
    // The genealogy draws the relation between the two lines.
    await open(page, "genealogy");
    await page.click("[data-testid=load-levels]");
    await page.waitForFunction(() => !document.querySelector("[data-testid=genealogy-busy]"), null, { timeout: 30000 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${shots}/genealogy-with-betreuer.png` });
    expect(!page.errors.length, page.errors.join("\n"));
    await page.close();
  });

  // The extension inside a stand-in Saleor Dashboard (e2e/dashboard.mjs): served on another
  // origin, it builds every iframe URL with the real Dashboard's functions and answers
  // app-sdk's protocol as the Dashboard does. The AppBridge in the frame accepts the Dashboard's
  // messages only from the origin of `document.referrer`: a redirect that drops the referrer
  // (issue 12: `/dashboard?…` answered 301 with `Referrer-Policy: same-origin`) leaves the page
  // waiting for its token forever.
  const manifest = await (await fetch(`${server.base}/api/manifest`)).json();
  const insideDashboard = async () => {
    const session = await api.token();
    const dashboard = await startStandInDashboard({ manifest, session });
    const page = await newPage();
    page.on("close", () => dashboard.close());
    /** The mount's iframe has loaded the app with its token: `ready` shows inside it. */
    const mounted = async (mount, ready) => {
      const element = page.locator(`iframe[data-mount=${mount}]`).first();
      const src = await element.getAttribute("src");
      const frame = page.frameLocator(`iframe[data-mount=${mount}]`).first();
      try {
        await frame.locator(ready).first().waitFor({ timeout: 20000 });
      } catch (error) {
        const inside = await frame.locator("body").innerText({ timeout: 1000 }).catch(() => "?");
        await page.screenshot({ path: `${shots}/inside-dashboard-${mount}-failed.png` });
        throw new Error(`${mount} at ${src} did not get past "${inside.slice(0, 120)}": ${error.message}\n${page.errors.join("\n")}`);
      }
      // Let the page finish its requests: leaving earlier would abort them (and count as errors).
      await frame.locator("[data-testid=loading]").first().waitFor({ state: "detached", timeout: 20000 });
      await (await element.elementHandle()).contentFrame().then((content) => content.waitForLoadState("networkidle"));
      const referrer = await frame.locator("body").evaluate(() => document.referrer);
      expect(referrer === `${dashboard.origin}/`, `${mount}: document.referrer is the Dashboard's origin, got "${referrer}"`);
      const actions = await page.evaluate(() => window.__actions);
      expect(actions.some((action) => action.mount === mount && action.type === "notifyReady"), `${mount}: notifyReady reached the Dashboard`);
      return { src, frame };
    };
    return { page, dashboard, session, mounted };
  };

  await scenario("opened as the real Dashboard opens it: the menu entry, Extensions, the customer and order widgets", async () => {
    const { page, dashboard, session, mounted } = await insideDashboard();
    const query = `?domain=${encodeURIComponent(new URL(session.saleorApiUrl).host)}&saleorApiUrl=`;
    const opened = [];

    // Customers → Network: the menu links /extensions/app/<id>/, whose frame loads
    // urlJoin(appUrl, "/", "?…") = <app>/dashboard?domain=… (no slash).
    await page.goto(`${dashboard.origin}/`);
    await page.click("[data-testid=menu-Network]");
    const menu = await mounted("APP_PAGE", "[data-testid=page-title]");
    expect(menu.src.startsWith(`${server.base}/dashboard${query}`), `the menu's frame URL: ${menu.src}`);
    opened.push(menu.src);

    // Extensions → the app: /extensions/app/<id>, the same frame URL.
    await page.goto(`${dashboard.origin}/`);
    await page.click("[data-testid=menu-extension]");
    const extensions = await mounted("APP_PAGE", "[data-testid=page-title]");
    expect(extensions.src.startsWith(`${server.base}/dashboard${query}`), `the Extensions frame URL: ${extensions.src}`);

    // The widgets on a customer's and an order's page, at the manifest's absolute URLs.
    await page.goto(`${dashboard.origin}/customers/${encodeURIComponent(someone.saleorUserId || "VXNlcjox")}`);
    const customer = await mounted("CUSTOMER_DETAILS_WIDGETS", "[data-testid=customer-widget]");
    expect(customer.src.startsWith(`${server.base}/dashboard/widgets/customer${query}`), `the customer widget's URL: ${customer.src}`);
    opened.push(customer.src);
    await page.goto(`${dashboard.origin}/orders/${encodeURIComponent("T3JkZXI6MQ==")}`);
    const order = await mounted("ORDER_DETAILS_WIDGETS", "[data-testid=order-widget]");
    expect(order.src.startsWith(`${server.base}/dashboard/widgets/order${query}`), `the order widget's URL: ${order.src}`);
    opened.push(order.src);
    await page.screenshot({ path: `${shots}/inside-dashboard-order-widget.png` });

    expect(!page.errors.length, `console errors:\n${page.errors.join("\n")}`);
    await page.close();
    return opened.map((src) => src.replace(server.base, "").replace(/saleorApiUrl=[^&]*/, "saleorApiUrl=…")).join("\n");
  });

  await scenario("inside the Dashboard: a deep link, then theme and locale events", async () => {
    const { page, dashboard, mounted } = await insideDashboard();
    // /extensions/app/<id>/partners loads <app>/dashboard/partners?… (the Dashboard keeps the path).
    await page.goto(`${dashboard.origin}/extensions/app/${encodeURIComponent((await api.token()).appId)}/partners`);
    const { frame } = await mounted("APP_PAGE", "[data-testid=partners-table] [data-testid=row]");
    await page.evaluate(() => window.sendToApp("theme", { theme: "dark" }));
    await frame.locator("[data-theme=dark]").waitFor();
    await page.evaluate(() => window.sendToApp("localeChanged", { locale: "de" }));
    await frame.locator("[data-testid=page-title]", { hasText: "Partner" }).waitFor();
    await frame.locator("[data-testid=nav-overview]", { hasText: "Übersicht" }).waitFor();
    await page.screenshot({ path: `${shots}/inside-dashboard-dark-de.png` });
    expect(!page.errors.length, page.errors.join("\n"));
    await page.close();
  });

  await scenario("GraphiQL loads from the app itself under its CSP", async () => {
    const page = await newPage();
    const elsewhere = [];
    // Only the app's origin answers: a file from a CDN would fail here.
    await page.route("**/*", (route) => {
      if (new URL(route.request().url()).origin === server.base) return route.continue();
      elsewhere.push(route.request().url());
      return route.abort();
    });
    await page.goto(`${server.base}/graphql/`, { waitUntil: "networkidle" });
    await page.locator(".graphiql-container").waitFor({ timeout: 20000 });
    const policy = (await page.request.get(`${server.base}/graphql/`, { headers: { Accept: "text/html" } })).headers()["content-security-policy"];
    expect(policy.includes("frame-ancestors 'none'") && /script-src 'self' 'nonce-/.test(policy), `GraphiQL's policy: ${policy}`);
    expect(!elsewhere.length, `requests outside the app: ${elsewhere.join(", ")}`);
    await page.screenshot({ path: `${shots}/graphiql.png` });
    expect(!page.errors.length, page.errors.join("\n"));
    await page.close();
  });

  await scenario("a partner's statement opens from the partner page: groups, lines, load more, filter by bonus", async () => {
    if (!leader) return { skipped: `the API lacks ${STATEMENT_NEEDS.filter((name) => !capabilities.has(name)).join(", ") || "a settled period with statements"}` };
    const { partner, period, totalCount } = leader;
    const page = await newPage();
    await open(page, `partners/${encodeURIComponent(partner.id)}`);
    // From the partner's statements list: the row of the settled month.
    const statementRow = page.locator("[data-testid=partner-statements] [data-testid=row]", { hasText: period.label });
    await statementRow.locator("[data-testid=statement-open]").click();
    await page.locator("[data-testid=page-title]", { hasText: partner.displayName }).waitFor();
    expect(page.url().includes(`/partners/${encodeURIComponent(partner.id)}/statements/`), `the statement's own address: ${page.url()}`);

    // Each bonus with its total and its groups, as the API has them.
    const { statement } = await api.gql(STATEMENT_QUERY, { period: period.id, partnerId: partner.id, first: 50 });
    const bonuses = page.locator("[data-testid=statement-bonus]");
    await bonuses.first().waitFor();
    expect((await bonuses.count()) === statement.bonuses.length, `bonuses on the page: ${await bonuses.count()}, API: ${statement.bonuses.length}`);
    for (const bonus of statement.bonuses) {
      const block = page.locator(`[data-testid=statement-bonus][data-kind=${bonus.kind}]`);
      const groups = await block.locator("[data-testid=row]").count();
      expect(groups === bonus.groups.length, `${bonus.kind}: ${groups} groups on the page, ${bonus.groups.length} from the API`);
      const amount = (await block.locator("[data-testid=bonus-amount]").textContent()).replace(/[^\d]/g, "");
      expect(amount === bonus.amount.replace(/[^\d]/g, ""), `${bonus.kind}: ${amount} on the page, ${bonus.amount} from the API`);
    }

    // The lines: the first 50, largest first, each source linked to its partner page.
    const rows = page.locator("[data-testid=statement-lines-table] [data-testid=row]");
    const firstPage = Math.min(50, totalCount);
    await page.waitForFunction((count) => document.querySelectorAll("[data-testid=statement-lines-table] [data-testid=row]").length === count, firstPage);
    const shown = page.locator("[data-testid=statement-lines-shown]");
    expect(Number(await shown.getAttribute("data-total")) === totalCount, `lines in total: ${await shown.getAttribute("data-total")}, API: ${totalCount}`);
    const firstLine = statement.lines.edges[0].node;
    expect((await rows.first().textContent()).includes(firstLine.sourceName), `the largest line first: ${await rows.first().textContent()}`);
    const partnerLine = statement.lines.edges.findIndex((edge) => edge.node.sourceType === "PARTNER");
    if (partnerLine >= 0) {
      const href = await rows.nth(partnerLine).locator("[data-testid=line-source]").getAttribute("href");
      expect(href.includes(`/partners/${encodeURIComponent(statement.lines.edges[partnerLine].node.sourceId)}`), `source link: ${href}`);
    }
    await page.screenshot({ path: `${shots}/statement.png`, fullPage: true });

    let loaded = firstPage;
    if (totalCount > 50) {
      // "Load more" continues after the first page's cursor: row 51 is the API's next page's first line.
      const { statement: next } = await api.gql(STATEMENT_QUERY, { period: period.id, partnerId: partner.id, first: 50, after: statement.lines.pageInfo.endCursor });
      await page.click("[data-testid=statement-load-more]");
      loaded = Math.min(100, totalCount);
      await page.waitForFunction((count) => document.querySelectorAll("[data-testid=statement-lines-table] [data-testid=row]").length === count, loaded);
      const row51 = await rows.nth(50).textContent();
      expect(row51.includes(next.lines.edges[0].node.sourceName), `row 51 is the next page's first line: ${row51} / ${next.lines.edges[0].node.sourceName}`);
      await rows.nth(50).scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${shots}/statement-load-more.png` });
    }

    // Filter by a bonus: only its lines, from the first page again.
    const filtered = [...statement.bonuses].sort((a, b) => b.lineCount - a.lineCount)[0];
    await page.click(`[data-testid=lines-filter-${filtered.kind}]`);
    const expected = Math.min(50, filtered.lineCount);
    await page.waitForFunction(
      ({ count, total }) =>
        document.querySelector("[data-testid=statement-lines-shown]")?.getAttribute("data-total") === String(total) &&
        document.querySelectorAll("[data-testid=statement-lines-table] [data-testid=row]").length === count,
      { count: expected, total: filtered.lineCount },
    );
    const kinds = await rows.evaluateAll((elements) => elements.map((element) => element.querySelector("td").textContent));
    expect(kinds.every((name) => name === filtered.kindName), `only ${filtered.kindName}: ${[...new Set(kinds)].join(", ")}`);
    await page.screenshot({ path: `${shots}/statement-filtered.png`, fullPage: true });
    expect(!page.errors.length, page.errors.join("\n"));
    await page.close();
    return `${partner.displayName} (${partner.referralCode}) ${period.label}: ${statement.bonuses.length} bonuses, ${totalCount} lines, ${loaded} shown after load more; ${filtered.kindName}: ${filtered.lineCount}`;
  });

  await scenario("a period is closed with its progress bar, approved by a second person, and its statements open", async () => {
    // The names the periods page is written against (src/pages/PeriodsPage.tsx, PERIODS_FIELDS).
    const needed = ["Query.periods", "Query.period", "Period.label", "Period.status", "Period.statistics", "Period.run",
      "Period.statements", "Period.statementsCsv", "PeriodRun.phase", "PeriodRun.percent", "Mutation.periodPreview",
      "Mutation.periodClose", "Mutation.periodApprove", "Mutation.periodReopen"];
    const missing = needed.filter((name) => !capabilities.has(name));
    if (missing.length) return { skipped: `the API lacks ${missing.join(", ")}` };
    const { month, id } = await closablePeriod(server, api);
    const page = await newPage();
    await open(page, "periods");
    await page.locator("[data-testid=demo-user][data-user=merchant]").waitFor();
    await page.screenshot({ path: `${shots}/periods-before-close.png`, fullPage: true });
    const row = page.locator("[data-testid=row]", { hasText: month });
    const status = row.locator("[data-testid=period-status]");

    // Close as the demo merchant: the run goes to the background (a thread of the demo
    // server, as a worker would take it), the page shows its bar and polls until it is done.
    // Meanwhile the e2e reads the run's progress record through the API as fast as it can
    // (the page polls once a second; the demo's close takes about a second).
    const { period: before } = await api.gql(`query($id: ID!) { period(id: $id) { run { id } } }`, { id });
    const reported = sampleRun(api, id, before.run?.id);
    await row.locator("[data-testid=period-close]").click();
    await page.click("[data-testid=period-close-confirm]");
    const progress = page.locator(`[data-testid="period-progress-${month}"]`);
    await progress.locator("[role=progressbar]").waitFor({ timeout: 10000 });
    const percent = await progress.locator("[data-testid=progress-percent]").textContent();
    const label = await progress.textContent();
    await page.screenshot({ path: `${shots}/period-close-started.png` });
    await page.screenshot({ path: `${shots}/period-closing.png` }); // again below at the first percent above 0
    expect(/^\d{1,3}\s?%$/.test(percent.trim()), `a percent on the bar, got ${percent}`);
    // Follow the bar until the run is done: the percents the page showed on its way.
    const seen = [percent.trim()];
    for (const deadline = Date.now() + 60000; (await progress.count()) && Date.now() < deadline; ) {
      const now = await progress.locator("[data-testid=progress-percent]").textContent({ timeout: 1000 }).catch(() => null);
      if (now && now.trim() !== seen.at(-1)) {
        seen.push(now.trim());
        if (parseInt(now, 10) > 0 && seen.filter((value) => parseInt(value, 10) > 0).length === 1) {
          await page.screenshot({ path: `${shots}/period-closing.png` });
        }
      }
      await page.waitForTimeout(50);
    }
    await progress.waitFor({ state: "detached", timeout: 1000 });
    await row.locator("[data-testid=period-status][data-status=CLOSED]").waitFor();
    const { period: closed } = await api.gql(`query($id: ID!) { period(id: $id) { status closedBy run { kind status percent } } }`, { id });
    expect(closed.status === "CLOSED" && closed.run.kind === "CLOSE" && closed.run.status === "SUCCEEDED" && closed.run.percent === 100,
      `closed with a finished run: ${JSON.stringify(closed)}`);
    expect(closed.closedBy === "demo@saleor-mlm.local", `closed by the merchant: ${closed.closedBy}`);
    const steps = await reported;
    expect(steps.some((step) => step.status === "RUNNING" && step.percent > 0 && step.percent < 100),
      `the run reported its progress while it ran: ${JSON.stringify(steps)}`);

    // Four eyes: the merchant cannot approve its own close.
    await row.locator("[data-testid=period-approve]").click();
    const refused = page.locator("[data-testid=period-problem][data-code=SAME_USER]");
    await refused.waitFor();
    const because = await refused.textContent();
    expect(because.includes(`You closed ${month}`) && because.includes("another person"), `the refusal says why: ${because}`);
    expect((await status.getAttribute("data-status")) === "CLOSED", "still closed after the refusal");
    await page.screenshot({ path: `${shots}/period-approve-refused.png` });

    // The demo approver can.
    await page.click("[data-testid=demo-user-approver]");
    await page.locator("[data-testid=demo-user][data-user=approver]").waitFor();
    await row.locator("[data-testid=period-approve]").click();
    await row.locator("[data-testid=period-status][data-status=APPROVED]").waitFor();
    expect(!(await page.locator("[data-testid=period-problem]").count()), "no problem left after the approval");
    const { period: approved } = await api.gql(`query($id: ID!) { period(id: $id) { status approvedBy } }`, { id });
    expect(approved.status === "APPROVED" && approved.approvedBy === "demo-approver@saleor-mlm.local", `approved: ${JSON.stringify(approved)}`);
    await page.screenshot({ path: `${shots}/period-approved.png`, fullPage: true });
    await page.click("[data-testid=demo-user-merchant]");
    await page.locator("[data-testid=demo-user][data-user=merchant]").waitFor();

    await row.locator("[data-testid=period-statements]").click();
    await page.waitForSelector("[data-testid=statements] [data-testid=row]");
    await page.screenshot({ path: `${shots}/period-statements.png`, fullPage: true });
    expect(!page.errors.length, page.errors.join("\n"));
    await page.close();
    const record = steps.map((step) => `${step.phase} ${step.percent}`).join(", ");
    return `${month}: bar "${label.replace(/\s*\d+\s?%$/, "")}" at ${seen.join(" → ")} on the page; run record ${record}; closed, refused to the closer, approved by the approver`;
  });

  await periodScenarios({ scenario, newPage, open, api, expect, shots, capabilities, leader });
  await genealogyScenarios({ scenario, newPage, open, api, expect, shots, byName });
  await correctionScenarios({ scenario, newPage, open, api, expect, shots, capabilities, byName });
  await partnerScenarios({ scenario, newPage, open, api, expect, shots, byName });
  await creditNoteScenarios({ scenario, newPage, open, api, expect, shots, capabilities });
  await settingsScenarios({ scenario, newPage, open, api, expect, shots, capabilities });
  await houseCustomerScenarios({ scenario, newPage, open, api, expect, shots, capabilities, byName });
  await frenchScenarios({ scenario, newPage, open, expect, shots });
  await programScenarios({ scenario, newPage, open, api, expect, shots, capabilities, byName });

  await scenario("plan: a draft is edited with a message next to the field, saved, compared with the active plan and activated", async () => {
    const needed = ["Query.planVersions", "Mutation.planVersionCreate", "Mutation.planVersionActivate", "Mutation.whatIfRun", "Query.periodRun", "PeriodRun.whatIf"];
    const missing = needed.filter((name) => !capabilities.has(name));
    if (missing.length) return { skipped: `the API lacks ${missing.join(", ")}` };
    const { month } = await closablePeriod(server, api, { close: true });
    const page = await newPage();
    await open(page, "plan");
    await page.click("[data-testid=plan-fork]");
    const input = (testId) => page.locator(`[data-testid="${testId}"] input, input[data-testid="${testId}"]`);
    const besideField = (testId) => input(testId).evaluate((element) => element.closest("[data-macaw-ui-component=Input]").parentElement.textContent);
    await input("plan-version-name").fill("e2e draft: level 1 at 8 %");

    // A bad value: the message sits next to its field, and the plan counts one problem.
    const levelOne = "plan-bonuses.level_rates[0]";
    await input(levelOne).fill("1.5");
    await page.locator("[data-testid=plan-validity]", { hasText: "Problems: 1" }).waitFor();
    const message = await besideField(levelOne);
    expect(message.includes("A rate is between 0 and 1"), `message next to the field: ${message}`);
    await input(levelOne).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${shots}/plan-field-error.png` });
    await input(levelOne).fill("0.08");
    await page.locator("[data-testid=plan-validity]", { hasText: "The plan is valid." }).waitFor();
    expect(!(await besideField(levelOne)).includes("A rate is between"), "the message went with the bad value");

    // Save: a new draft version.
    await page.click("[data-testid=plan-save]");
    await page.locator("[data-testid=plan-activate-month]").waitFor();
    const { planVersions } = await api.gql(`{ planVersions(first: 100) { edges { node { id name status document } } } }`);
    const draft = planVersions.edges.map((edge) => edge.node).find((version) => version.name === "e2e draft: level 1 at 8 %");
    expect(draft?.status === "DRAFT", `saved as a draft: ${JSON.stringify(draft?.status)}`);
    expect(String(draft.document.bonuses.level_rates[0]) === "0.08", `the draft's level 1: ${JSON.stringify(draft.document.bonuses)}`);

    // What-if: the draft against the active plan on a closed period.
    const whatIf = page.locator("[data-testid=plan-what-if]");
    await whatIf.scrollIntoViewIfNeeded();
    await page.click("[data-testid=plan-what-if-period]");
    // The list may open outside the viewport (the section is at the bottom): click the option itself.
    await page.getByRole("option", { name: month, exact: true }).dispatchEvent("click");
    await page.click("[data-testid=plan-compare]");
    const result = page.locator("[data-testid=what-if-result]");
    await result.waitFor({ timeout: 60000 });
    const totals = await result.textContent();
    const bonuses = await page.locator("[data-testid=what-if-bonuses] [data-testid=row]").allTextContents();
    expect(bonuses.length >= 2, `the bonuses side by side: ${bonuses.join(" | ")}`);
    const level = bonuses.find((text) => /level/i.test(text));
    expect(level && !/\b0[.,]00$/.test(level.trim()), `the level bonus differs: ${bonuses.join(" | ")}`);
    await whatIf.screenshot({ path: `${shots}/plan-what-if.png` });

    // Activate from next month (the months up to now are settled or open under the demo plan).
    const next = new Date();
    next.setUTCDate(1);
    next.setUTCMonth(next.getUTCMonth() + 1);
    const nextMonth = `${next.getUTCFullYear()}-${String(next.getUTCMonth() + 1).padStart(2, "0")}`;
    await input("plan-activate-month").fill(nextMonth);
    await page.click("[data-testid=plan-activate]");
    await page.locator("[data-testid=plan-fork]").waitFor(); // an active version is read-only
    const { planVersions: after } = await api.gql(`{ planVersions(first: 100) { edges { node { id status inForceFrom } } } }`);
    const activated = after.edges.map((edge) => edge.node).find((version) => version.id === draft.id);
    expect(activated.status === "ACTIVE" && activated.inForceFrom.startsWith(nextMonth), `activated: ${JSON.stringify(activated)}`);
    await page.screenshot({ path: `${shots}/plan-activated.png` });
    expect(!page.errors.length, page.errors.join("\n"));
    await page.close();
    return `what-if on ${month}: ${totals.trim()}; ${level.trim()}; active from ${nextMonth}`;
  });

  await scenario("genealogy stays smooth with 10,000 visible partners", async () => {
    const page = await newPage();
    await open(page, "genealogy", "synthetic=10000");
    await page.waitForFunction(() => (window.__genealogyStats?.nodes ?? 0) >= 10000, null, { timeout: 20000 });
    const canvas = page.locator("[data-testid=genealogy-canvas]");
    const box = await canvas.boundingBox();
    const times = [];
    for (const zoom of ["fit", 1, 1, 1, 1]) {
      if (zoom === "fit") await page.click("[data-testid=zoom-fit]");
      else await page.click("[data-testid=zoom-in]");
      for (let step = 0; step < 10; step++) {
        const direction = step % 2 ? -1 : 1;
        await page.mouse.move(box.x + 400, box.y + 200);
        await page.mouse.down();
        await page.mouse.move(box.x + 400 + 60 * direction, box.y + 200 + 40 * direction, { steps: 2 });
        await page.mouse.up();
        await page.waitForTimeout(20);
        times.push(await page.evaluate(() => window.__genealogyStats.lastDrawMs));
      }
    }
    await page.click("[data-testid=zoom-fit]");
    await page.waitForTimeout(100);
    const fitted = await page.evaluate(() => window.__genealogyStats);
    const area = await canvas.boundingBox();
    expect(fits(fitted.box, fitted.zoom, area) && fitted.drawn === fitted.nodes, `Fit shows all 10,000: ${JSON.stringify(fitted.box)} in ${area.width}x${area.height}, ${fitted.drawn} drawn`);
    await page.screenshot({ path: `${shots}/genealogy-10000-fit.png` });
    // Search among the 10,000: Enter centres the first hit at full size.
    await page.fill("[data-testid=genealogy-search] input, input[data-testid=genealogy-search]", "Partner 5000");
    await page.press("[data-testid=genealogy-search] input, input[data-testid=genealogy-search]", "Enter");
    await page.waitForSelector("[data-testid=genealogy-selected]");
    await page.waitForTimeout(100);
    times.push(await page.evaluate(() => window.__genealogyStats.lastDrawMs));
    await page.screenshot({ path: `${shots}/genealogy-10000.png` });
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    const p95 = times[Math.floor(times.length * 0.95)];
    expect(median < 16, `median frame ${median.toFixed(1)} ms`);
    expect(!page.errors.length, page.errors.join("\n"));
    await page.close();
    return `draw median ${median.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms over ${times.length} frames`;
  });
  // Last: it commits last month, which cannot be reopened afterwards.
  await settleScenarios({ scenario, newPage, open, api, expect, shots, capabilities, server });
  // After the commit of last month: a payout run is created for it.
  await payoutScenarios({ scenario, newPage, open, api, expect, shots, capabilities, server });
} finally {
  await browser.close();
  await server.stop();
}

process.exit(report());
