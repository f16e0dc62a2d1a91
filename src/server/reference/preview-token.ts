/**
 * Preview tokens: the shared policy's (src/server/policy/preview-tokens.ts), signed with a
 * secret kept in the database, so every process on it, and a restart, accept the tokens. A
 * token binds a preview to the customer, the exact change asked for, the subscription version
 * it was computed on and the instant its proration was computed at, so a commit within its
 * 10 minutes charges what was shown.
 */
import { randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { createPreviewTokens as sharedPreviewTokens, type PreviewTokens } from '../policy/preview-tokens.js';

export { changeKey, type PreviewClaims, type PreviewTokens } from '../policy/preview-tokens.js';

export const PREVIEW_TOKEN_TTL_MS = 10 * 60_000;

export function createPreviewTokens(db: Database): PreviewTokens {
  db.prepare(`INSERT INTO engine_secrets (name, value) VALUES ('preview_token', ?) ON CONFLICT (name) DO NOTHING`).run(
    randomBytes(32),
  );
  const secret = db.prepare<[], Buffer>(`SELECT value FROM engine_secrets WHERE name = 'preview_token'`).pluck().get();
  if (!secret) throw new Error('The preview token secret is missing.');
  return sharedPreviewTokens(secret);
}
