import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** The prefix every AILB key secret starts with, so it is recognisable in a leak scan. */
export const KEY_SECRET_PREFIX = 'ailb-sk-';

/** A new key id: `k` and 16 hex digits (fits rate-limit targets and Redis key parts). */
export function newKeyId(): string {
  return `k${randomBytes(8).toString('hex')}`;
}

/** A new secret for key `id`: `ailb-sk-<id>-<192 random bits, base64url>`. */
export function newKeySecret(id: string): string {
  return `${KEY_SECRET_PREFIX}${id}-${randomBytes(24).toString('base64url')}`;
}

/**
 * The key a request presents: `Authorization: Bearer <key>` (OpenAI's SDKs) or `x-api-key: <key>`
 * (Anthropic's habit). Undefined when neither header carries one.
 */
export function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match) return match[1];
  }
  const apiKey = headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey.trim() !== '' ? apiKey.trim() : undefined;
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** Compares two secrets in constant time (of their digests, so lengths leak nothing either). */
export function sameSecret(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

/** Compares two hex digests in constant time. */
export function sameHash(left: string, right: string): boolean {
  const a = Buffer.from(left, 'hex');
  const b = Buffer.from(right, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
