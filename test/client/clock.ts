/**
 * Time for the retry tests: `setTimeout` and `Date` are node:test's mock timers, so a backoff
 * or a `Retry-After` is checked to the millisecond and never waited for. The network stays
 * real: requests go to the test server over HTTP while the clock stands still, and the
 * client's `fetch` is the real one, counted, so a test knows when an answer has fully
 * arrived and the client can only be waiting on the clock.
 *
 * The clock is mocked once for a whole suite (`before`/`after`), not per test: the HTTP
 * stack arms timers of its own (keep-alive) that outlive a test, and in Node 20 clearing
 * such a timer after the mock timers were reset and enabled again removes whichever timer
 * now sits at its old place in the queue (the client's backoff, say).
 */
import assert from 'node:assert/strict';
import type { MockTimers } from 'node:test';

/** The instant the mocked clock starts at. */
export const NOW = Date.parse('2026-11-26T10:00:00Z');

export interface Clock {
  /** Moves the clock by `ms`, then lets what that released run. */
  advance(ms: number): Promise<void>;
  /** Moves the clock to the next whole second (HTTP dates have no milliseconds). */
  toWholeSecond(): Promise<void>;
}

export function mockClock(timers: MockTimers): Clock {
  timers.enable({ apis: ['setTimeout', 'Date'], now: NOW });
  const clock: Clock = {
    async advance(ms) {
      timers.tick(ms);
      await flush();
    },
    toWholeSecond: () => clock.advance((1_000 - (Date.now() % 1_000)) % 1_000),
  };
  return clock;
}

/** Lets pending I/O callbacks and promise jobs run: a few turns of the event loop (setImmediate is not mocked). */
export async function flush(turns = 10): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
}

export interface CountedFetch {
  readonly fetch: typeof globalThis.fetch;
  /** Attempts the client made. */
  readonly calls: number;
  /** Attempts whose answer (or failure) has fully arrived. */
  readonly settled: number;
}

/** `inner` (the real fetch by default), counted; the body is read here so "settled" means all of it. */
export function countedFetch(inner: typeof globalThis.fetch = globalThis.fetch): CountedFetch {
  let calls = 0;
  let settled = 0;
  return {
    get calls() {
      return calls;
    },
    get settled() {
      return settled;
    },
    fetch: async (input, init) => {
      calls++;
      try {
        const response = await inner(input, init);
        const body = await response.arrayBuffer();
        return new Response(body.byteLength ? body : null, response);
      } finally {
        settled++;
      }
    },
  };
}

/**
 * Waits, on real I/O with the clock stopped, until `count` attempts have settled and the
 * client has done what follows without the clock (read the answer, decided, scheduled the
 * backoff).
 */
export async function answered(fetch: CountedFetch, count: number): Promise<void> {
  for (let turn = 0; fetch.settled < count; turn++) {
    assert.ok(turn < 200_000, `waited for ${count} answers, saw ${fetch.settled}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
  await flush();
}

/**
 * Drives a call to its end: lets I/O run while an attempt is out, and moves the clock by
 * `step` whenever the client can only be waiting on it (a backoff). Resolves with how far
 * the clock moved.
 */
export async function finish(clock: Clock, fetch: CountedFetch, pending: Promise<unknown>, step = 10_000): Promise<number> {
  let done = false;
  void pending.then(
    () => (done = true),
    () => (done = true),
  );
  let moved = 0;
  for (let turn = 0; !done; turn++) {
    assert.ok(turn < 200_000, 'the call never settled');
    if (fetch.calls > fetch.settled) {
      await new Promise((resolve) => setImmediate(resolve));
      continue;
    }
    await flush();
    if (done || fetch.calls > fetch.settled) continue;
    await clock.advance(step);
    moved += step;
  }
  return moved;
}
