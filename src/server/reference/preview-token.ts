/**
 * Preview tokens: `<claims>.<signature>`, both base64url; the claims are JSON, the signature
 * an HMAC-SHA256 with a secret kept in the database (so every process on it, and a restart,
 * accept the tokens). Opaque to clients. A token binds a preview to the customer, the exact
 * change asked for, the subscription version it was computed on and the instant its
 * proration was computed at, so a commit within its 10 minutes charges what was shown.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { ChangeRequest } from '../../contract/index.js';
import { canonicalJson } from '../canonical-json.js';

export const PREVIEW_TOKEN_TTL_MS = 10 * 60_000;

export interface PreviewClaims {
  customer: string;
  /** SHA-256 of the canonical change request. */
  request: string;
  version: string;
  /** When the preview was computed: the instant its proration is for. */
  at: number;
  expiresAt: number;
}

export interface PreviewTokens {
  sign(claims: PreviewClaims): string;
  /** The claims of a token this engine signed, or `null`. */
  verify(token: string): PreviewClaims | null;
}

/** What a token's `request` claim is for `request` (a commit's `previewToken` left out). */
export function requestDigest({ timing, change }: ChangeRequest): string {
  return createHash('sha256').update(canonicalJson({ timing, change })).digest('base64url');
}

function isClaims(value: unknown): value is PreviewClaims {
  const v = value as Partial<PreviewClaims> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.customer === 'string' &&
    typeof v.request === 'string' &&
    typeof v.version === 'string' &&
    Number.isSafeInteger(v.at) &&
    Number.isSafeInteger(v.expiresAt)
  );
}

export function createPreviewTokens(db: Database): PreviewTokens {
  db.prepare(`INSERT INTO engine_secrets (name, value) VALUES ('preview_token', ?) ON CONFLICT (name) DO NOTHING`).run(
    randomBytes(32),
  );
  const secret = db.prepare<[], Buffer>(`SELECT value FROM engine_secrets WHERE name = 'preview_token'`).pluck().get();
  if (!secret) throw new Error('The preview token secret is missing.');
  const signature = (payload: string) => createHmac('sha256', secret).update(payload).digest();

  return {
    sign(claims) {
      const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
      return `${payload}.${signature(payload).toString('base64url')}`;
    },
    verify(token) {
      const [payload, signed, ...rest] = token.split('.');
      if (payload === undefined || signed === undefined || rest.length > 0) return null;
      const expected = signature(payload);
      const given = Buffer.from(signed, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      try {
        const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString());
        return isClaims(claims) ? claims : null;
      } catch {
        return null;
      }
    },
  };
}
