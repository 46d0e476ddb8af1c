// Refunds by line in the real Saleor (issue 15.3, docs/ledger.md "Refunds by line"): orders paid
// through a transaction of a small payment app of the check's own, refunds granted per line in
// Saleor (`orderGrantRefundCreate` with `lines`, one with the shipping too, one naming no line)
// and refunded on the order's transaction (`transactionRequestRefundForGrantedRefund`, which asks
// the payment app's TRANSACTION_REFUND_REQUESTED webhook). Saleor sends the app ORDER_FULLY_PAID,
// ORDER_REFUNDED and ORDER_FULLY_REFUNDED with the granted refunds' lines; the app's deliveries
// (headers and exact bodies as it stored them), Saleor's JWKS and the pages Saleor answers to the
// order sync's query are then exported by scripts/real-saleor/export_captures.py: the test
// vectors of tests/ledger/line_refund_samples and tests/reconciliation/saleor_pages.
//
// Besides, for the sync's recorded pages: an order paid and cancelled, one in another currency
// (USD), one completed and not paid.
//
// A scenario of scripts/real-saleor/scenarios.mjs; also runs alone against servers already up
// (the app installed in Saleor), and writes $RUN_DIR/refunds.json:
//
//   SALEOR_API_URL=... APP_URL=... STAFF_EMAIL=... STAFF_PASSWORD=... RUN_DIR=... node scripts/real-saleor/refunds.mjs
import { createServer } from "node:http";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

import { ADDRESS, GraphQL, paidOrder, waitForCredit } from "./saleor.mjs";

const ERRORS = "errors { field code message }";

// What the payment app's webhook is sent when a refund is requested (a sync webhook: its answer
// is the refund's outcome).
const REFUND_REQUESTED = `subscription {
  event {
    ... on TransactionRefundRequested {
      action { amount actionType currency }
      transaction { id pspReference }
      grantedRefund { id }
    }
  }
}`;

/**
 * A payment app of the check's own: a local app with HANDLE_PAYMENTS (its token creates and
 * reports transactions) whose webhook for TRANSACTION_REFUND_REQUESTED is a server on a local
 * port. `answer(request)` decides the webhook's answer: `{ pspReference, result: "REFUND_SUCCESS",
 * amount }` refunds at once; `{ pspReference }` alone leaves the refund requested (pending) until
 * the app reports it with transactionEventReport.
 */
export async function paymentApp(saleor, tag) {
  const requests = [];
  let answer = (request) => ({ pspReference: `refund-${requests.length}`, result: "REFUND_SUCCESS", amount: request.action.amount });
  const server = createServer((incoming, response) => {
    let text = "";
    incoming.on("data", (chunk) => (text += chunk));
    incoming.on("end", () => {
      let reply = {};
      try {
        const request = JSON.parse(text);
        requests.push(request);
        reply = answer(request);
      } catch (error) {
        requests.push({ unreadable: text.slice(0, 500), error: String(error) });
      }
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(reply));
    });
  });
  await new Promise((listening) => server.listen(0, "127.0.0.1", listening));
  const { port } = server.address();
  const { authToken, app } = await saleor.mutate(
    "appCreate",
    `mutation($input: AppInput!) { appCreate(input: $input) { authToken app { id } ${ERRORS} } }`,
    { input: { name: `Check payments ${tag}`, permissions: ["HANDLE_PAYMENTS"] } },
  );
  await saleor.mutate(
    "webhookCreate",
    `mutation($input: WebhookCreateInput!) { webhookCreate(input: $input) { webhook { id } ${ERRORS} } }`,
    {
      input: {
        app: app.id,
        name: "refund requested",
        targetUrl: `http://127.0.0.1:${port}/refund-requested`,
        isActive: true,
        syncEvents: ["TRANSACTION_REFUND_REQUESTED"],
        query: REFUND_REQUESTED,
      },
    },
  );
  return {
    id: app.id,
    api: new GraphQL(saleor.url, { Authorization: `Bearer ${authToken}` }),
    requests,
    answerWith(decide) {
      answer = decide;
    },
    close: () => new Promise((closed) => server.close(closed)),
  };
}

