// A stand-in for Saleor's API as a federation subgraph, for the gateway test: it serves
// Saleor's subgraph SDL (../saleor/schema.graphql, as `_service { sdl }`) and resolves the
// few fields a storefront's one request needs, from the data the test hands it:
//
//   node saleor-standin.mjs DATA.json     prints "listening <port>" when ready
//
// DATA.json: {"jwks": {...}, "users": [{"id", "email", "orders": [{"id", "number"}]}]},
// read on every request.
//
// Like Saleor, it answers `me` for the user of a valid access token (RS256, verified with
// the JWKS, `exp` checked) and null without a token, and resolves `User` and `Order`
// entities by id. Unlike Saleor, `user(id:)` and `order(id:)` answer anyone: Saleor asks
// for staff permissions there; here they let the test put another user's entity in front
// of the app through the gateway, to show that the app itself refuses what the viewer may
// not see.
import { createPublicKey, verify } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { GraphQLError, buildASTSchema, graphql, parse } from "graphql";
import { SALEOR_SDL_PATH, readSdl } from "./compose.mjs";

const sdl = readSdl(SALEOR_SDL_PATH);

// The SDL without Saleor's root fields `_entities` and `_service` (as Saleor prints it);
// the running subgraph has them, and `@key` is the gateway's directive.
const schema = buildASTSchema(
  parse(`${sdl}
directive @key(fields: String!) repeatable on OBJECT | INTERFACE
extend type Query {
  _entities(representations: [_Any!]!): [_Entity]!
  _service: _Service
}
`),
  { assumeValidSDL: true },
);

// The data is read again for every request: a test writes the users of its own database.
function load() {
  const data = JSON.parse(readFileSync(process.argv[2], "utf8"));
  const users = new Map();
  const orders = new Map();
  for (const user of data.users) {
    const userOrders = user.orders.map((order) => ({ __typename: "Order", id: order.id, number: order.number }));
    users.set(user.id, {
      __typename: "User",
      id: user.id,
      email: user.email,
      orders: ({ first }) => connection(userOrders.slice(0, first ?? 100), userOrders.length),
    });
    for (const order of userOrders) orders.set(order.id, order);
  }
  return { jwks: data.jwks, users, orders };
}

function connection(nodes, totalCount) {
  return {
    edges: nodes.map((node) => ({ node, cursor: node.id })),
    pageInfo: { hasNextPage: nodes.length < totalCount, hasPreviousPage: false, startCursor: nodes[0]?.id ?? null, endCursor: nodes.at(-1)?.id ?? null },
    totalCount,
  };
}

const fromBase64Url = (text) => Buffer.from(text, "base64url");

/** The claims of a valid access token, as Saleor checks it; a GraphQLError otherwise. */
function claimsOf(authorization, jwks) {
  const token = /^Bearer\s+(.+)$/i.exec(authorization ?? "")?.[1];
  if (!token) return null;
  const [header, payload, signature] = token.split(".");
  const { kid } = JSON.parse(fromBase64Url(header));
  const jwk = jwks.keys.find((key) => key.kid === kid);
  const valid = jwk && verify("RSA-SHA256", Buffer.from(`${header}.${payload}`), createPublicKey({ key: jwk, format: "jwk" }), fromBase64Url(signature));
  const claims = valid ? JSON.parse(fromBase64Url(payload)) : null;
  if (!claims || claims.exp * 1000 < Date.now()) {
    throw new GraphQLError("Invalid token", { extensions: { exception: { code: "InvalidTokenError" } } });
  }
  return claims;
}

const rootValue = {
  me: (_args, { data, authorization }) => {
    const claims = claimsOf(authorization, data.jwks);
    return claims ? data.users.get(claims.user_id) ?? null : null;
  },
  user: ({ id }, { data }) => data.users.get(id) ?? null,
  order: ({ id }, { data }) => data.orders.get(id) ?? null,
  _service: () => ({ sdl }),
  _entities: ({ representations }, { data }) =>
    representations.map(({ __typename, id }) => (__typename === "User" ? data.users : __typename === "Order" ? data.orders : new Map()).get(id) ?? null),
};

const server = createServer(async (request, response) => {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  const { query, variables, operationName } = JSON.parse(Buffer.concat(chunks).toString() || "{}");
  const result = await graphql({ schema, source: query, rootValue, variableValues: variables, operationName, contextValue: { data: load(), authorization: request.headers.authorization } });
  response.writeHead(200, { "content-type": "application/json" });
  response.end(JSON.stringify(result));
});
server.listen(0, "127.0.0.1", () => console.log(`listening ${server.address().port}`));
