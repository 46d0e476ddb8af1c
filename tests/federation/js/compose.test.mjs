// The composition check: the app's subgraph SDL (graphql/subgraph.graphql) with Saleor's
// (../saleor/schema.graphql), composed without errors, each field from the right subgraph.
import assert from "node:assert/strict";
import { test } from "node:test";
import { buildSchema, parse } from "graphql";
import { APP_SDL_PATH, SALEOR_SDL_PATH, compose, readSdl, supergraph } from "./compose.mjs";

const saleorSdl = readSdl(SALEOR_SDL_PATH);
const appSdl = readSdl(APP_SDL_PATH);

/** The `@join__field(graph: ...)` of a field in the supergraph, or the type's only graph. */
function graphsOf(document, typeName, fieldName) {
  const type = document.definitions.find((definition) => definition.name?.value === typeName && definition.kind === "ObjectTypeDefinition");
  assert.ok(type, `type ${typeName} in the supergraph`);
  const field = type.fields.find((candidate) => candidate.name.value === fieldName);
  assert.ok(field, `${typeName}.${fieldName} in the supergraph`);
  const joins = field.directives.filter((directive) => directive.name.value === "join__field");
  const typeGraphs = type.directives.filter((directive) => directive.name.value === "join__type");
  const graphOf = (directive) => directive.arguments.find((argument) => argument.name.value === "graph").value.value;
  return [...new Set((joins.length ? joins : typeGraphs).map(graphOf))].sort();
}

test("the app's subgraph composes with Saleor's", () => {
  const sdl = supergraph({ saleorSdl, appSdl });
  const schema = buildSchema(sdl);
  const document = parse(sdl);

  assert.equal(schema.getType("User").getFields().mlmPartner.type.toString(), "Partner");
  assert.equal(schema.getType("User").getFields().mlmCustomer.type.toString(), "Customer");
  assert.equal(schema.getType("Order").getFields().mlmAttribution.type.toString(), "OrderAttribution");
  assert.deepEqual(graphsOf(document, "User", "mlmPartner"), ["MLM"]);
  assert.deepEqual(graphsOf(document, "Order", "mlmAttribution"), ["MLM"]);
  assert.deepEqual(graphsOf(document, "User", "email"), ["SALEOR"]);
  // The storefront's one request: Saleor's `me` and `orders`, the app's fields on them.
  assert.deepEqual(graphsOf(document, "Query", "me"), ["SALEOR"]);
  assert.equal(schema.getQueryType().getFields().me.type.toString(), "User");
  assert.deepEqual(graphsOf(document, "Query", "partners"), ["MLM"]);
  assert.deepEqual(graphsOf(document, "User", "id"), ["MLM", "SALEOR"]);
  assert.deepEqual(graphsOf(document, "Partner", "paidAsRank"), ["MLM"]);
});

test("a root field the app named like Saleor's fails the check", () => {
  // The app's own `me` (type Me) is what the subgraph SDL leaves out; with it composition fails.
  const withMe = `${appSdl}\ntype Me { partner: Partner }\nextend type Query { me: Me }\n`;
  const result = compose({ saleorSdl, appSdl: withMe });

  assert.ok(result.errors?.length > 0);
  assert.ok(result.errors.some((error) => error.message.includes("Query.me")), result.errors.map((error) => error.message).join("\n"));
});
