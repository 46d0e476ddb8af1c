// A storefront's one request through a federation gateway in front of the real Saleor and the
// app (issue 21, docs/storefront.md): Saleor's own `_service { sdl }` captured, a customer who
// registered in the shop with a password and is linked to a partner, its paid order credited,
// then the customer's token asks Saleor's `me` and the app's `mlmPartner` and
// `Order.mlmAttribution` in one request to the Hive Gateway of tests/federation/js.
//
// A scenario of scripts/real-saleor/scenarios.mjs; also runs alone against servers already
// up (the app installed in Saleor), and prints what it did as JSON:
//
//   SALEOR_API_URL=... APP_URL=... STAFF_EMAIL=... STAFF_PASSWORD=... GATEWAY_DIR=<tests/federation/js with node_modules> \
//     [CAPTURE_DIR=<where saleor-service.graphql goes>] node scripts/real-saleor/storefront.mjs
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

import { GraphQL, paidOrder, waitForCredit } from "./saleor.mjs";

/** Saleor's answer to `_service { sdl }`, as a gateway asks for it (anonymous). */
export async function saleorServiceSdl(apiUrl) {
  const { _service } = await new GraphQL(apiUrl).request("{ _service { sdl } }");
  return _service.sdl;
}

const PASSWORD = "storefront-check-1";

/** A customer who registers in the storefront (accountRegister with a password, the shop's
 * e-mail confirmation off so it can log in at once) and logs in (tokenCreate), linked to a new
 * partner in the app. Its id comes from `me`: accountRegister answers a user without one (Saleor
 * answers the same whether the e-mail was new or taken, against account enumeration). */
export async function storefrontPartner(saleor, appApi, channel, tag) {
  await saleor.mutate(
    "shopSettingsUpdate",
    `mutation { shopSettingsUpdate(input: { enableAccountConfirmationByEmail: false }) { errors { field code message } } }`,
  );
  const email = `petra.storefront.${tag}@mlm-check.example.com`;
  const registered = await new GraphQL(saleor.url).mutate(
    "accountRegister",
    `mutation($input: AccountRegisterInput!) { accountRegister(input: $input) { requiresConfirmation user { id email isActive } errors { field code message } } }`,
    { input: { email, password: PASSWORD, firstName: "Petra", lastName: "Storefront", channel: channel.slug } },
  );
  if (registered.requiresConfirmation) throw new Error(`accountRegister asks ${email} to confirm the address: ${JSON.stringify(registered)}`);
  const { tokenCreate } = await new GraphQL(saleor.url).request(
    `mutation($email: String!, $password: String!) { tokenCreate(email: $email, password: $password) { token errors { field code message } } }`,
    { email, password: PASSWORD },
  );
  if (!tokenCreate.token) throw new Error(`tokenCreate for ${email}: ${JSON.stringify(tokenCreate.errors)}`);
  const { me } = await new GraphQL(saleor.url, { Authorization: `Bearer ${tokenCreate.token}` }).request(`{ me { id email isActive } }`);
  const user = { ...me, firstName: "Petra", lastName: "Storefront", registered: registered.user };
  const { partner } = await appApi.mutate(
    "partnerCreate",
    `mutation($input: PartnerCreateInput!) { partnerCreate(input: $input) { partner { id referralCode } errors { field code message } } }`,
    { input: { email, firstName: "Petra", lastName: "Storefront", saleorUserId: user.id, country: "DE" } },
  );
  return { user, partner, token: tokenCreate.token };
}

