/**
 * How a GET's JSON travels: with a strong `ETag` of its exact bytes, so that a browser
 * revalidates what it holds (`If-None-Match` → 304, no body), and gzipped above 1 KiB when
 * the client accepts it. Both are computed once per body the engine keeps (a frozen object,
 * see handler.ts) and reused until the engine replaces it.
 *
 * The tag is a digest of the bytes, not the subscription version: the same version reads
 * differently in another language, with another credit balance, or for another customer
 * behind the same cookie-less URL. `GET /v1/subscription` puts its version in front
 * (`"<version>+<digest>"`) so that the tag still names the version a change is based on;
 * `If-Match` takes the version alone or that tag (change-operations.ts).
 */

/** JSON shorter than this is sent as it is: gzip would save less than it costs. */
export const GZIP_THRESHOLD_BYTES = 1024;

export interface Representation {
  text: string;
  /** The entity tag without quotes, e.g. `5+0f3a…` or `0f3a…`. */
  tag: string;
  /** The `ETag` header of the plain bytes and of the gzipped ones (made once: every GET sends one). */
  etag: string;
  gzipEtag: string;
  /** The gzipped bytes, made on first demand. */
  gzipped?: Promise<ArrayBuffer>;
}

/**
 * 64 bits of FNV-1a over the UTF-16 code units, as 16 hex digits: two 32-bit lanes with
 * different offsets. Not a cryptographic hash (nobody gains by forging a tag of their own
 * response); fast enough to run on a body that is not kept, about 2 µs for 2 KiB.
 */
export function digest(text: string): string {
  let a = 0x811c9dc5;
  let b = 0xcbf29ce4;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    a = Math.imul(a ^ unit, 0x01000193);
    b = Math.imul(b ^ unit, 0x01000193) ^ (a >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

/** `version` (when the body is a subscription) goes in front of the digest. */
export function representationOf(text: string, version?: string): Representation {
  const tag = version === undefined ? digest(text) : `${version}+${digest(text)}`;
  return { text, tag, etag: `"${tag}"`, gzipEtag: `"${tag}-gzip"` };
}

/** A body that is never tagged: a mutation's answer. */
export function untagged(text: string): Representation {
  return { text, tag: '', etag: '', gzipEtag: '' };
}

/** The version an `If-Match` names: `"5"`, `5` or a subscription tag `"5+<digest>"` → `5`. */
export function versionOfTag(value: string): string {
  const unquoted = /^".*"$/.test(value) ? value.slice(1, -1) : value;
  return unquoted.replace(/\+[0-9a-f]{16}$/, '');
}

/** Whether `If-None-Match` names `tag` (in either encoding), or is `*`. */
function matches(ifNoneMatch: string | null, representation: Representation): boolean {
  if (ifNoneMatch === null) return false;
  return ifNoneMatch.split(',').some((entry) => {
    const value = entry.trim().replace(/^W\//, '');
    return value === '*' || value === representation.etag || value === representation.gzipEtag;
  });
}

/** Whether `Accept-Encoding` admits gzip (`gzip;q=0` refuses it). */
function acceptsGzip(acceptEncoding: string | null): boolean {
  if (acceptEncoding === null) return false;
  return acceptEncoding.split(',').some((entry) => {
    const [coding = '', ...params] = entry.trim().toLowerCase().split(';');
    if (coding.trim() !== 'gzip' && coding.trim() !== '*') return false;
    const q = params.map((param) => /^\s*q=([\d.]+)\s*$/.exec(param)?.[1]).find((value) => value !== undefined);
    return q === undefined || Number(q) > 0;
  });
}

async function gzip(text: string): Promise<ArrayBuffer> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Response(stream).arrayBuffer();
}

const VARY = 'Accept-Language, Accept-Encoding';

/**
 * The answer to a GET: 304 when the client holds these bytes, else 200 with them, gzipped
 * when worth it and accepted. `requestId` goes in `X-Request-Id`; `extra` are the answer's
 * other headers (CORS), with their `Vary` merged into ours. Synchronous unless it has to
 * gzip, and its headers one object of a fixed shape: this is every GET's path.
 */
export function representationResponse(
  request: Request,
  representation: Representation,
  requestId: string,
  extra: Readonly<Record<string, string>>,
): Response | Promise<Response> {
  const compress = representation.text.length >= GZIP_THRESHOLD_BYTES && acceptsGzip(request.headers.get('Accept-Encoding'));
  const headers: Record<string, string> = {
    'X-Request-Id': requestId,
    // Kept by the browser but always revalidated: never a figure older than the server's.
    'Cache-Control': 'private, no-cache',
    ETag: compress ? representation.gzipEtag : representation.etag,
    Vary: VARY,
  };
  for (const name in extra) headers[name] = name === 'Vary' ? `${VARY}, ${extra[name]}` : extra[name]!;
  if (matches(request.headers.get('If-None-Match'), representation)) {
    return new Response(null, { status: 304, headers });
  }
  headers['Content-Type'] = 'application/json';
  if (!compress) return new Response(representation.text, { status: 200, headers });
  headers['Content-Encoding'] = 'gzip';
  representation.gzipped ??= gzip(representation.text);
  return representation.gzipped.then((bytes) => new Response(bytes, { status: 200, headers }));
}
