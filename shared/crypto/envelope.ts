/**
 * Record envelopes: the only way extension code should encrypt stored/synced content.
 *
 * Bytes: v(1)=1 | alg(1)=1 (AES-256-GCM) | keyIdLen(1) | keyId (UTF-8) | nonce(12) | ct+tag
 * AAD:   header bytes (v, alg, keyIdLen, keyId) || recordAad(ctx), where recordAad is rebuilt
 *        from the outer record and never stored, so an envelope cannot be replayed under
 *        another vault, collection, record id, revision or deleted flag.
 * The plaintext is padded to 256-byte buckets before encryption.
 */
import { concatBytes, randomBytes, utf8Decode, utf8Encode } from './bytes';
import { aesGcmDecrypt, aesGcmEncrypt, GCM_NONCE_BYTES, GCM_TAG_BYTES } from './aead';
import { CryptoError } from './errors';
import { pad, unpad } from './padding';

/** Envelope format version. */
export const ENVELOPE_VERSION = 1;
/** Algorithm ids (one today). */
export const EnvelopeAlg = { Aes256Gcm: 1 } as const;
/** Union of {@link EnvelopeAlg} values. */
export type EnvelopeAlg = (typeof EnvelopeAlg)[keyof typeof EnvelopeAlg];

/** The outer record an envelope belongs to; all of it is authenticated. */
export interface RecordContext {
  vaultId: string;
  collection: string;
  recordId: string;
  revision: number;
  deleted: boolean;
}

/** A per-collection data key. */
export interface CollectionKey {
  keyId: string;
  /** raw 32 bytes */
  key: Uint8Array;
}

const AAD_DOMAIN = utf8Encode('nook/rec/v1');
/** `u32len "nook/rec/v1"`: the constant start of every record AAD. */
const AAD_PREFIX = new Uint8Array(4 + AAD_DOMAIN.length);
new DataView(AAD_PREFIX.buffer).setUint32(0, AAD_DOMAIN.length, false);
AAD_PREFIX.set(AAD_DOMAIN, 4);
/** Bytes after the three text fields: u64 revision | u8 deleted. */
const AAD_TAIL = 9;
/** Scratch space kept across calls; an AAD larger than this gets a one-off buffer. */
const SCRATCH_MAX = 16 * 1024;

const textEncoder = new TextEncoder();
let scratch = new Uint8Array(1024);
let scratchView = new DataView(scratch.buffer);

function assertContext(ctx: RecordContext): void {
  if (
    typeof ctx.vaultId !== 'string' ||
    typeof ctx.collection !== 'string' ||
    typeof ctx.recordId !== 'string' ||
    typeof ctx.deleted !== 'boolean' ||
    !Number.isSafeInteger(ctx.revision) ||
    ctx.revision < 0
  ) {
    // The context of open() comes from an untrusted outer record, so this is a data error.
    throw new CryptoError('bad-envelope', 'Record context is invalid.');
  }
}

/** Writes `u32len UTF-8(s)` at `at` into `buf`; returns the offset after it. */
function writeField(buf: Uint8Array, view: DataView, at: number, s: string): number {
  const start = at + 4;
  let o = start;
  let i = 0;
  // Ids are ASCII in practice: copy those directly; the encoder takes over at the first other
  // character (an ASCII boundary, so no surrogate pair is split).
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) break;
    buf[o++] = c;
  }
  if (i < s.length) o += textEncoder.encodeInto(s.slice(i), buf.subarray(o)).written;
  view.setUint32(at, o - start, false);
  return o;
}

/**
 * `header || recordAad(ctx)` in one allocation: the fields are encoded straight into a
 * scratch buffer sized for the worst case (3 UTF-8 bytes per UTF-16 unit), then copied out.
 */
function buildAad(header: Uint8Array | undefined, ctx: RecordContext): Uint8Array {
  assertContext(ctx);
  const h = header === undefined ? 0 : header.length;
  const text = ctx.vaultId.length + ctx.collection.length + ctx.recordId.length;
  const max = h + AAD_PREFIX.length + 3 * 4 + 3 * text + AAD_TAIL;
  let buf = scratch;
  let view = scratchView;
  if (max > buf.length) {
    buf = new Uint8Array(max);
    view = new DataView(buf.buffer);
    if (max <= SCRATCH_MAX) [scratch, scratchView] = [buf, view];
  }
  if (header !== undefined) buf.set(header, 0);
  buf.set(AAD_PREFIX, h);
  let at = writeField(buf, view, h + AAD_PREFIX.length, ctx.vaultId);
  at = writeField(buf, view, at, ctx.collection);
  at = writeField(buf, view, at, ctx.recordId);
  // revision is a safe integer (< 2^53): split into two u32 halves for a fixed u64 encoding.
  view.setUint32(at, Math.floor(ctx.revision / 2 ** 32), false);
  view.setUint32(at + 4, ctx.revision >>> 0, false);
  buf[at + 8] = ctx.deleted ? 1 : 0;
  return buf.slice(0, at + AAD_TAIL);
}

