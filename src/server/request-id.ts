/**
 * `X-Request-Id`: a caller's id is kept so logs on both sides line up, but only if it is
 * short and plain — it is echoed into headers, bodies and logs.
 */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * Our own ids: a random prefix per process and a counter, `req_` + 32 hex digits. Unique
 * across processes sharing a database (the prefix has 80 random bits) at the cost of one
 * increment a request: a UUID a request was the handler's largest single cost on a GET.
 * Web Crypto rather than node:crypto keeps the handler runnable on Bun, Deno and workers.
 */
const prefix = Array.from(crypto.getRandomValues(new Uint8Array(10)), (byte) => byte.toString(16).padStart(2, '0')).join('');
let counter = 0;

export function newRequestId(): string {
  counter = (counter + 1) % 0x1_0000_0000_0000;
  return `req_${prefix}${counter.toString(16).padStart(12, '0')}`;
}

export function requestIdFor(request: Request): string {
  const incoming = request.headers.get('X-Request-Id');
  if (incoming !== null && SANE_REQUEST_ID.test(incoming)) return incoming;
  return newRequestId();
}
