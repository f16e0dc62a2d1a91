/**
 * The handler's public origin: where browsers reach it, for the links it makes (PDF links, the
 * hosted pages, pay links) and its same-origin checks (a setup `returnUrl`, the hosted pages'
 * `Origin` check, their CSP `form-action`).
 *
 * It comes from configuration (`publicOrigin`), never from the request: the request's URL is
 * built from its `Host` header, which whoever sends the request chooses. Without
 * `publicOrigin`, the request's own origin is taken only when its host is a loopback name or
 * address (`localhost`, `127.0.0.0/8`, `[::1]`) — local development, tests, a demo: a link
 * there can only lead back to the reader's own machine. For any other host, what needs the
 * origin fails with `PublicOriginMissing` (answered 500 `internal`, with a log that says what
 * to configure), rather than make links that point wherever the `Host` header said.
 */

/** Whether a URL's `hostname` is a loopback name or address. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** `https://app.example.com/` → `https://app.example.com`; anything that is not an origin throws. */
export function normaliseOrigin(origin: string): string {
  const url = new URL(origin);
  if (url.origin === 'null' || url.href.replace(/\/$/, '') !== url.origin) {
    throw new RangeError(`"${origin}" is not an origin (scheme, host and port only).`);
  }
  return url.origin;
}

/** A request reached the handler on a host that is not loopback, and `publicOrigin` is not set. */
export class PublicOriginMissing extends Error {
  readonly host: string;

  constructor(host: string) {
    super(
      `billing-elements: publicOrigin is not set and the request's host (${host}) is not a loopback host; ` +
        'set createBillingHandler({ publicOrigin }) to the origin browsers reach the handler at, e.g. "https://app.example.com".',
    );
    this.name = 'PublicOriginMissing';
    this.host = host;
  }
}

/** The origin of the handler for `request`: `publicOrigin`, or the request's own on a loopback host. */
export function originResolver(publicOrigin: string | undefined): (request: Request) => string {
  if (publicOrigin !== undefined) {
    const origin = normaliseOrigin(publicOrigin);
    return () => origin;
  }
  return (request) => {
    const url = new URL(request.url);
    if (isLoopbackHost(url.hostname)) return url.origin;
    throw new PublicOriginMissing(url.host);
  };
}
