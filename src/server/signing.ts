/**
 * HMAC-SHA256 signatures, random tokens and digests on Web Crypto, so the handler keeps
 * running on Node, Bun, Deno and workers alike.
 */

const encoder = new TextEncoder();

export function toBase64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

export function fromBase64url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
    return Uint8Array.from(binary, (char) => char.charCodeAt(0));
  } catch {
    return null;
  }
}

/** `bytes` random bytes, base64url: 32 bytes (256 bits) by default, beyond guessing. */
export function randomToken(bytes = 32): string {
  return toBase64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

export async function sha256(text: string): Promise<string> {
  return toBase64url(new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text))));
}

/** Compares two strings in a time that depends on their length only. */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

export interface Signer {
  /** The signature of `parts` (a purpose first, so one signature never serves another use). */
  sign(...parts: string[]): Promise<string>;
  /** Whether `signature` is the signature of `parts`, checked in constant time. */
  verify(signature: string, ...parts: string[]): Promise<boolean>;
}

/** A signer with `secret` (at least 32 bytes; text is taken as UTF-8), or a random one for this process. */
export function createSigner(secret?: string | Uint8Array): Signer {
  const raw = secret === undefined ? crypto.getRandomValues(new Uint8Array(32)) : typeof secret === 'string' ? encoder.encode(secret) : secret;
  if (raw.length < 32) throw new RangeError('The signing secret must be at least 32 bytes long.');
  // Parts are joined with a character none of them may contain, so ("a\nb", "c") ≠ ("a", "b\nc").
  const message = (parts: string[]) => {
    if (parts.some((part) => part.includes('\n'))) throw new RangeError('A signed part contains a line break.');
    return encoder.encode(parts.join('\n'));
  };
  const key = crypto.subtle.importKey('raw', new Uint8Array(raw), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  return {
    async sign(...parts) {
      return toBase64url(new Uint8Array(await crypto.subtle.sign('HMAC', await key, message(parts))));
    },
    async verify(signature, ...parts) {
      const given = fromBase64url(signature);
      // Canonical encoding only: otherwise two spellings of the last character decode alike.
      if (given === null || given.length !== 32 || toBase64url(given) !== signature) return false;
      if (parts.some((part) => part.includes('\n'))) return false;
      return crypto.subtle.verify('HMAC', await key, given, message(parts));
    },
  };
}
