/**
 * The glue between the browser test server's Koa middleware and a Fetch-API handler: the
 * request Koa received as a `Request` (body read whole: test bodies are small), and a
 * `Response` written back through Koa.
 */
import type { Context } from 'koa';

export async function readBody(stream: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** The request `ctx` received, as a `Request` for `url` (default: the URL it came to). */
export async function fetchRequestOf(ctx: Context, url: URL = new URL(ctx.href)): Promise<Request> {
  const body = ['GET', 'HEAD'].includes(ctx.method) ? undefined : await readBody(ctx.req);
  return new Request(url, { method: ctx.method, headers: ctx.req.headers as Record<string, string>, body });
}

/** Answers `ctx` with `response`: status, headers and body. */
export async function respondWith(ctx: Context, response: Response): Promise<void> {
  ctx.status = response.status;
  response.headers.forEach((value, name) => ctx.set(name, value));
  ctx.body = Buffer.from(await response.arrayBuffer());
}
