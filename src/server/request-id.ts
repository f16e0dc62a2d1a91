/**
 * `X-Request-Id`: a caller's id is kept so logs on both sides line up, but only if it is
 * short and plain — it is echoed into headers, bodies and logs.
 */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export function requestIdFor(request: Request): string {
  const incoming = request.headers.get('X-Request-Id');
  if (incoming !== null && SANE_REQUEST_ID.test(incoming)) return incoming;
  // Web Crypto rather than node:crypto keeps the handler runnable on Bun, Deno and workers.
  return 'req_' + crypto.randomUUID().replaceAll('-', '');
}
