/**
 * Rollback / omission detection. After a push, a device uploads a manifest of the account as
 * it saw it: `{ counter, seq, root }` where root = SHA-256 over the sorted entries
 * (collection, id, revision, deleted, SHA-256(envelope)), MACed with
 * HMAC-SHA256(HKDF(AK, vaultId, "nook/manifest/v1")). The relay can store or withhold it but
 * cannot forge or edit it. Readers who have pulled past `seq` check every entry against the
 * versions they hold.
 */
import { sha256 } from 'hash-wasm';
import { concatBytes, fromBase64, toBase64, utf8Decode, utf8Encode } from '../../../shared/crypto';
import type { ManifestBody, ManifestReply } from '../../../shared/protocol';
import { SyncError } from './errors';
import type { SeenVersion } from './ports';

/** One manifest entry: a record version the uploading device held. */
export interface ManifestEntry {
  collection: string;
  id: string;
  revision: number;
  deleted: boolean;
  /** Hex SHA-256 of the envelope; '' for a tombstone. */
  hash: string;
}

/** A manifest whose MAC verified. */
export interface VerifiedManifest {
  counter: number;
  /** The account seq the uploader had pulled up to. */
  seq: number;
  device: string;
  createdAt: number;
  entries: ManifestEntry[];
}

const DOMAIN = 'nook/manifest/v1';
const subtle = () => globalThis.crypto.subtle;

/**
 * Lowercase hex SHA-256 of `bytes`. hash-wasm (already loaded for Argon2id) rather than
 * `subtle.digest`: a sync pass hashes every envelope it pulls or pushes, and for inputs this
 * small WebCrypto's per-call job overhead costs several times the hash itself.
 */
export function sha256Hex(bytes: Uint8Array): Promise<string> {
  return sha256(bytes);
}

function u32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, false);
  return b;
}
function field(s: string): Uint8Array {
  const b = utf8Encode(s);
  return concatBytes(u32(b.length), b);
}
function num(n: number): Uint8Array {
  // Safe integers only; decimal text keeps the encoding simple and unambiguous (length-prefixed).
  return field(String(n));
}

function sortEntries(entries: readonly ManifestEntry[]): ManifestEntry[] {
  // Keys computed once per entry, not twice per comparison.
  const keyed = entries.map((e) => ({ e, k: `${e.collection}\u0000${e.id}` }));
  keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  return keyed.map((x) => x.e);
}

/**
 * The root's input: `field(DOMAIN)`, then per sorted entry `field(collection) field(id)
 * num(revision) deleted-byte field(hash)`. Written into one buffer (a manifest lists every
 * record: building ~50,000 small arrays for it cost more than the hash).
 */
function rootInput(sorted: readonly ManifestEntry[]): Uint8Array {
  const encoder = new TextEncoder();
  // UTF-8 needs at most 3 bytes per UTF-16 code unit; each field adds a 4-byte length.
  let size = 4 + 3 * DOMAIN.length;
  for (const e of sorted) {
    size +=
      17 + 3 * (e.collection.length + e.id.length + String(e.revision).length + e.hash.length);
  }
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  const put = (s: string) => {
    const { written } = encoder.encodeInto(s, out.subarray(at + 4));
    view.setUint32(at, written, false);
    at += 4 + written;
  };
  put(DOMAIN);
  for (const e of sorted) {
    put(e.collection);
    put(e.id);
    put(String(e.revision));
    out[at++] = e.deleted ? 1 : 0;
    put(e.hash);
  }
  return out.subarray(0, at);
}

/** SHA-256 over the length-prefixed encoding of the sorted entries. */
export async function manifestRoot(entries: readonly ManifestEntry[]): Promise<string> {
  return sha256Hex(rootInput(sortEntries(entries)));
}

interface Header {
  counter: number;
  seq: number;
  device: string;
  createdAt: number;
  root: string;
}

function macInput(vaultId: string, h: Header): Uint8Array {
  return concatBytes(
    field(DOMAIN),
    field(vaultId),
    num(h.counter),
    num(h.seq),
    field(h.device),
    num(h.createdAt),
    field(h.root),
  );
}

async function hmacKey(key: Uint8Array, usage: 'sign' | 'verify'): Promise<CryptoKey> {
  return subtle().importKey('raw', key as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, [
    usage,
  ]);
}

/** Builds the PUT /v1/sync/manifest body. */
export async function buildManifest(input: {
  vaultId: string;
  key: Uint8Array;
  counter: number;
  seq: number;
  device: string;
  createdAt: number;
  entries: readonly ManifestEntry[];
}): Promise<ManifestBody> {
  const entries = sortEntries(input.entries);
  const header: Header = {
    counter: input.counter,
    seq: input.seq,
    device: input.device,
    createdAt: input.createdAt,
    root: await manifestRoot(entries),
  };
  const mac = new Uint8Array(
    await subtle().sign(
      'HMAC',
      await hmacKey(input.key, 'sign'),
      macInput(input.vaultId, header) as BufferSource,
    ),
  );
  const blob = {
    v: 1,
    ...header,
    entries: entries.map((e) => [e.collection, e.id, e.revision, e.deleted ? 1 : 0, e.hash]),
    mac: toBase64(mac),
  };
  return { counter: input.counter, blob: toBase64(utf8Encode(JSON.stringify(blob))) };
}

