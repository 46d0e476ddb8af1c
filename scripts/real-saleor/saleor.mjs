// The real Saleor's and the app's GraphQL APIs, as the check uses them before it opens a
// browser: a little shop data, the app's installation, partners, paid orders.

/** A GraphQL endpoint with a bearer token (Saleor's staff token, or the app token for the app). */
export class GraphQL {
  constructor(url, headers = {}) {
    this.url = url;
    this.headers = headers;
  }

  async request(query, variables = {}) {
    const response = await fetch(this.url, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...this.headers },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`${this.url}: HTTP ${response.status}: ${text.slice(0, 500)}`);
    }
    if (body.errors?.length) throw new Error(`${this.url}: ${JSON.stringify(body.errors).slice(0, 1000)}`);
    return body.data;
  }

  /** A mutation whose payload has `errors`: throws on any. */
  async mutate(name, query, variables = {}) {
    const data = await this.request(query, variables);
    const payload = data[name];
    if (payload?.errors?.length) throw new Error(`${name}: ${JSON.stringify(payload.errors)}`);
    return payload;
  }
}

export async function staffClient(apiUrl, email, password) {
  const anonymous = new GraphQL(apiUrl);
  const { token } = await anonymous.mutate(
    "tokenCreate",
    `mutation($email: String!, $password: String!) { tokenCreate(email: $email, password: $password) { token errors { field code message } } }`,
    { email, password },
  );
  return new GraphQL(apiUrl, { Authorization: `Bearer ${token}` });
}

export const ADDRESS = {
  firstName: "Mia",
  lastName: "Lager",
  companyName: "saleor-mlm check",
  streetAddress1: "Hauptstraße 1",
  city: "Berlin",
  postalCode: "10115",
  country: "DE",
};

/** Makes e-mails and SKUs unique, so that the scenarios can run again against the same servers. */
const TAG = Date.now().toString(36);

/** What the scenarios need in Saleor: a channel with a warehouse, one product whose variant
 * carries `mlm.pv`/`mlm.bv`, two customers. */
export async function seedShop(saleor) {
  const { channels } = await saleor.request(`{ channels { id slug currencyCode } }`);
  let channel = channels.find((item) => item.slug === "mlm-check");
  if (!channel) {
    ({ channel } = await saleor.mutate(
      "channelCreate",
      `mutation($input: ChannelCreateInput!) { channelCreate(input: $input) { channel { id slug currencyCode } errors { field code message } } }`,
      { input: { name: "MLM check", slug: "mlm-check", currencyCode: "EUR", defaultCountry: "DE", isActive: true } },
    ));
  }
  const { warehouse } = await saleor.mutate(
    "createWarehouse",
    `mutation($input: WarehouseCreateInput!) { createWarehouse(input: $input) { warehouse { id } errors { field code message } } }`,
    { input: { name: "Berlin", slug: `berlin-${Date.now()}`, address: ADDRESS } },
  );
  await saleor.mutate(
    "channelUpdate",
    `mutation($id: ID!, $input: ChannelUpdateInput!) { channelUpdate(id: $id, input: $input) { errors { field code message } } }`,
    { id: channel.id, input: { addWarehouses: [warehouse.id] } },
  );
  const { productType } = await saleor.mutate(
    "productTypeCreate",
    `mutation($input: ProductTypeInput!) { productTypeCreate(input: $input) { productType { id } errors { field code message } } }`,
    { input: { name: "Starter kit", kind: "NORMAL", isShippingRequired: false } },
  );
  const { category } = await saleor.mutate(
    "categoryCreate",
    `mutation($input: CategoryInput!) { categoryCreate(input: $input) { category { id } errors { field code message } } }`,
    { input: { name: "Kits" } },
  );
  const { product } = await saleor.mutate(
    "productCreate",
    `mutation($input: ProductCreateInput!) { productCreate(input: $input) { product { id name } errors { field code message } } }`,
    { input: { name: "MLM starter kit", productType: productType.id, category: category.id } },
  );
  await saleor.mutate(
    "productChannelListingUpdate",
    `mutation($id: ID!, $input: ProductChannelListingUpdateInput!) { productChannelListingUpdate(id: $id, input: $input) { errors { field code message } } }`,
    { id: product.id, input: { updateChannels: [{ channelId: channel.id, isPublished: true, visibleInListings: true, isAvailableForPurchase: true }] } },
  );
  const { productVariant: variant } = await saleor.mutate(
    "productVariantCreate",
    `mutation($input: ProductVariantCreateInput!) { productVariantCreate(input: $input) { productVariant { id sku metadata { key value } } errors { field code message } } }`,
    {
      input: {
        product: product.id,
        sku: `MLM-KIT-${TAG}`,
        name: "Kit",
        attributes: [],
        trackInventory: false,
        stocks: [{ warehouse: warehouse.id, quantity: 1000 }],
        metadata: [
          { key: "mlm.pv", value: "20" },
          { key: "mlm.bv", value: "15.5" },
        ],
      },
    },
  );
  await saleor.mutate(
    "productVariantChannelListingUpdate",
    `mutation($id: ID!, $input: [ProductVariantChannelListingAddInput!]!) { productVariantChannelListingUpdate(id: $id, input: $input) { errors { field code message } } }`,
    { id: variant.id, input: [{ channelId: channel.id, price: "49.90" }] },
  );
  const customer = async (firstName, lastName) => {
    const { user } = await saleor.mutate(
      "customerCreate",
      `mutation($input: UserCreateInput!) { customerCreate(input: $input) { user { id email firstName lastName } errors { field code message } } }`,
      { input: { firstName, lastName, email: `${firstName}.${lastName}.${TAG}@mlm-check.example.com`.toLowerCase(), isActive: true, defaultBillingAddress: { ...ADDRESS, firstName, lastName } } },
    );
    return user;
  };
  return { channel, warehouse, product, variant, partnerUser: await customer("Paula", "Partner"), customerUser: await customer("Chris", "Kunde") };
}