/**
 * Rebuild the record part of the AAD. Each field is length-prefixed so none can bleed into the
 * next: `u32len "nook/rec/v1" | u32len vaultId | u32len collection | u32len recordId | u64
 * revision | u8 deleted`, big-endian.
 */
export function recordAad(ctx: RecordContext): Uint8Array {
  return buildAad(undefined, ctx);
}

/** Envelope headers by key id (a handful of collection keys); never handed out, only copied. */
const headers = new Map<string, Uint8Array>();
const HEADER_CACHE_MAX = 64;

function encodeHeader(keyId: string): Uint8Array {
  const cached = headers.get(keyId);
  if (cached !== undefined) return cached;
  const id = utf8Encode(keyId);
  if (id.length < 1 || id.length > 255) throw new RangeError('keyId must be 1..255 UTF-8 bytes');
  const header = concatBytes(Uint8Array.of(ENVELOPE_VERSION, EnvelopeAlg.Aes256Gcm, id.length), id);
  if (headers.size >= HEADER_CACHE_MAX) headers.clear();
  headers.set(keyId, header);
  return header;
}

interface ParsedEnvelope {
  header: Uint8Array;
  keyId: string;
  nonce: Uint8Array;
  ciphertext: Uint8Array;
}

function parseEnvelope(envelope: Uint8Array): ParsedEnvelope {
  if (!(envelope instanceof Uint8Array) || envelope.length < 3) {
    throw new CryptoError('bad-envelope', 'Envelope is too short.');
  }
  const [v, alg, idLen] = envelope as unknown as [number, number, number];
  if (v !== ENVELOPE_VERSION || alg !== EnvelopeAlg.Aes256Gcm) {
    throw new CryptoError('unsupported-version', undefined, { details: { version: v, alg } });
  }
  const headerLen = 3 + idLen;
  if (idLen === 0 || envelope.length < headerLen + GCM_NONCE_BYTES + GCM_TAG_BYTES) {
    throw new CryptoError('bad-envelope', 'Envelope is truncated.');
  }
  let keyId: string;
  try {
    keyId = utf8Decode(envelope.subarray(3, headerLen));
  } catch (cause) {
    throw new CryptoError('bad-envelope', 'Envelope key id is not UTF-8.', { cause });
  }
  return {
    header: envelope.subarray(0, headerLen),
    keyId,
    nonce: envelope.subarray(headerLen, headerLen + GCM_NONCE_BYTES),
    ciphertext: envelope.subarray(headerLen + GCM_NONCE_BYTES),
  };
}

/** The key id an envelope was sealed under (to pick the key); bad-envelope / unsupported-version. */
export function envelopeKeyId(envelope: Uint8Array): string {
  return parseEnvelope(envelope).keyId;
}

/**
 * Encrypt `plaintext` for the record `ctx` under `key`. A fresh random 96-bit nonce per call;
 * at well under 2^32 seals per key the collision risk is negligible.
 */
export async function seal(
  key: CollectionKey,
  ctx: RecordContext,
  plaintext: Uint8Array,
): Promise<Uint8Array> {
  const header = encodeHeader(key.keyId);
  const nonce = randomBytes(GCM_NONCE_BYTES);
  const aad = buildAad(header, ctx);
  const ct = await aesGcmEncrypt(key.key, nonce, pad(plaintext), aad);
  return concatBytes(header, nonce, ct);
}

/**
 * Decrypt an envelope for the record `ctx`. Throws CryptoError: bad-envelope (malformed),
 * unsupported-version (unknown v/alg), decrypt-failed (wrong key, wrong record, tampered).
 */
export async function open(
  key: CollectionKey,
  ctx: RecordContext,
  envelope: Uint8Array,
): Promise<Uint8Array> {
  const parsed = parseEnvelope(envelope);
  if (parsed.keyId !== key.keyId) {
    throw new CryptoError('decrypt-failed', 'Envelope was sealed under a different key.', {
      details: { envelopeKeyId: parsed.keyId, keyId: key.keyId },
    });
  }
  const aad = buildAad(parsed.header, ctx);
  const padded = await aesGcmDecrypt(key.key, parsed.nonce, parsed.ciphertext, aad);
  return unpad(padded);
}

/** {@link seal} for a JSON-serialisable value. */
export async function sealJson(
  key: CollectionKey,
  ctx: RecordContext,
  value: unknown,
): Promise<Uint8Array> {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError('sealJson: value is not JSON-serialisable');
  return seal(key, ctx, utf8Encode(json));
}

/**
 * {@link open} then JSON.parse. The result is NOT schema-validated: callers validate `T`.
 * Authentic but non-JSON content throws bad-envelope.
 */
export async function openJson<T = unknown>(
  key: CollectionKey,
  ctx: RecordContext,
  envelope: Uint8Array,
): Promise<T> {
  const bytes = await open(key, ctx, envelope);
  try {
    return JSON.parse(utf8Decode(bytes)) as T;
  } catch (cause) {
    throw new CryptoError('bad-envelope', 'Envelope content is not JSON.', { cause });
  }
}
