/**
 * The contract's schemas as the server checks them: compiled by zod (`compile`) into one
 * generated parser each, which answers a valid value without walking the schema. An invalid
 * value falls back to the runtime parser, so the issues and their wording are the same.
 *
 * Server only: compiling generates code with `new Function`, which the elements must not
 * need (a strict CSP forbids it, and the generator would weigh on every page). A process
 * where code generation is disallowed gets the schema back as it was (zod's fallback), and
 * still checks everything, only slower. Compiled on first use, so a server starts as fast.
 */
import * as z from 'zod/mini';

const compiledSchemas = new WeakMap<z.ZodMiniType, z.ZodMiniType>();

export function compiled<S extends z.ZodMiniType>(schema: S): S {
  let fast = compiledSchemas.get(schema) as S | undefined;
  if (fast === undefined) {
    fast = z.compile(schema);
    compiledSchemas.set(schema, fast);
  }
  return fast;
}
