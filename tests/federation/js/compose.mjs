// The app's subgraph SDL composed with Saleor's into a supergraph, by
// @theguild/federation-composition (the same library the gateway test runs).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { composeServices } from "@theguild/federation-composition";
import { parse } from "graphql";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

// Saleor's `_service { sdl }` (see ../saleor/README.md) and the app's (saleor-mlm export-schema).
export const SALEOR_SDL_PATH = here("../saleor/schema.graphql");
export const APP_SDL_PATH = here("../../../graphql/subgraph.graphql");

export const readSdl = (path) => readFileSync(path, "utf8");

/** The composition's result: {supergraphSdl} or {errors}. */
export function compose({ saleorSdl, appSdl, saleorUrl = "http://saleor.invalid/graphql/", appUrl = "http://mlm.invalid/graphql/" }) {
  return composeServices([
    { name: "saleor", typeDefs: parse(saleorSdl), url: saleorUrl },
    { name: "mlm", typeDefs: parse(appSdl), url: appUrl },
  ]);
}

/** The supergraph SDL; throws with every composition error. */
export function supergraph(options) {
  const result = compose(options);
  if (result.errors?.length) {
    throw new Error(`composition failed:\n${result.errors.map((error) => `- ${error.message}`).join("\n")}`);
  }
  return result.supergraphSdl;
}