/** `node gateway.mjs SALEOR APP` in `dir`; resolves {port, stop} once it listens. */
export function startGateway(dir, saleorUrl, appUrl, seconds = 300) {
  const child = spawn("node", ["gateway.mjs", saleorUrl, appUrl], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  let errors = "";
  child.stderr.on("data", (chunk) => (errors += chunk));
  const stop = () => child.kill("SIGKILL");
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`the gateway did not listen within ${seconds} s: ${errors.slice(-2000)}`));
    }, seconds * 1000);
    child.stdout.on("data", (chunk) => {
      const match = /listening (\d+)/.exec(String(chunk));
      if (match) {
        clearTimeout(timer);
        resolve({ port: Number(match[1]), stop });
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the gateway exited (${code}): ${errors.slice(-2000)}`));
    });
  });
}

export const ONE_REQUEST = `query {
  me {
    email
    mlmPartner {
      referralCode
      paidAsRank { code }
      volumes { pv gv }
      nextRank { nextRank { code } requirements { kind needed actual missing } }
    }
    orders(first: 5) {
      edges { node { number mlmAttribution { rule pv bv partner { referralCode } } } }
    }
  }
}`;

/** Everything above; returns the record: the queries, the answers, the SDL's size. */
export async function storefrontThroughGateway({ saleor, appApi, shop, apiUrl, appUrl, gatewayDir, captureDir, tag = Date.now().toString(36) }) {
  const sdl = await saleorServiceSdl(apiUrl);
  if (captureDir) writeFileSync(join(captureDir, "saleor-service.graphql"), sdl);
  // _entities of the real Saleor, as the gateway will call it: the partner's user by id.
  const { user, partner, token } = await storefrontPartner(saleor, appApi, shop.channel, tag);
  const order = await paidOrder(saleor, { ...shop, user, quantity: 1 });
  const credit = await waitForCredit(appApi, order.id);
  if (!credit) throw new Error(`order #${order.number} of ${user.email} was not credited within 60 s`);
  const entities = await new GraphQL(apiUrl, { Authorization: `Bearer ${token}` }).request(
    `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { id email } ... on Order { id number } } }`,
    { representations: [{ __typename: "User", id: user.id }, { __typename: "Order", id: order.id }] },
  );
  const gateway = await startGateway(gatewayDir, apiUrl, `${appUrl.replace(/\/$/, "")}/graphql/`);
  try {
    const response = await fetch(`http://127.0.0.1:${gateway.port}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: ONE_REQUEST }),
    });
    const answer = await response.json();
    const me = answer.data?.me;
    const problems = [];
    if (answer.errors?.length) problems.push(`errors: ${JSON.stringify(answer.errors)}`);
    if (me?.email !== user.email) problems.push(`me.email is ${me?.email}, not ${user.email}`);
    if (me?.mlmPartner?.referralCode !== partner.referralCode) problems.push(`me.mlmPartner: ${JSON.stringify(me?.mlmPartner)}`);
    if (me?.mlmPartner?.volumes?.gv == null) problems.push("no gv");
    const node = me?.orders?.edges?.map((edge) => edge.node).find((item) => item.number === order.number);
    if (!node?.mlmAttribution || Number(node.mlmAttribution.pv) !== Number(credit.pv)) problems.push(`order #${order.number}: ${JSON.stringify(node)} (credited ${credit.pv})`);
    const record = { saleorSdlLines: sdl.split("\n").length, registered: user.registered, user: user.email, partner: partner.referralCode, order: order.number, entities, query: ONE_REQUEST, answer };
    if (problems.length) throw Object.assign(new Error(`through the gateway: ${problems.join("; ")}\n${JSON.stringify(answer).slice(0, 2000)}`), { record });
    return record;
  } finally {
    gateway.stop();
  }
}

// Alone: the shop data of saleor.mjs, the app's token from the installed app.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { requiredEnv, standaloneClients } = await import("./saleor.mjs");
  const { apiUrl, appUrl, saleor, appApi, shop } = await standaloneClients();
  const record = await storefrontThroughGateway({ saleor, appApi, shop, apiUrl, appUrl, gatewayDir: requiredEnv("GATEWAY_DIR"), captureDir: process.env.CAPTURE_DIR });
  console.log(JSON.stringify(record, null, 2));
}
