/**
 * What the client needs around ky that ky does not do.
 *
 * `kyFetch(fetch)` is the `fetch` the client hands to ky. It calls the host's `fetch` (the
 * `fetch` option, or the global one) the way the client always has: with the URL as a
 * string and an init holding `method`, `headers`, the JSON body as a string, `signal` and
 * `credentials` — not with ky's `Request`, so a host's wrapper that looks at `init.method`
 * or `init.body` keeps working. It then reads the whole body before it settles: ky's
 * `timeout` covers `fetch()` only, which settles when the headers arrive, so this puts the
 * body under the same timeout and the same signal — a body that stalls half-way is a
 * timeout, and an abort while it arrives is an abort, not a call that never settles.
 *
 * It also tells the network apart from the configuration: a rejection from `fetch` (or from
 * reading the body) is a `NetworkFailure`, the only failure without a response that may be
 * retried; anything `fetch` throws synchronously (a `fetch` option that throws, or that is
 * not a function) is passed on as it is, and the client reports it as `invalid_request`.
 */

/** No response came: the network failed, or the request was aborted on its way. */
export class NetworkFailure extends Error {
  constructor(cause: unknown) {
    super('network', { cause });
  }
}

export function kyFetch(fetch: typeof globalThis.fetch): typeof globalThis.fetch {
  return async (input, init) => {
    // ky 1.x always passes the Request it built (URL, headers, body, the signal of its timeout).
    const request = input as Request;
    const body = request.body ? await request.text() : undefined;
    // Outside the try below: a fetch that throws at once is not the network.
    const pending = fetch(request.url, {
      ...init,
      method: request.method,
      headers: request.headers,
      body,
      signal: request.signal,
      credentials: request.credentials,
    });
    try {
      const response = await pending;
      const bytes = await response.arrayBuffer();
      // Empty bodies become null: a 204 or 304 cannot be built with one.
      return new Response(bytes.byteLength ? bytes : null, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    } catch (error) {
      throw new NetworkFailure(error);
    }
  };
}

/**
 * A signal of the call's own that follows the caller's through one listener, removed by
 * `release()` when the call settles. ky combines the signal it is given with its timeout's
 * through `AbortSignal.any`, and in Node 20 every such combination stays listed in its
 * sources for as long as they live (nodejs/node#55351): handed a host's long-lived signal
 * directly, each call would leave an entry behind.
 */
export function follow(signal: AbortSignal | undefined): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const abort = () => controller.abort(signal?.reason);
  if (signal?.aborted) abort();
  else signal?.addEventListener('abort', abort, { once: true });
  return { signal: controller.signal, release: () => signal?.removeEventListener('abort', abort) };
}