/** A product whose variant carries `mlm.pv`/`mlm.bv`, listed in `channels` at `price`. */
async function productWithVolume(saleor, { name, sku, pv, bv, price, channels, warehouse, shippingRequired }) {
  const { productType } = await saleor.mutate(
    "productTypeCreate",
    `mutation($input: ProductTypeInput!) { productTypeCreate(input: $input) { productType { id } ${ERRORS} } }`,
    { input: { name: `${name} type ${sku}`, kind: "NORMAL", isShippingRequired: shippingRequired } },
  );
  const { category } = await saleor.mutate(
    "categoryCreate",
    `mutation($input: CategoryInput!) { categoryCreate(input: $input) { category { id } ${ERRORS} } }`,
    { input: { name: `${name} ${sku}` } },
  );
  const { product } = await saleor.mutate(
    "productCreate",
    `mutation($input: ProductCreateInput!) { productCreate(input: $input) { product { id } ${ERRORS} } }`,
    { input: { name, productType: productType.id, category: category.id } },
  );
  await listProduct(saleor, product.id, channels);
  const { productVariant: variant } = await saleor.mutate(
    "productVariantCreate",
    `mutation($input: ProductVariantCreateInput!) { productVariantCreate(input: $input) { productVariant { id sku } ${ERRORS} } }`,
    {
      input: {
        product: product.id,
        sku,
        name,
        attributes: [],
        trackInventory: false,
        stocks: [{ warehouse: warehouse.id, quantity: 1000 }],
        metadata: [
          { key: "mlm.pv", value: pv },
          { key: "mlm.bv", value: bv },
        ],
      },
    },
  );
  await listVariant(saleor, variant.id, channels, price);
  return { ...variant, productId: product.id };
}

async function listProduct(saleor, productId, channels) {
  await saleor.mutate(
    "productChannelListingUpdate",
    `mutation($id: ID!, $input: ProductChannelListingUpdateInput!) { productChannelListingUpdate(id: $id, input: $input) { ${ERRORS} } }`,
    { id: productId, input: { updateChannels: channels.map((channel) => ({ channelId: channel.id, isPublished: true, visibleInListings: true, isAvailableForPurchase: true })) } },
  );
}

async function listVariant(saleor, variantId, channels, price) {
  await saleor.mutate(
    "productVariantChannelListingUpdate",
    `mutation($id: ID!, $input: [ProductVariantChannelListingAddInput!]!) { productVariantChannelListingUpdate(id: $id, input: $input) { ${ERRORS} } }`,
    { id: variantId, input: channels.map((channel) => ({ channelId: channel.id, price })) },
  );
}

/** A shipping zone for Germany with one method at `price` in the channel (draft orders name
 * the method by its ShippingMethodType id). */
async function shippingMethod(saleor, { channel, warehouse, price, tag }) {
  const { shippingZone } = await saleor.mutate(
    "shippingZoneCreate",
    `mutation($input: ShippingZoneCreateInput!) { shippingZoneCreate(input: $input) { shippingZone { id } ${ERRORS} } }`,
    { input: { name: `Germany ${tag}`, countries: ["DE"], addWarehouses: [warehouse.id], addChannels: [channel.id] } },
  );
  const { shippingMethod: method } = await saleor.mutate(
    "shippingPriceCreate",
    `mutation($input: ShippingPriceInput!) { shippingPriceCreate(input: $input) { shippingMethod { id } ${ERRORS} } }`,
    { input: { name: "Paket", type: "PRICE", shippingZone: shippingZone.id } },
  );
  await saleor.mutate(
    "shippingMethodChannelListingUpdate",
    `mutation($id: ID!, $input: ShippingMethodChannelListingInput!) { shippingMethodChannelListingUpdate(id: $id, input: $input) { ${ERRORS} } }`,
    { id: method.id, input: { addChannels: [{ channelId: channel.id, price }] } },
  );
  return method;
}

