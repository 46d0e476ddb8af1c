// A Hive Gateway in front of Saleor's API and the app's, for the gateway test and the
// benchmark (docs/storefront.md shows the same for production):
//
//   node gateway.mjs SALEOR_URL APP_URL     prints "listening <port>" when ready
//
// It asks both subgraphs for `_service { sdl }`, composes them, and passes the storefront's
// credentials on to both unchanged: the Saleor token in `Authorization`, the Dashboard's
// `authorization-bearer` and `saleor-api-url`, and `Accept-Language`.
import { createServer } from "node:http";
import { createGatewayRuntime } from "@graphql-hive/gateway-runtime";
import { supergraph } from "./compose.mjs";

const [saleorUrl, appUrl] = process.argv.slice(2);

async function serviceSdl(url) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: "{ _service { sdl } }" }),
  });
  const body = await response.json();
  if (!body.data?._service?.sdl) throw new Error(`${url} answered no _service { sdl }: ${JSON.stringify(body).slice(0, 500)}`);
  return body.data._service.sdl;
}

const PASSED_ON = ["authorization", "authorization-bearer", "saleor-api-url", "accept-language"];

const gateway = createGatewayRuntime({
  supergraph: supergraph({ saleorSdl: await serviceSdl(saleorUrl), appSdl: await serviceSdl(appUrl), saleorUrl, appUrl }),
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }) => Object.fromEntries(PASSED_ON.filter((name) => request.headers.has(name)).map((name) => [name, request.headers.get(name)])),
  },
  // The subgraphs' errors (PERMISSION_DENIED with its path) reach the client as they are;
  // unexpected ones too, with their message: this gateway serves tests and benchmarks.
  maskedErrors: false,
  logging: process.env.GATEWAY_LOG_LEVEL ?? false,
});

const server = createServer(gateway);
server.listen(0, "127.0.0.1", () => console.log(`listening ${server.address().port}`));
