// The e2e's own calls to the app: the demo token and GraphQL, as the extension makes them.
export class Api {
  /** `user`: a demo user's key ("approver"); without it, the demo merchant. */
  constructor(base, { user } = {}) {
    this.base = base;
    this.user = user;
  }

  async token() {
    const init = this.user ? { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ user: this.user }) } : { method: "POST" };
    const response = await this.post(`${this.base}/dashboard/demo-token`, init);
    if (!response.ok) throw new Error(`demo-token: HTTP ${response.status}`);
    this.session = await response.json();
    return this.session;
  }

  async gql(query, variables = {}, retried = false) {
    if (!this.session) await this.token();
    const response = await this.post(`${this.base}/graphql/`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "authorization-bearer": this.session.token,
        "saleor-api-url": this.session.saleorApiUrl,
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = await response.json();
    // The demo token lives a few minutes; a long run outlives it: a new one, as the extension does.
    if (!retried && body.errors?.[0]?.extensions?.code === "EXPIRED_TOKEN") {
      await this.token();
      return this.gql(query, variables, true);
    }
    if (body.errors?.length) throw new Error(`GraphQL: ${JSON.stringify(body.errors)}`);
    return body.data;
  }

  /**
   * fetch, once more when the server had closed the kept-alive connection as the request
   * went out (gunicorn drops idle connections after 2 s; the request never reached Django).
   */
  async post(url, init) {
    try {
      return await fetch(url, init);
    } catch (error) {
      if (!["ECONNRESET", "UND_ERR_SOCKET", "EPIPE"].includes(error.cause?.code)) throw error;
      return fetch(url, init);
    }
  }

  async capabilities() {
    const data = await this.gql(`{ __schema { queryType { fields { name args { name } } } mutationType { fields { name } } types { name fields { name } } } }`);
    const names = new Set();
    data.__schema.queryType.fields.forEach((field) => {
      names.add(`Query.${field.name}`);
      field.args.forEach((arg) => names.add(`Query.${field.name}(${arg.name})`));
    });
    data.__schema.mutationType?.fields.forEach((field) => names.add(`Mutation.${field.name}`));
    data.__schema.types.forEach((type) => type.fields?.forEach((field) => names.add(`${type.name}.${field.name}`)));
    return names;
  }
}

const CREATE = `mutation($input: PartnerCreateInput!) { partnerCreate(input: $input) { errors { field code message } partner { id displayName } } }`;

/** The e-mail domain of the e2e's own partners: a search for it finds exactly them. */
export const E2E_DOMAIN = "e2e.example.com";

/**
 * A small network of the e2e's own, next to whatever the demo brought (its 3,000 partners
 * have other names): two lines under one root, so that a Betreuer from one line can look
 * after a partner of the other.
 */
export async function ensureNetwork(api) {
  const { partners } = await api.gql(`{ partners(search: "${E2E_DOMAIN}") { totalCount } }`);
  if (partners.totalCount >= 10) return;
  const names = [
    ["Anna", "Albers", null],
    ["Bernd", "Becker", 0],
    ["Clara", "Conrad", 0],
    ["Dieter", "Dahl", 1],
    ["Eva", "Ebert", 1],
    ["Frank", "Fischer", 2],
    ["Greta", "Graf", 2],
    ["Hans", "Hahn", 3],
    ["Ida", "Imhof", 4],
    ["Jonas", "Jung", 5],
    ["Karla", "Keller", 6],
    ["Lena", "Lang", 6],
  ];
  const ids = [];
  for (const [index, [firstName, lastName, sponsor]] of names.entries()) {
    const data = await api.gql(CREATE, {
      input: {
        email: `${firstName.toLowerCase()}.${lastName.toLowerCase()}@${E2E_DOMAIN}`,
        firstName,
        lastName,
        country: index % 3 ? "DE" : "AT",
        sponsorId: sponsor === null ? null : ids[sponsor],
        enrolledAt: new Date(Date.UTC(2026, index % 10, 3 + index)).toISOString(),
      },
    });
    if (data.partnerCreate.errors.length) throw new Error(JSON.stringify(data.partnerCreate.errors));
    ids.push(data.partnerCreate.partner.id);
  }
  await api.gql(`mutation($id: ID!) { partnerSetStatus(id: $id, status: INACTIVE, reason: "e2e: no orders") { errors { message } } }`, { id: ids[7] });
}

/**
 * Last month, ready for the dashboard to close: the demo settles it (closed and approved),
 * so it is re-opened through the API; without demo periods it is opened under the demo plan
 * (saleor_mlm/periods/demo.py) through the periods domain inside the demo's Django. With
 * `close: true` it is closed when it is open (for a scenario that needs its figures).
 */
export async function closablePeriod(server, api, { close = false } = {}) {
  const [status, month] = ensureClosablePeriod(server).split(/\s+/).slice(-2);
  const { period } = await api.gql(`query($month: String!) { period(month: $month) { id status run { status } } }`, { month });
  const id = period.id;
  if (!close && period.status === "APPROVED") {
    const { periodReopen } = await api.gql(`mutation($id: ID!) { periodReopen(id: $id, reason: "e2e: close it again in the dashboard") { errors { code message } } }`, { id });
    if (periodReopen.errors.length) throw new Error(`re-open ${month}: ${JSON.stringify(periodReopen.errors)}`);
  }
  if (close && period.status === "OPEN") {
    await api.gql(`mutation($id: ID!) { periodClose(id: $id) { errors { code message } } }`, { id });
  }
  if (close) {
    // The close runs in the background: wait for its figures.
    for (let tries = 0; ; tries++) {
      const { period: now } = await api.gql(`query($id: ID!) { period(id: $id) { run { status } } }`, { id });
      if (now.run?.status === "SUCCEEDED") break;
      if (tries > 600) throw new Error(`${month} did not finish closing: ${JSON.stringify(now)}`);
      await new Promise((done) => setTimeout(done, 100));
    }
  }
  return { month, id, status };
}

/**
 * A month to close when the demo brought no periods: last month, open, under the demo plan
 * (saleor_mlm/periods/demo.py), set up through the periods domain inside the demo's Django.
 */
export function ensureClosablePeriod(server) {
  return server.shell(`
import datetime
from django.utils import timezone
from saleor_mlm.installations.demo import DEMO_API_URL
from saleor_mlm.installations.models import Installation
from saleor_mlm.calendar.actions import get_period
from saleor_mlm.periods.demo import DEMO_PLAN
from saleor_mlm.plans.actions import activate_plan_version, create_plan_version
from saleor_mlm.plans.fetch import plan_in_force
installation = Installation.objects.get(saleor_api_url=DEMO_API_URL)
this_month = timezone.now().date().replace(day=1)
last_month = (this_month - datetime.timedelta(days=1)).replace(day=1)
if plan_in_force(installation.pk, last_month) is None:
    version = create_plan_version(installation, "e2e plan", DEMO_PLAN, "e2e@saleor-mlm.local")
    activate_plan_version(version, last_month, "e2e@saleor-mlm.local")
period = get_period(installation, last_month, create=True)
print(period.status, f"{last_month:%Y-%m}")
`).trim();
}
