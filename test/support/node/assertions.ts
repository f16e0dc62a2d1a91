/** Small helpers for Node tests of the client and the store. */
import assert from 'node:assert/strict';
import { BillingError } from '../../../src/client/index.js';

/** The `BillingError` a call rejects with; fails if it resolves or rejects with anything else. */
export async function billingFailure(promise: Promise<unknown>): Promise<BillingError> {
  let value: unknown;
  try {
    value = await promise;
  } catch (error) {
    assert.ok(error instanceof BillingError, `expected a BillingError, got ${String(error)}`);
    return error;
  }
  assert.fail(`expected a BillingError, the call resolved with ${JSON.stringify(value)?.slice(0, 200)}`);
}

/** Waits for the outcome of a call whatever it is (for tests that only look at what was sent). */
export async function settled(promise: Promise<unknown>): Promise<void> {
  await promise.then(
    () => undefined,
    () => undefined,
  );
}

/** Resolves when `predicate` holds, polling every few ms; fails with `message` after `timeout` ms. */
export async function waitFor(predicate: () => unknown, message: string, timeout = 2_000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeout) assert.fail(`timed out waiting: ${message}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
