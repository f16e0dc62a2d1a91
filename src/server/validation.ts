/**
 * Request input checked against the contract schemas, with messages a developer can act on.
 * zod/mini says "Invalid input" for everything unless a locale is configured globally; the
 * server must not change the host's global zod config, so it words the issues itself.
 */
import type * as z from 'zod/mini';
import type { FieldError } from '../contract/index.js';
import { compiled } from './compiled-schemas.js';
import { BillingEngineError } from './errors.js';

type Issue = z.core.$ZodIssue;

function issueMessage(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `must be a ${issue.expected}`;
    case 'too_small':
      return issue.origin === 'string' && issue.minimum === 1
        ? 'must not be empty'
        : `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'datetime'
        ? 'must be an RFC 3339 UTC instant such as 2026-01-31T00:00:00Z'
        : `must be a valid ${issue.format}`;
    case 'custom':
      return issue.message;
    default:
      return 'is invalid';
  }
}

/**
 * Parses `input` with `schema`; on failure throws `validation_failed` whose field errors
 * name each bad value as `<location>.<path>`, e.g. `query.limit`.
 */
export function parseInput<S extends z.ZodMiniType>(schema: S, input: unknown, location: string): z.output<S> {
  const result = compiled(schema).safeParse(input);
  if (result.success) return result.data;
  const fieldErrors: FieldError[] = result.error.issues.map((issue) => ({
    field: [location, ...issue.path.map(String)].join('.'),
    message: issueMessage(issue),
  }));
  throw new BillingEngineError('validation_failed', {
    detail: fieldErrors.map((e) => `${e.field} ${e.message}`).join('; '),
    extras: { fieldErrors },
  });
}

/** A request body as JSON; anything else is `validation_failed` on `body`. */
export function jsonBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new BillingEngineError('validation_failed', {
      detail: 'body must be a JSON document.',
      extras: { fieldErrors: [{ field: 'body', message: 'must be a JSON document' }] },
    });
  }
}
