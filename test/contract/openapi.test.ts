/**
 * The published OpenAPI 3.1 document: complete, never stale, and — the point of it — true:
 * what the real reference handler answers over HTTP validates against it (Ajv, JSON Schema
 * 2020-12, the dialect the document declares).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { endpoints, errorStatus, type Endpoint } from '../../src/contract/index.js';
import { buildOpenApiDocument } from '../../src/contract/openapi.js';
import { startBillingServer, type BillingTestServer } from '../support/node/billing-server.js';

type Json = Record<string, unknown>;
interface Operation {
  operationId: string;
  parameters?: { name: string; in: string; required: boolean }[];
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, { schema: { $ref: string } }>; headers?: Json }>;
}
interface Document {
  openapi: string;
  jsonSchemaDialect: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Json> };
}

const doc = buildOpenApiDocument() as unknown as Document;
const entries = Object.entries(endpoints) as [string, Endpoint][];
const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');
const operationOf = (name: string): Operation => {
  const endpoint = (endpoints as Record<string, Endpoint>)[name];
  assert.ok(endpoint, `no endpoint ${name}`);
  const operation = doc.paths[openApiPath(endpoint.path)]?.[endpoint.method.toLowerCase()];
  assert.ok(operation, `the document has no ${endpoint.method} ${endpoint.path}`);
  return operation;
};
/** `#/components/schemas/X` of the 200 response of an operation. */
const okSchemaRef = (name: string): string => {
  const ref = operationOf(name).responses['200']?.content?.['application/json']?.schema.$ref;
  assert.ok(ref, `${name}: no application/json schema for 200`);
  return ref;
};

/** Ajv over the document's components; `$ref`s inside them resolve within the document. */
function validatorFor(document: Document) {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  // The schemas sit under `components`, an OpenAPI keyword, not a JSON Schema one.
  ajv.addKeyword('components');
  ajv.addSchema({ $id: 'openapi', components: document.components });
  return (ref: string) => {
    assert.match(ref, /^#\/components\/schemas\/\w+$/);
    return ajv.compile({ $ref: `openapi${ref}` });
  };
}

function assertValid(validate: ReturnType<ReturnType<typeof validatorFor>>, body: unknown, what: string): void {
  const ok = validate(body);
  assert.ok(ok, `${what} does not match the OpenAPI document:\n${JSON.stringify(validate.errors, null, 2)}`);
}

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 in the JSON Schema 2020-12 dialect', () => {
    assert.equal(doc.openapi, '3.1.0');
    assert.equal(doc.jsonSchemaDialect, 'https://json-schema.org/draft/2020-12/schema');
    assert.ok(doc.info.title.length > 0 && doc.info.version.length > 0);
  });

  it('has every operation of the endpoints table, and nothing else', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => `${method.toUpperCase()} ${path} ${operation.operationId}`),
    );
    const expected = entries.map(([name, e]) => `${e.method} ${openApiPath(e.path)} ${name}`);
    assert.deepEqual(documented.sort(), expected.sort());
  });

  for (const [name, endpoint] of entries) {
    it(`${name}: documents its parameters, headers and responses`, () => {
      const operation = operationOf(name);
      const parameters = operation.parameters ?? [];
      const named = (where: string) => parameters.filter((p) => p.in === where).map((p) => p.name).sort();
      assert.deepEqual(named('path'), [...endpoint.path.matchAll(/:(\w+)/g)].map(([, p]) => p).sort());
      const headers = named('header');
      assert.equal(headers.includes('Idempotency-Key'), Boolean(endpoint.idempotent), `${name}: Idempotency-Key`);
      assert.equal(headers.includes('If-Match'), Boolean(endpoint.versioned), `${name}: If-Match`);
      assert.ok(parameters.every((p) => p.in !== 'header' || p.required), `${name}: headers are required`);

      const component = okSchemaRef(name).split('/').pop() ?? '';
      assert.ok(doc.components.schemas[component], `${name}: the 200 schema ${component} is not a component`);
      for (const status of ['4XX', '5XX']) {
        assert.equal(
          operation.responses[status]?.content?.['application/problem+json']?.schema.$ref,
          '#/components/schemas/Problem',
          `${name}: ${status} is not a Problem`,
        );
      }
      assert.ok(operation.responses['200']?.headers?.['X-Request-Id'], `${name}: X-Request-Id is not documented`);
      if (name === 'getSubscription') assert.ok(operation.responses['200']?.headers?.['ETag'], 'ETag is not documented');
    });
  }

  it('documents a request body for each operation that takes one', () => {
    const withBody = entries.filter(([name]) => operationOf(name).requestBody !== undefined).map(([name]) => name);
    assert.deepEqual(withBody.sort(), ['commitChange', 'previewChange', 'setupPaymentMethod']);
  });

  it('documents the invoice list query', () => {
    const query = (operationOf('listInvoices').parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
    assert.deepEqual(query.sort(), ['cursor', 'from', 'limit', 'status', 'to']);
  });

  it('has no dangling $ref', () => {
    const refs: string[] = [];
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object') {
        for (const [key, child] of Object.entries(value)) {
          if (key === '$ref' && typeof child === 'string') refs.push(child);
          else walk(child);
        }
      }
    };
    walk(doc);
    assert.ok(refs.length > 20, `only ${refs.length} $refs: the walk missed the document`);
    const dangling = refs.filter((ref) => !doc.components.schemas[ref.replace('#/components/schemas/', '')]);
    assert.deepEqual([...new Set(dangling)], []);
  });

  it('compiles in Ajv strict mode, every component', () => {
    const compile = validatorFor(doc);
    for (const name of Object.keys(doc.components.schemas)) {
      assert.doesNotThrow(() => compile(`#/components/schemas/${name}`), `component ${name}`);
    }
  });

  it('is what docs/openapi.json holds (run `npm run openapi` after changing the contract)', () => {
    const published: unknown = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8'));
    assert.deepEqual(
      published,
      JSON.parse(JSON.stringify(doc)),
      'docs/openapi.json is stale: run `npm run openapi` and commit the result',
    );
  });
});

