/** Keyed hashes and random tokens. The pepper never leaves this process. */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** HMAC-SHA256(pepper, label || 0x00 || data): one domain-separated key use per label. */
export function keyedHash(pepper: Uint8Array, label: string, data: string | Uint8Array): Buffer {
  return createHmac('sha256', pepper).update(label).update('\0').update(data).digest();
}

/** A short keyed tag of a client IP: stable per relay, useless without the pepper. */
export function ipTag(pepper: Uint8Array, ip: string): string {
  return keyedHash(pepper, 'nook/relay/ip/v1', ip).subarray(0, 8).toString('hex');
}

/** SHA-256 hex: how tokens are stored (they are 256-bit random, so no salt or stretching). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A 256-bit random bearer token with a recognisable prefix (`nka_` access, `nkr_` refresh). */
export function newToken(prefix: 'nka_' | 'nkr_'): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** A random 128-bit hex id (token families). */
export function newId(): string {
  return randomBytes(16).toString('hex');
}

/** Constant-time equality of two byte strings of any length. */
export function safeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