const ORDER_FIELDS = `id number total { gross { amount currency } } shippingPrice { gross { amount } } lines { id productSku quantity unitPrice { gross { amount } } }`;

/** A draft order completed (not paid). */
async function completedOrder(saleor, { channel, user, lines, shipping = null }) {
  const address = { ...ADDRESS, firstName: user.firstName, lastName: user.lastName };
  const { order } = await saleor.mutate(
    "draftOrderCreate",
    `mutation($input: DraftOrderCreateInput!) { draftOrderCreate(input: $input) { order { id } ${ERRORS} } }`,
    {
      input: {
        channelId: channel.id,
        user: user.id,
        billingAddress: address,
        ...(shipping ? { shippingAddress: address, shippingMethod: shipping.id } : {}),
        lines: lines.map(([variant, quantity]) => ({ variantId: variant.id, quantity })),
      },
    },
  );
  const { order: completed } = await saleor.mutate(
    "draftOrderComplete",
    `mutation($id: ID!) { draftOrderComplete(id: $id) { order { ${ORDER_FIELDS} } ${ERRORS} } }`,
    { id: order.id },
  );
  return completed;
}

/** The order charged in full by a transaction of the payment app (Saleor sends ORDER_FULLY_PAID). */
async function payByTransaction(payments, order, reference) {
  const { transaction } = await payments.api.mutate(
    "transactionCreate",
    `mutation($id: ID!, $transaction: TransactionCreateInput!) { transactionCreate(id: $id, transaction: $transaction) { transaction { id chargedAmount { amount } } ${ERRORS} } }`,
    {
      id: order.id,
      transaction: {
        name: "Check payments",
        pspReference: reference,
        availableActions: ["REFUND"],
        amountCharged: { amount: order.total.gross.amount, currency: order.total.gross.currency },
      },
    },
  );
  return transaction;
}

/** A granted refund of the order on its transaction: `lines` [[line, quantity]], the shipping,
 * or an amount naming no line. */
async function grantRefund(saleor, order, transaction, { lines = [], shipping = false, amount = null, reason }) {
  const { grantedRefund } = await saleor.mutate(
    "orderGrantRefundCreate",
    `mutation($id: ID!, $input: OrderGrantRefundCreateInput!) { orderGrantRefundCreate(id: $id, input: $input) {
      grantedRefund { id status amount { amount currency } shippingCostsIncluded lines { id quantity orderLine { id } } }
      ${ERRORS} } }`,
    {
      id: order.id,
      input: {
        transactionId: transaction.id,
        reason,
        ...(lines.length ? { lines: lines.map(([line, quantity]) => ({ id: line.id, quantity })) } : {}),
        ...(shipping ? { grantRefundForShipping: true } : {}),
        ...(amount != null ? { amount } : {}),
      },
    },
  );
  return grantedRefund;
}

/** The granted refund refunded on the transaction, as the Dashboard's "Refund" does. */
async function requestRefund(saleor, grantedRefund, transaction) {
  const { transaction: after } = await saleor.mutate(
    "transactionRequestRefundForGrantedRefund",
    `mutation($granted: ID!, $id: ID!) { transactionRequestRefundForGrantedRefund(grantedRefundId: $granted, id: $id) {
      transaction { id chargedAmount { amount } refundedAmount { amount } } ${ERRORS} } }`,
    { granted: grantedRefund.id, id: transaction.id },
  );
  return after;
}

/** The app's view of the order: net PV/BV and its refund entries. */
async function appOrder(appApi, orderId) {
  const { orderAttribution } = await appApi.request(
    `query($id: ID!) { orderAttribution(orderId: $id) { pv bv netPv netBv ledger { kind entries pv bv } parked { eventKind reason message } } }`,
    { id: orderId },
  );
  return orderAttribution;
}

const refundEntries = (attribution) => attribution?.ledger?.find((total) => total.kind === "REFUND")?.entries ?? 0;

/** Wait until the app has recorded one more refund entry of the order than `before` (the
 * refund's webhook went through), or `condition` holds. */