const isSafeNat = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;
function badManifest(why: string): SyncError {
  return new SyncError('bad-manifest', `The relay served an invalid manifest (${why}).`);
}

function parseEntries(raw: unknown): ManifestEntry[] {
  if (!Array.isArray(raw)) throw badManifest('entries');
  return raw.map((e: unknown) => {
    if (!Array.isArray(e) || e.length !== 5) throw badManifest('entry');
    const [collection, id, revision, deleted, hash] = e as unknown[];
    if (
      typeof collection !== 'string' ||
      typeof id !== 'string' ||
      !isSafeNat(revision) ||
      (deleted !== 0 && deleted !== 1) ||
      typeof hash !== 'string'
    ) {
      throw badManifest('entry');
    }
    return { collection, id, revision, deleted: deleted === 1, hash };
  });
}

/** Parses a served manifest and verifies its MAC and root; SyncError('bad-manifest') otherwise. */
export async function verifyManifest(
  reply: ManifestReply,
  vaultId: string,
  key: Uint8Array,
): Promise<VerifiedManifest> {
  let raw: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(utf8Decode(fromBase64(reply.blob)));
    if (typeof parsed !== 'object' || parsed === null) throw new TypeError('not an object');
    raw = parsed as Record<string, unknown>;
  } catch (cause) {
    throw new SyncError('bad-manifest', 'The relay served an unreadable manifest.', {}, { cause });
  }
  const { counter, seq, device, createdAt, root, mac } = raw;
  if (
    raw.v !== 1 ||
    !isSafeNat(counter) ||
    !isSafeNat(seq) ||
    typeof device !== 'string' ||
    !isSafeNat(createdAt) ||
    typeof root !== 'string' ||
    typeof mac !== 'string'
  ) {
    throw badManifest('header');
  }
  const header: Header = { counter, seq, device, createdAt, root };
  let macBytes: Uint8Array;
  try {
    macBytes = fromBase64(mac);
  } catch (cause) {
    throw new SyncError('bad-manifest', 'The manifest MAC is not base64.', {}, { cause });
  }
  const ok = await subtle().verify(
    'HMAC',
    await hmacKey(key, 'verify'),
    macBytes as BufferSource,
    macInput(vaultId, header) as BufferSource,
  );
  if (!ok) throw badManifest('MAC mismatch');
  // The outer counter is what the relay orders by; it must be the one the MAC covers.
  if (reply.counter !== counter) throw badManifest('counter mismatch');
  const entries = parseEntries(raw.entries);
  if ((await manifestRoot(entries)) !== root) throw badManifest('root mismatch');
  return { counter, seq, device, createdAt, entries };
}

/**
 * Checks a verified manifest against what this device holds, after it pulled everything up
 * to `cursor`. Throws SyncError: rollback (older manifest or account seq than signed, or an
 * older revision than listed), omission (a listed record, or any record up to the signed
 * seq, never arrived), equivocation (same
 * revision, different content), tombstone-resurrection (listed deleted, held live).
 */
export function checkManifest(
  m: VerifiedManifest,
  ctx: {
    /** Where this device's pulls got to (the seq of the last record delivered). */
    cursor: number;
    /** The highest account seq the relay ever reported to this device. */
    accountSeq: number;
    lastCounter: number;
    seen: (collection: string, id: string) => SeenVersion | undefined;
    /** Entries of collections this client cannot read are skipped. */
    knows: (collection: string) => boolean;
  },
): void {
  if (m.counter < ctx.lastCounter) {
    throw new SyncError('rollback', 'The relay served an older manifest than this device saw.', {
      counter: m.counter,
      seen: ctx.lastCounter,
    });
  }
  if (m.seq > ctx.accountSeq) {
    throw new SyncError('rollback', 'The relay is behind a manifest another device signed.', {
      manifestSeq: m.seq,
      accountSeq: ctx.accountSeq,
    });
  }
  for (const e of m.entries) {
    if (!ctx.knows(e.collection)) continue;
    const d = { collection: e.collection, id: e.id, revision: e.revision };
    const s = ctx.seen(e.collection, e.id);
    if (s === undefined) {
      throw new SyncError('omission', 'The relay withheld a record listed in the manifest.', d);
    }
    if (e.deleted && !s.deleted) {
      throw new SyncError('tombstone-resurrection', 'A deleted record was served as live.', d);
    }
    if (s.revision < e.revision) {
      throw new SyncError('rollback', 'The relay served an older revision than signed.', d);
    }
    if (s.revision === e.revision && (s.deleted !== e.deleted || s.hash !== e.hash)) {
      throw new SyncError('equivocation', 'The relay served a different version of a record.', d);
    }
  }
  // Every listed record checked out, yet records up to the signed seq never arrived.
  if (m.seq > ctx.cursor) {
    throw new SyncError('omission', 'The relay withheld records another device had seen.', {
      manifestSeq: m.seq,
      cursor: ctx.cursor,
    });
  }
}