/** appInstall with the manifest URL, then wait for Saleor's job (it installs inside the request
 * without a broker, and posts the token to the app's /api/register). */
export async function installApp(saleor, manifestUrl, appName) {
  const installed = async () => {
    const { apps } = await saleor.request(`{ apps(first: 20) { edges { node { id name isActive appUrl manifestUrl } } } }`);
    return apps.edges.map((edge) => edge.node).find((node) => node.manifestUrl === manifestUrl) ?? null;
  };
  // Running the scenarios again against the same servers: the app is there already.
  const already = await installed();
  if (already) return already;
  const { appInstallation } = await saleor.mutate(
    "appInstall",
    `mutation($input: AppInstallInput!) { appInstall(input: $input) { appInstallation { id status message } errors { field code message } } }`,
    { input: { appName, manifestUrl, permissions: ["MANAGE_ORDERS", "MANAGE_USERS", "MANAGE_DISCOUNTS"], activateAfterInstallation: true } },
  );
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
    const app = await installed();
    if (app) return app;
    const { appsInstallations } = await saleor.request(`{ appsInstallations { id status message manifestUrl } }`);
    const job = appsInstallations.find((item) => item.id === appInstallation.id);
    if (job?.status === "FAILED") throw new Error(`appInstall failed: ${job.message}`);
    await new Promise((done) => setTimeout(done, 1000));
  }
  throw new Error("the app did not appear in Saleor within 120 s");
}

/** The token the Dashboard hands to the app's pages (`App.accessToken`, type thirdparty). */
export async function appClient(saleor, appId, appBase, saleorApiUrl) {
  const { app } = await saleor.request(`query($id: ID!) { app(id: $id) { accessToken } }`, { id: appId });
  if (!app?.accessToken) throw new Error("Saleor gave no accessToken for the app");
  return new GraphQL(`${appBase}/graphql/`, { "authorization-bearer": app.accessToken, "saleor-api-url": saleorApiUrl });
}

const PARTNER_CREATE = `mutation($input: PartnerCreateInput!) { partnerCreate(input: $input) { partner { id displayName email referralCode voucherCode } errors { field code message } } }`;

/** Two partners in the app: Paula (the Saleor user Paula, a root) and Bernd (under Paula). */
export async function seedNetwork(app, partnerUser) {
  const { partner: paula } = await app.mutate("partnerCreate", PARTNER_CREATE, {
    input: { email: partnerUser.email, firstName: "Paula", lastName: "Partner", saleorUserId: partnerUser.id, country: "DE" },
  });
  const { partner: bernd } = await app.mutate("partnerCreate", PARTNER_CREATE, {
    input: { email: `bernd.betreuer.${TAG}@mlm-check.example.com`, firstName: "Bernd", lastName: "Betreuer", sponsorId: paula.id, country: "DE" },
  });
  return { paula, bernd };
}

/** The partner's voucher code, once the app created it in Saleor (a task after partnerCreate),
 * and whether Saleor knows it; null after `seconds`. */
export async function waitForVoucher(saleor, app, partnerId, seconds = 60) {
  for (const deadline = Date.now() + seconds * 1000; Date.now() < deadline; ) {
    const { partner } = await app.request(`query($id: ID!) { partner(id: $id) { voucherCode } }`, { id: partnerId });
    if (partner?.voucherCode) {
      const { vouchers } = await saleor.request(`query($code: String!) { vouchers(first: 5, filter: { search: $code }) { edges { node { id name codes(first: 5) { edges { node { code } } } } } } }`, {
        code: partner.voucherCode,
      });
      const inSaleor = vouchers.edges.some((edge) => edge.node.codes.edges.some((code) => code.node.code === partner.voucherCode));
      return { code: partner.voucherCode, inSaleor };
    }
    await new Promise((done) => setTimeout(done, 1000));
  }
  return null;
}

