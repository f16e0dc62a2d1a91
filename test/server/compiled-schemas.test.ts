/**
 * The server checks requests and responses with the contract's schemas compiled by zod
 * (src/server/compiled-schemas.ts). Compiled or not, a schema must answer the same: the same
 * data for a valid value (unknown fields dropped), the same issues for an invalid one.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import * as z from 'zod/mini';
import { endpoints, requestSchemas } from '../../src/contract/index.js';
import { compiled } from '../../src/server/compiled-schemas.js';
import { changeCalls, harness, PREVIEW } from './helpers.js';

type Json = Record<string, unknown>;

/** Real answers of the reference engine, one per endpoint that answers JSON. */
async function sampleResponses(): Promise<[keyof typeof endpoints, unknown][]> {
  const h = harness();
  const json = async (path: string) => (await h.get(path)).json() as Promise<unknown>;
  const invoices = (await json('/v1/invoices')) as { data: { id: string }[] };
  const preview = await h.send('POST', PREVIEW, { body: { timing: 'now', change: { type: 'plan', planId: 'entreprise' } } });
  const committed = await changeCalls(h).commit({ timing: 'now', change: { type: 'module', moduleId: 'auto-reminders', action: 'activate' } });
  assert.equal(committed.status, 200, 'the module is activated');
  return [
    ['getSubscription', await json('/v1/subscription')],
    ['listPlans', await json('/v1/plans')],
    ['listModules', await json('/v1/modules')],
    ['listUsage', await json('/v1/usage')],
    ['listInvoices', invoices],
    ['getInvoice', await json(`/v1/invoices/${invoices.data[0]?.id ?? ''}`)],
    ['listPaymentMethods', await json('/v1/payment-methods')],
    ['previewChange', await preview.json()],
    ['commitChange', await committed.json()],
  ];
}

/** Ways to break a value: a float amount of money wherever there is one, a field removed, a wrong type. */
function broken(value: unknown): unknown[] {
  const text = JSON.stringify(value);
  const variants: unknown[] = [];
  if (text.includes('"amountMinor":')) variants.push(JSON.parse(text.replace(/"amountMinor":(-?\d+)/, '"amountMinor":$1.5')));
  const top = JSON.parse(text) as Json;
  const [first] = Object.keys(top);
  if (first !== undefined) {
    const { [first]: _dropped, ...rest } = top;
    variants.push(rest, { ...top, [first]: 42 === top[first] ? 'x' : 42 });
  }
  variants.push(null, [], 'text');
  return variants;
}

describe('the contract schemas as the server checks them', () => {
  it('compiles every request and response schema of the contract', () => {
    const schemas = [
      ...Object.values(endpoints).map((endpoint) => endpoint.response),
      ...Object.values(requestSchemas).flatMap((inputs) => Object.values(inputs) as z.ZodMiniType[]),
    ];
    for (const schema of schemas) {
      // strict: a schema zod cannot compile is an error here, where the server would silently run slower.
      assert.doesNotThrow(() => z.compile(schema, { strict: true }));
      assert.notEqual(compiled(schema), schema, 'a compiled copy, not the schema itself');
      assert.equal(compiled(schema), compiled(schema), 'compiled once');
    }
  });

  it('answers what the runtime parser answers, for valid and broken responses', async () => {
    const samples = await sampleResponses();
    assert.equal(samples.length, 9);
    for (const [name, value] of samples) {
      const schema = endpoints[name].response as z.ZodMiniType;
      const runtime = schema.safeParse(value);
      assert.ok(runtime.success, `${name}: the reference engine's answer holds to the contract`);
      assert.deepEqual(compiled(schema).safeParse(value), runtime, `${name}: the same data`);
      const leaky = { ...(value as Json), secret: 'sk_live_x' };
      assert.deepEqual(compiled(schema).safeParse(leaky), schema.safeParse(leaky), `${name}: unknown fields dropped alike`);
      for (const bad of broken(value)) {
        const fast = compiled(schema).safeParse(bad);
        assert.equal(fast.success, false, `${name}: ${JSON.stringify(bad).slice(0, 80)} is refused`);
        assert.deepEqual(fast.error?.issues, schema.safeParse(bad).error?.issues, `${name}: the same issues`);
      }
    }
  });

  it('answers what the runtime parser answers for requests', () => {
    const cases: [z.ZodMiniType, unknown][] = [
      [requestSchemas.previewChange.body, { timing: 'now', change: { type: 'plan', planId: 'pro', interval: 'year' } }],
      [requestSchemas.previewChange.body, { timing: 'later', change: { type: 'module', moduleId: '', action: 'on' } }],
      [requestSchemas.commitChange.body, { timing: 'now', change: { type: 'module', moduleId: 'sso', action: 'activate' }, previewToken: 't' }],
      [requestSchemas.commitChange.body, { change: { type: 'seat' } }],
      [requestSchemas.listInvoices.query, { limit: '25', status: 'paid', from: '2026-01-01T00:00:00Z' }],
      [requestSchemas.listInvoices.query, { limit: '2.5', to: 'yesterday' }],
      [requestSchemas.setupPaymentMethod.body, { returnUrl: 'https://app.example/billing', locale: 'fr-FR' }],
      [requestSchemas.setupPaymentMethod.body, { returnUrl: '', locale: 'f' }],
    ];
    for (const [schema, input] of cases) {
      assert.deepEqual(compiled(schema).safeParse(input), schema.safeParse(input), JSON.stringify(input));
    }
  });

  it('still checks everything where code generation is disallowed', () => {
    // zod compiles with `new Function`; a host may forbid it. The schema is then used as it is.
    const script = `
      import { compiled } from './src/server/compiled-schemas.ts';
      import { Money } from './src/contract/index.ts';
      const fast = compiled(Money);
      console.log(JSON.stringify({
        same: fast === Money,
        valid: fast.safeParse({ amountMinor: 100, currency: 'EUR', extra: 1 }),
        invalid: fast.safeParse({ amountMinor: 1.5, currency: 'EUR' }).success,
      }));`;
    const output = execFileSync(process.execPath, ['--disallow-code-generation-from-strings', '--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    assert.deepEqual(JSON.parse(output), {
      same: true,
      valid: { success: true, data: { amountMinor: 100, currency: 'EUR' } },
      invalid: false,
    });
  });
});