describe('the reference handler, checked against the OpenAPI document over HTTP', () => {
  let server: BillingTestServer;
  const compile = validatorFor(doc);
  before(async () => {
    server = await startBillingServer();
  });
  after(() => server.close());

  async function getJson(url: string): Promise<{ response: Response; body: unknown }> {
    const response = await fetch(url);
    return { response, body: await response.json() };
  }

  async function firstInvoiceId(customer: string): Promise<string> {
    const { body } = await getJson(`${server.url(customer)}/v1/invoices?limit=1`);
    const id = (body as { data: { id: string }[] }).data[0]?.id;
    assert.ok(id, `${customer} has no invoice`);
    return id;
  }

  for (const customer of ['demo', 'readonly']) {
    it(`answers every read of the ${customer} customer as the document says`, async () => {
      const invoiceId = await firstInvoiceId(customer);
      const reads: [string, string][] = [
        ['getSubscription', '/v1/subscription'],
        ['listPlans', '/v1/plans'],
        ['listModules', '/v1/modules'],
        ['listUsage', '/v1/usage'],
        ['listInvoices', '/v1/invoices'],
        ['listInvoices', '/v1/invoices?limit=2&status=paid'],
        ['getInvoice', `/v1/invoices/${invoiceId}`],
        ['listPaymentMethods', '/v1/payment-methods'],
      ];
      for (const [operation, path] of reads) {
        const { response, body } = await getJson(server.url(customer) + path);
        assert.equal(response.status, 200, `${path}: ${JSON.stringify(body)}`);
        assert.match(response.headers.get('content-type') ?? '', /^application\/json\b/, path);
        assert.ok(response.headers.get('x-request-id'), `${path}: no X-Request-Id`);
        assertValid(compile(okSchemaRef(operation)), body, `${customer} ${path}`);
      }
    });
  }

  it('answers the second page of invoices as the document says', async () => {
    const first = await getJson(`${server.url()}/v1/invoices?limit=5`);
    const cursor = (first.body as { nextCursor: string | null }).nextCursor;
    assert.ok(cursor, 'the demo customer has more than 5 invoices');
    const second = await getJson(`${server.url()}/v1/invoices?limit=5&cursor=${encodeURIComponent(cursor)}`);
    assert.equal(second.response.status, 200);
    assertValid(compile(okSchemaRef('listInvoices')), second.body, 'the second page');
  });

  it('sends the invoice lines on one invoice, as the document has them', async () => {
    const { body } = await getJson(`${server.url()}/v1/invoices/${await firstInvoiceId('demo')}`);
    const lines = (body as { lines?: unknown[] }).lines;
    assert.ok(Array.isArray(lines) && lines.length > 0, 'getInvoice sent no lines');
  });

  it('is checked by a validator that does reject what breaks the document', async () => {
    const { body } = await getJson(`${server.url()}/v1/usage`);
    const usage = body as { data: Json[] };
    const validate = compile(okSchemaRef('listUsage'));
    assertValid(validate, usage, 'the usage as sent');
    const broken = (edit: (metric: Json) => Json) => ({ data: usage.data.map((m, i) => (i === 0 ? edit(m) : m)) });
    assert.equal(validate(broken((m) => ({ ...m, used: 'lots' }))), false, 'a string where a number goes');
    assert.equal(validate(broken((m) => ({ ...m, asOf: 'yesterday' }))), false, 'a date that is not RFC 3339 (via $ref)');
    assert.equal(validate(broken((m) => ({ ...m, resetsAt: 'soon' }))), false, 'a nullable date that is neither');
    assert.equal(validate(broken(({ unit: _unit, ...m }) => m)), false, 'a required member missing');
    // Like the client, the document tolerates members a newer server adds.
    assert.equal(validate(broken((m) => ({ ...m, addedLater: true }))), true, 'an unknown member');

    const invoice = (await getJson(`${server.url()}/v1/invoices/${await firstInvoiceId('demo')}`)).body as Json;
    const validateInvoice = compile(okSchemaRef('getInvoice'));
    assertValid(validateInvoice, invoice, 'the invoice as sent');
    const total = invoice.total as Json;
    assert.equal(validateInvoice({ ...invoice, total: { ...total, amountMinor: 70.5 } }), false, 'money that is not minor units');
    assert.equal(validateInvoice({ ...invoice, status: 'lost' }), false, 'a status out of the enum');
  });

  const problems: [string, string, number, string][] = [
    ['a limit of 0', '/v1/invoices?limit=0', 400, 'validation_failed'],
    ['a limit that is not a number', '/v1/invoices?limit=abc', 400, 'validation_failed'],
    ['a limit over the maximum', '/v1/invoices?limit=500', 400, 'validation_failed'],
    ['an unknown status', '/v1/invoices?status=lost', 400, 'validation_failed'],
    ['a date that is not an instant', '/v1/invoices?from=yesterday', 400, 'validation_failed'],
    ['an unknown path', '/v1/nothing-here', 404, 'not_found'],
    ['an unknown invoice', '/v1/invoices/inv_does_not_exist', 404, 'not_found'],
  ];
  for (const [what, path, status, code] of problems) {
    it(`answers ${what} with a ${status} ${code} Problem`, async () => {
      await checkProblem(server.url('demo') + path, status, code);
    });
  }

  it('answers nobody with a 401 unauthenticated Problem', async () => {
    await checkProblem(`${server.url('stranger')}/v1/subscription`, 401, 'unauthenticated');
  });

  it('answers a customer without a subscription with a 404 no_subscription Problem', async () => {
    await checkProblem(`${server.url('nosub')}/v1/subscription`, 404, 'no_subscription');
  });

  it('names the bad query parameter in fieldErrors', async () => {
    const body = (await checkProblem(`${server.url()}/v1/invoices?limit=0`, 400, 'validation_failed')) as Json;
    const fieldErrors = body.fieldErrors as { field: string; message: string }[];
    assert.deepEqual(fieldErrors.map((e) => e.field), ['query.limit']);
    assert.ok(fieldErrors[0]?.message, 'the field error has no message');
  });

  async function checkProblem(url: string, status: number, code: string): Promise<unknown> {
    const response = await fetch(url);
    const body = (await response.json()) as Json;
    assert.equal(response.status, status, JSON.stringify(body));
    assert.equal(response.headers.get('content-type'), 'application/problem+json');
    assertValid(compile('#/components/schemas/Problem'), body, `the problem for ${url}`);
    assert.equal(body.code, code);
    assert.equal(body.status, status);
    assert.equal(errorStatus[code as keyof typeof errorStatus], status, `${code} is not a ${status} in the contract`);
    assert.equal(body.requestId, response.headers.get('x-request-id'), 'the body and the header name different requests');
    return body;
  }
});