/** A draft order for the user, completed and marked as paid: Saleor sends ORDER_FULLY_PAID. */
export async function paidOrder(saleor, { channel, variant, user, quantity = 2, voucherCode = null }) {
  const { order } = await saleor.mutate(
    "draftOrderCreate",
    `mutation($input: DraftOrderCreateInput!) { draftOrderCreate(input: $input) { order { id } errors { field code message } } }`,
    {
      input: {
        channelId: channel.id,
        user: user.id,
        billingAddress: { ...ADDRESS, firstName: user.firstName, lastName: user.lastName },
        lines: [{ variantId: variant.id, quantity }],
        ...(voucherCode ? { voucherCode } : {}),
      },
    },
  );
  const completed = await saleor.mutate(
    "draftOrderComplete",
    `mutation($id: ID!) { draftOrderComplete(id: $id) { order { id number total { gross { amount currency } } } errors { field code message } } }`,
    { id: order.id },
  );
  await saleor.mutate(
    "orderMarkAsPaid",
    `mutation($id: ID!) { orderMarkAsPaid(id: $id) { order { id isPaid } errors { field code message } } }`,
    { id: order.id },
  );
  return completed.order;
}

/** Wait until the app has credited the order (its webhook went through). */
export async function waitForCredit(app, orderId, seconds = 60) {
  for (const deadline = Date.now() + seconds * 1000; Date.now() < deadline; ) {
    const { orderAttribution } = await app.request(`query($id: ID!) { orderAttribution(orderId: $id) { pv bv } }`, { id: orderId });
    if (orderAttribution?.pv && Number(orderAttribution.pv) > 0) return orderAttribution;
    await new Promise((done) => setTimeout(done, 1000));
  }
  return null;
}

/** The example plan (docs/plan-example.yaml) in force from this month, and a preview run of
 * the month: the partners get statements of the open period. Returns the period's id. */
export async function previewThisMonth(app, planText) {
  const month = new Date().toISOString().slice(0, 7);
  const { planVersion } = await app.mutate(
    "planVersionCreate",
    `mutation($input: PlanVersionInput!) { planVersionCreate(input: $input) { planVersion { id } errors { field code message } } }`,
    { input: { name: "Real Saleor check", documentText: planText } },
  );
  const { planVersionActivate } = await app.request(
    `mutation($id: ID!, $from: String!) { planVersionActivate(id: $id, inForceFrom: $from) { errors { field code message } } }`,
    { id: planVersion.id, from: month },
  );
  // PLAN_START_TAKEN: the scenarios ran before against the same app, its plan is in force.
  const refused = planVersionActivate.errors.filter((error) => error.code !== "PLAN_START_TAKEN");
  if (refused.length) throw new Error(`planVersionActivate: ${JSON.stringify(refused)}`);
  const { period } = await app.request(`query($month: String!) { period(month: $month) { id status } }`, { month });
  if (!period) throw new Error(`no period ${month} in the app`);
  const { run } = await app.mutate("periodPreview", `mutation($id: ID!) { periodPreview(id: $id) { run { id status } errors { field code message } } }`, { id: period.id });
  for (const deadline = Date.now() + 180_000; Date.now() < deadline; ) {
    const { periodRun } = await app.request(`query($id: ID!) { periodRun(id: $id) { status error } }`, { id: run.id });
    if (periodRun.status === "SUCCEEDED") return { month, periodId: period.id };
    if (!["PENDING", "RUNNING"].includes(periodRun.status)) throw new Error(`the preview run ended ${periodRun.status}: ${periodRun.error}`);
    await new Promise((done) => setTimeout(done, 1000));
  }
  throw new Error("the preview run did not finish within 180 s");
}

/** For a scenario run alone against servers already up: the environment variable `name`
 * (required), the staff client, the installed app's client and new shop data. */
export function requiredEnv(name) {
  if (!process.env[name]) throw new Error(`${name} is not set`);
  return process.env[name];
}

export async function standaloneClients() {
  const apiUrl = requiredEnv("SALEOR_API_URL");
  const appUrl = requiredEnv("APP_URL").replace(/\/$/, "");
  const saleor = await staffClient(apiUrl, requiredEnv("STAFF_EMAIL"), requiredEnv("STAFF_PASSWORD"));
  const { apps } = await saleor.request(`{ apps(first: 20) { edges { node { id manifestUrl } } } }`);
  const app = apps.edges.map((edge) => edge.node).find((node) => node.manifestUrl === `${appUrl}/api/manifest`);
  if (!app) throw new Error(`no app with the manifest ${appUrl}/api/manifest in Saleor`);
  const appApi = await appClient(saleor, app.id, appUrl, apiUrl);
  return { apiUrl, appUrl, saleor, appApi, shop: await seedShop(saleor) };
}
