/**
 * Builds the OpenAPI 3.1 document of the contract from the zod schemas and the endpoints
 * table — never written by hand. Used by `npm run openapi` and by the tests that check the
 * server's responses against the published document. Not imported by browser code.
 */
import * as z from 'zod/mini';
import * as endpointsModule from './endpoints.js';
import { endpoints, type Endpoint, type EndpointName } from './endpoints.js';
import * as errors from './errors.js';
import * as requests from './requests.js';
import { requestSchemas } from './requests.js';
import * as resources from './resources.js';

type JsonSchema = Record<string, unknown>;

const isSchema = (value: unknown): value is z.ZodMiniType =>
  typeof value === 'object' && value !== null && '_zod' in value;

/** Every exported schema becomes a named component. */
function namedSchemas(): Map<z.ZodMiniType, string> {
  const names = new Map<z.ZodMiniType, string>();
  for (const module of [resources, requests, errors, endpointsModule]) {
    for (const [name, value] of Object.entries(module)) {
      if (isSchema(value) && !names.has(value)) names.set(value, name);
    }
  }
  return names;
}

const summaries: Record<EndpointName, string> = {
  getSubscription: 'The current subscription',
  listPlans: 'Plans, with each change relative to the current plan',
  listModules: 'Modules with their state and availability',
  listUsage: 'Usage of every metered resource',
  previewChange: 'What a change would cost (no side effect)',
  commitChange: 'Apply or schedule a change',
  cancelScheduledChange: 'Cancel a scheduled change',
  listInvoices: 'Invoices, newest first, cursor-paginated',
  getInvoice: 'One invoice with its lines',
  getInvoicePdf: 'A short-lived signed URL to the invoice PDF',
  listPaymentMethods: 'Payment methods',
  setupPaymentMethod: 'Start adding a payment method',
  removePaymentMethod: 'Remove a payment method that is not the default',
  setDefaultPaymentMethod: 'Make a payment method the default',
};

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

const requestIdHeader = {
  'X-Request-Id': { description: 'Identifies the request in logs and support requests.', schema: { type: 'string' } },
};

/**
 * The components the operations reach, directly or through other components, in their
 * order: a schema exported for the code only (a query, expanded into parameters) is left out.
 */
function reachableSchemas(paths: unknown, schemas: Record<string, JsonSchema>): Record<string, JsonSchema> {
  const prefix = '#/components/schemas/';
  const reached = new Set<string>();
  const pending: unknown[] = [paths];
  while (pending.length > 0) {
    const value = pending.pop();
    if (Array.isArray(value)) pending.push(...(value as unknown[]));
    else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (key === '$ref' && typeof child === 'string' && child.startsWith(prefix)) {
          const name = child.slice(prefix.length);
          if (!reached.has(name)) {
            reached.add(name);
            pending.push(schemas[name]);
          }
        } else {
          pending.push(child);
        }
      }
    }
  }
  return Object.fromEntries(Object.entries(schemas).filter(([name]) => reached.has(name)));
}

/**
 * How a request is authenticated is the host's business: the handler's `resolveCustomer`
 * reads whatever the host uses. The two usual ways are declared; a host documents its own.
 */
const securitySchemes = {
  hostSession: {
    type: 'apiKey',
    in: 'cookie',
    name: 'session',
    description:
      "The host application's own session cookie (whatever its name): the server resolves the customer from it. The browser never sends a customer id.",
  },
  hostBearer: {
    type: 'http',
    scheme: 'bearer',
    description:
      "A token of the host application's own, sent by a client made with `createBillingClient({ headers })`: the server resolves the customer from it.",
  },
};

export function buildOpenApiDocument(): JsonSchema {
  const names = namedSchemas();
  const registry = z.registry<{ id: string }>();
  for (const [schema, id] of names) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    // Input side: objects accept unknown properties, as clients must (newer servers add fields).
    io: 'input',
    uri: (id) => `#/components/schemas/${id}`,
    unrepresentable: 'any',
  }) as { schemas: Record<string, JsonSchema> };
  for (const schema of Object.values(schemas)) {
    delete schema.$schema;
    delete schema.$id;
  }
  // Instants are checked with a pattern (see resources.ts); say what they are.
  if (schemas.Instant) schemas.Instant.format = 'date-time';
  // Checked with a refine (smaller in the browser than z.int()); the contract says integer.
  const money = schemas.Money as { properties: Record<string, JsonSchema> } | undefined;
  if (money) money.properties.amountMinor = { type: 'integer' };

  const ref = (schema: z.ZodMiniType) => ({ $ref: `#/components/schemas/${names.get(schema)}` });
  const paths: Record<string, Record<string, unknown>> = {};

  for (const [operationId, endpoint] of Object.entries(endpoints) as [EndpointName, Endpoint][]) {
    const { query, body } = (requestSchemas as Partial<Record<EndpointName, { query?: z.ZodMiniType; body?: z.ZodMiniType }>>)[
      operationId
    ] ?? {};
    const path = endpoint.path.replace(/:(\w+)/g, '{$1}');
    const parameters: unknown[] = [...endpoint.path.matchAll(/:(\w+)/g)].map(([, name]) => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    if (query) {
      const querySchema = z.toJSONSchema(query, { io: 'input', unrepresentable: 'any' }) as {
        properties: Record<string, JsonSchema>;
        required?: string[];
      };
      for (const [name, schema] of Object.entries(querySchema.properties)) {
        parameters.push({ name, in: 'query', required: querySchema.required?.includes(name) ?? false, schema });
      }
    }
    if (endpoint.idempotent) {
      parameters.push({
        name: 'Idempotency-Key',
        in: 'header',
        required: true,
        description: 'One key per user action; a retry with the same key and body replays the stored response for 24 h.',
        schema: { type: 'string', minLength: 1 },
      });
    }
    if (endpoint.versioned) {
      parameters.push({
        name: 'If-Match',
        in: 'header',
        required: true,
        description: 'The subscription version (ETag) the change was decided on, quoted or bare.',
        schema: { type: 'string' },
      });
    }
    const responseHeaders =
      operationId === 'getSubscription'
        ? { ...requestIdHeader, ETag: { description: 'The subscription version, quoted.', schema: { type: 'string' } } }
        : requestIdHeader;
    paths[path] ??= {};
    paths[path][endpoint.method.toLowerCase()] = {
      operationId,
      summary: summaries[operationId],
      ...(parameters.length ? { parameters } : {}),
      ...(body
        ? { requestBody: { required: true, content: { 'application/json': { schema: ref(body) } } } }
        : {}),
      responses: {
        '200': { description: 'OK', headers: responseHeaders, content: { 'application/json': { schema: ref(endpoint.response) } } },
        '4XX': problemResponse('A problem with the request: see `code`.'),
        '5XX': problemResponse('A problem on the server side: see `code` and `retryable`.'),
      },
    };
  }

  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'billing-elements endpoint',
      version: '1.0.0',
      license: { name: 'MIT', identifier: 'MIT' },
      description:
        'The billing endpoint the billing-elements custom elements talk to. Money is integer minor units, instants are RFC 3339 UTC, errors are RFC 9457 problem documents with a stable `code`, the customer is resolved by the server from the request.',
    },
    servers: [
      {
        url: '/api/billing',
        description:
          "Relative to the host application's origin, wherever it mounts the endpoint: /api/billing is the reference server's default (`--base-path`) and the demo's.",
      },
    ],
    security: [{ hostSession: [] }, { hostBearer: [] }],
    paths,
    components: { schemas: reachableSchemas(paths, schemas), securitySchemes },
  };
}
