/**
 * Preview tokens: `<claims>.<signature>`, both base64url; the claims are JSON, the signature
 * an HMAC-SHA256 with the engine's secret (give every process of a host the same one, or a
 * preview made by one cannot be committed by another). Opaque to clients. A token binds a
 * preview to the customer, the exact change asked for, the subscription version it was
 * computed on and the instant its figures (the proration) are for, so that a commit within its
 * lifetime charges what was shown. Node only (`node:crypto`).
 */
import { createHmac, createSecretKey, hash, timingSafeEqual } from 'node:crypto';
import type { ChangeRequest } from '../../contract/index.js';

export interface PreviewClaims {
  customer: string;
  /** `changeKey` of the change previewed. */
  request: string;
  /** The subscription version the preview was computed on. */
  version: string;
  /** When the preview was computed, in ms since the epoch: the instant its proration is for. */
  at: number;
  /** Until when a commit may use it, in ms since the epoch. */
  expiresAt: number;
}

/**
 * Why a token was refused: `not_issued` (not signed with this secret, altered, or for another
 * customer or change), `expired`, or `stale` (the subscription changed since the preview).
 */
export type PreviewTokenRefusal = 'not_issued' | 'expired' | 'stale';

export type PreviewTokenCheck = { ok: true; claims: PreviewClaims } | { ok: false; reason: PreviewTokenRefusal };

export interface PreviewTokens {
  sign(claims: PreviewClaims): string;
  /** The claims of a token signed with this secret, or `null` (altered, or not a token). Does not look at the time. */
  verify(token: string): PreviewClaims | null;
  /**
   * Whether `token` lets a commit of `request` by `customer` use the preview's figures at
   * `now` (ms) on the subscription at `version`; the checks go in that order: issued for this
   * customer and change, not expired, not stale.
   */
  check(token: string, expected: { customer: string; request: ChangeRequest; version: string; now: number }): PreviewTokenCheck;
}

/**
 * The change a request asks for (its `timing` and `change`; a commit's `previewToken` is not
 * part of it) as one canonical text, whatever order the client wrote its fields in: what a
 * token's `request` claim holds. The claims are signed whole, so they carry the change itself
 * rather than a hash of it: one hash less for every preview and commit.
 */
export function changeKey({ timing, change }: ChangeRequest): string {
  const parts = change.type === 'plan' ? [timing, 'plan', change.planId, change.interval ?? null] : [timing, 'module', change.moduleId, change.action];
  return JSON.stringify(parts);
}

/** A SHA-256 digest of `changeKey(request)`, base64url: for keys that must be short (Stripe's idempotency keys). */
export function requestDigest(request: ChangeRequest): string {
  return hash('sha256', changeKey(request), 'base64url');
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

/** Signs and checks preview tokens with `secret` (at least 32 random bytes, or a string as long). */
export function createPreviewTokens(secret: string | Uint8Array): PreviewTokens {
  if (secret.length === 0) throw new RangeError('A preview token secret cannot be empty.');
  // The key is checked and copied once, not on every signature.
  const key = createSecretKey(typeof secret === 'string' ? Buffer.from(secret) : secret);
  const signature = (payload: string) => createHmac('sha256', key).update(payload).digest();

  const verify = (token: string): PreviewClaims | null => {
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
  };

  return {
    sign(claims) {
      const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
      return `${payload}.${signature(payload).toString('base64url')}`;
    },
    verify,
    check(token, { customer, request, version, now }) {
      const claims = verify(token);
      if (!claims || claims.customer !== customer || claims.request !== changeKey(request)) return { ok: false, reason: 'not_issued' };
      if (now >= claims.expiresAt) return { ok: false, reason: 'expired' };
      if (claims.version !== version) return { ok: false, reason: 'stale' };
      return { ok: true, claims };
    },
  };
}
