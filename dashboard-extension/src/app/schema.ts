/**
 * What the API offers right now. The API grows domain by domain (network first, then
 * periods, plans, volumes); pages ask for the fields they need and say exactly which are
 * missing instead of showing made-up figures.
 */
import type { GraphQLClient } from "./graphql";

const CAPABILITIES = `query Capabilities {
  __schema {
    queryType { fields { name args { name } } }
    mutationType { fields { name } }
    types { name kind fields { name } inputFields { name } }
  }
}`;

interface CapabilitiesAnswer {
  __schema: {
    queryType: { fields: Array<{ name: string; args: Array<{ name: string }> }> };
    mutationType: { fields: Array<{ name: string }> } | null;
    types: Array<{ name: string; kind: string; fields: Array<{ name: string }> | null; inputFields: Array<{ name: string }> | null }>;
  };
}

export class Capabilities {
  constructor(private names: Set<string>) {}

  /** `has("Query.periods")`, `has("Partner.volumes")`, `has("Query.partner(saleorUserId)")`, `has("PayoutSettingsInput.minimumPayout")`. */
  has(name: string): boolean {
    return this.names.has(name);
  }

  missing(names: string[]): string[] {
    return names.filter((name) => !this.names.has(name));
  }

  static fromNames(names: string[]): Capabilities {
    return new Capabilities(new Set(names));
  }
}

export async function loadCapabilities(client: GraphQLClient): Promise<Capabilities> {
  const data = await client.request<CapabilitiesAnswer>(CAPABILITIES);
  const names: string[] = [];
  const schema = data.__schema;
  schema.queryType.fields.forEach((field) => {
    names.push(`Query.${field.name}`);
    field.args.forEach((arg) => names.push(`Query.${field.name}(${arg.name})`));
  });
  schema.mutationType?.fields.forEach((field) => names.push(`Mutation.${field.name}`));
  for (const type of schema.types) {
    if (type.name.startsWith("__")) continue;
    names.push(type.name);
    // An input's fields too (`PayoutSettingsInput.minimumPayout`): a mutation may gain an input field later than the mutation.
    type.fields?.forEach((field) => names.push(`${type.name}.${field.name}`));
    type.inputFields?.forEach((field) => names.push(`${type.name}.${field.name}`));
  }
  return Capabilities.fromNames(names);
}