async function waitForTakeBack(appApi, orderId, condition, seconds = 60) {
  let seen = null;
  for (const deadline = Date.now() + seconds * 1000; Date.now() < deadline; ) {
    seen = await appOrder(appApi, orderId);
    if (condition(seen)) return seen;
    await new Promise((done) => setTimeout(done, 1000));
  }
  throw new Error(`order ${orderId}: the app did not take the refund back within ${seconds} s: ${JSON.stringify(seen)}`);
}

/** One granted refund, refunded; returns what Saleor and the app recorded. */
async function refundStep(ctx, name, order, transaction, grant, { pending = false } = {}) {
  const before = refundEntries(await appOrder(ctx.appApi, order.id));
  const granted = await grantRefund(ctx.saleor, order, transaction, { ...grant, reason: name });
  const reference = `refund-${ctx.tag}-${ctx.steps.length + 1}`;
  ctx.payments.answerWith((request) =>
    pending ? { pspReference: reference } : { pspReference: reference, result: "REFUND_SUCCESS", amount: request.action.amount },
  );
  let after = await requestRefund(ctx.saleor, granted, transaction);
  let reported = null;
  if (pending) {
    // The payment provider confirms later: the payment app reports the success.
    const { grantedRefunds } = (await ctx.saleor.request(`query($id: ID!) { order(id: $id) { grantedRefunds { id status } } }`, { id: order.id })).order;
    reported = await ctx.payments.api.mutate(
      "transactionEventReport",
      `mutation($id: ID!, $amount: PositiveDecimal!, $psp: String!) { transactionEventReport(id: $id, type: REFUND_SUCCESS, amount: $amount, pspReference: $psp) {
        alreadyProcessed transactionEvent { id type } transaction { chargedAmount { amount } refundedAmount { amount } } ${ERRORS} } }`,
      { id: transaction.id, amount: granted.amount.amount, psp: reference },
    );
    after = reported.transaction;
    reported = { statusesBefore: grantedRefunds, event: reported.transactionEvent };
  }
  const app = await waitForTakeBack(ctx.appApi, order.id, (seen) => refundEntries(seen) > before);
  const { order: state } = await ctx.saleor.request(
    `query($id: ID!) { order(id: $id) { totalRefunded { amount } chargeStatus grantedRefunds { id status amount { amount } shippingCostsIncluded lines { quantity orderLine { id } } } } }`,
    { id: order.id },
  );
  const step = { name, order: order.number, granted, reported, transaction: after, saleor: state, app: { netPv: app.netPv, netBv: app.netBv } };
  ctx.steps.push(step);
  return step;
}

