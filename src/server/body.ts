/**
 * Request bodies, read with a limit while they stream: a declared `Content-Length` above the
 * limit is refused before a byte is read, and a body that streams past it (chunked, or lying
 * about its length) is refused at the chunk that crosses it — never read whole first. What is
 * left unread is the host's to drain or drop (`@hono/node-server` drains a little, then closes).
 *
 * 64 KiB is far above any body of the contract (the largest, a change request, is under
 * 1 KiB); 8 KiB is far above the hosted pages' card form.
 */
import type { FieldError } from '../contract/index.js';

/** The most a JSON body of the contract may hold, in bytes. */
export const JSON_BODY_LIMIT = 64 * 1024;
/** The most a hosted page's form may hold, in bytes. */
export const FORM_BODY_LIMIT = 8 * 1024;

/**
 * Why a body was not read: too large (answered 413), or the stream failed under us — the
 * client went away mid-upload (nobody is left to answer; logged as one line).
 */
export class RequestBodyError extends Error {
  readonly reason: 'too_large' | 'unreadable';
  readonly limit: number;

  constructor(reason: 'too_large' | 'unreadable', limit: number, options: { cause?: unknown } = {}) {
    super(reason === 'too_large' ? `The request body is larger than ${limit} bytes.` : 'The request body could not be read.', options);
    this.name = 'RequestBodyError';
    this.reason = reason;
    this.limit = limit;
  }

  /** The field error of a 413: the body, and its limit. */
  get fieldErrors(): FieldError[] {
    return [{ field: 'body', message: `must be at most ${this.limit} bytes` }];
  }
}

/** Bodies the server in front of the handler already read whole (node-server.ts). */
const handedOver = new WeakMap<Request, Uint8Array>();

/**
 * Gives `request` its body as bytes already read, so that `readBody` takes them instead of
 * the request's stream: on Node, turning a request into a web stream costs a small POST
 * more than the handler's own work.
 */
export function handOverBody(request: Request, bytes: Uint8Array): void {
  handedOver.set(request, bytes);
}

/** The body as text (UTF-8, `''` when there is none), or a `RequestBodyError`. */
export async function readBody(request: Request, limit: number): Promise<string> {
  const read = handedOver.get(request);
  if (read !== undefined) {
    if (read.byteLength > limit) throw new RequestBodyError('too_large', limit);
    return new TextDecoder().decode(read);
  }
  const declared = request.headers.get('Content-Length');
  if (declared !== null && /^\s*\d+\s*$/.test(declared) && Number(declared) > limit) {
    throw new RequestBodyError('too_large', limit);
  }
  if (request.body === null) return '';
  let reader: ReadableStreamDefaultReader<Uint8Array>;
  try {
    reader = request.body.getReader();
  } catch (error) {
    throw new RequestBodyError('unreadable', limit, { cause: error });
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let read: ReadableStreamReadResult<Uint8Array>;
    try {
      read = await reader.read();
    } catch (error) {
      throw new RequestBodyError('unreadable', limit, { cause: error });
    }
    if (read.done) break;
    size += read.value.byteLength;
    if (size > limit) {
      // Stop pulling: nothing past the limit is read into memory.
      reader.cancel().catch(() => {});
      throw new RequestBodyError('too_large', limit);
    }
    chunks.push(read.value);
  }
  if (chunks.length === 1) return new TextDecoder().decode(chunks[0]);
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}