/** Everything above; returns the record (also written to `runDir/refunds.json`). */
export async function grantedRefundsCapture({ saleor, appApi, shop, runDir, tag = Date.now().toString(36) }) {
  const since = new Date(Date.now() - 5_000).toISOString();
  const { channel, warehouse, variant: kit } = shop;
  const user = shop.customerUser;
  const cream = await productWithVolume(saleor, {
    name: "Night cream", sku: `MLM-CREAM-${tag}`, pv: "12.5", bv: "15", price: "19.99", channels: [channel], warehouse, shippingRequired: true,
  });
  const shipping = await shippingMethod(saleor, { channel, warehouse, price: "4.90", tag });
  const payments = await paymentApp(saleor, tag);
  const ctx = { saleor, appApi, payments, tag, steps: [] };
  const record = { since, tag, paymentApp: payments.id, orders: {}, steps: ctx.steps, refundRequests: payments.requests };
  try {
    // A: 2 kits, a cream and shipping; the cream refunded by line, then a kit with the shipping
    // (the payment provider confirms later), then 10.00 naming no line.
    const a = await completedOrder(saleor, { channel, user, lines: [[kit, 2], [cream, 1]], shipping });
    const transactionA = await payByTransaction(payments, a, `pay-${tag}-a`);
    const creditA = await waitForCredit(appApi, a.id);
    if (!creditA) throw new Error(`order #${a.number} was not credited within 60 s`);
    record.orders.lines = { id: a.id, number: a.number, total: a.total.gross, shipping: a.shippingPrice.gross.amount, lines: a.lines, credited: creditA };
    const kitLine = a.lines.find((line) => line.productSku === kit.sku);
    const creamLine = a.lines.find((line) => line.productSku === cream.sku);
    await refundStep(ctx, "the cream by line", a, transactionA, { lines: [[creamLine, 1]] });
    await refundStep(ctx, "one kit by line, with the shipping (confirmed later)", a, transactionA, { lines: [[kitLine, 1]], shipping: true }, { pending: true });
    await refundStep(ctx, "10.00 naming no line", a, transactionA, { amount: "10.00" });

    // B: a kit, a cream and shipping; 20.00 naming no line, then the rest naming no line (fully
    // refunded).
    const b = await completedOrder(saleor, { channel, user, lines: [[kit, 1], [cream, 1]], shipping });
    const transactionB = await payByTransaction(payments, b, `pay-${tag}-b`);
    const creditB = await waitForCredit(appApi, b.id);
    if (!creditB) throw new Error(`order #${b.number} was not credited within 60 s`);
    record.orders.proportional = { id: b.id, number: b.number, total: b.total.gross, shipping: b.shippingPrice.gross.amount, lines: b.lines, credited: creditB };
    await refundStep(ctx, "20.00 naming no line", b, transactionB, { amount: "20.00" });
    const rest = (Number(b.total.gross.amount) - 20).toFixed(2);
    await refundStep(ctx, `the rest (${rest}) naming no line`, b, transactionB, { amount: rest });

    // For the sync's recorded pages: paid and cancelled; in USD; completed and not paid.
    const c = await paidOrder(saleor, { channel, variant: kit, user, quantity: 1 });
    if (!(await waitForCredit(appApi, c.id))) throw new Error(`order #${c.number} was not credited within 60 s`);
    await saleor.mutate("orderCancel", `mutation($id: ID!) { orderCancel(id: $id) { order { id status } ${ERRORS} } }`, { id: c.id });
    record.orders.cancelled = { id: c.id, number: c.number };
    const usd = await usdChannel(saleor, { warehouse, kit });
    const d = await paidOrder(saleor, { channel: usd, variant: kit, user, quantity: 1 });
    record.orders.otherCurrency = { id: d.id, number: d.number, total: d.total.gross };
    const e = await completedOrder(saleor, { channel, user, lines: [[kit, 1]] });
    record.orders.notPaid = { id: e.id, number: e.number };
    record.until = new Date(Date.now() + 60_000).toISOString();
    return record;
  } finally {
    await payments.close();
    if (runDir) writeFileSync(join(runDir, "refunds.json"), JSON.stringify(record, null, 2));
  }
}

/** A USD channel with the warehouse and the kit listed in it. */
async function usdChannel(saleor, { warehouse, kit }) {
  const { channels } = await saleor.request(`{ channels { id slug currencyCode } }`);
  let channel = channels.find((item) => item.slug === "mlm-check-usd");
  if (!channel) {
    ({ channel } = await saleor.mutate(
      "channelCreate",
      `mutation($input: ChannelCreateInput!) { channelCreate(input: $input) { channel { id slug currencyCode } ${ERRORS} } }`,
      { input: { name: "MLM check USD", slug: "mlm-check-usd", currencyCode: "USD", defaultCountry: "US", isActive: true, addWarehouses: [warehouse.id] } },
    ));
  }
  const { productVariant } = await saleor.request(`query($id: ID!) { productVariant(id: $id) { product { id } } }`, { id: kit.id });
  await listProduct(saleor, productVariant.product.id, [channel]);
  await listVariant(saleor, kit.id, [channel], "54.90");
  return channel;
}

// Alone: the shop data of saleor.mjs, the app's token from the installed app.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { requiredEnv, standaloneClients } = await import("./saleor.mjs");
  const { saleor, appApi, shop } = await standaloneClients();
  const record = await grantedRefundsCapture({ saleor, appApi, shop, runDir: requiredEnv("RUN_DIR") });
  console.log(JSON.stringify(record, null, 2));
}
