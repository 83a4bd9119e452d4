/**
 * The encrypted bundle: a Nook export (API keys included only if the user asked) sealed
 * with a passphrase of its own, independent of the vault. The file is JSON so its header is
 * readable; the body is AES-256-GCM under a key from Argon2id(passphrase) + HKDF, and the
 * whole header is the additional data, so changing any byte of it fails to open.
 */
import { gunzipSync, gzipSync, strFromU8, strToU8 } from 'fflate';
import {
  assertKdfAcceptable,
  CryptoError,
  DEFAULT_KDF,
  fromBase64,
  hkdf,
  KDF_FLOOR,
  MIN_PASSPHRASE_CHARS,
  normalizePassphrase,
  randomBytes,
  toBase64,
  utf8Encode,
  wipe,
  type KdfParams,
} from '../../../shared/crypto';
// HAZMAT by path, with a reason: the bundle is not a vault record (no RecordContext), so it
// uses the raw primitives under its own domain-separated key and header-bound AAD.
import { aesGcmDecrypt, aesGcmEncrypt, GCM_NONCE_BYTES } from '../../../shared/crypto/aead';
import { argon2id } from '../../../shared/crypto/kdf';
import type { NookExport } from '../../../shared/export/schema';
import { DataError, MAX_IMPORT_BYTES } from './errors';
import { checkExport, parseJsonStrict } from './parse-export';

export const BUNDLE_KIND = 'nook-bundle';
export const BUNDLE_VERSION = 1;
/** A bundle demanding more memory than this is refused (a hostile file could stall unlock). */
const MAX_BUNDLE_KDF_MEMORY_KIB = 256 * 1024;
const SALT_BYTES = 16;

/** The bundle file as stored. */
export interface BundleFile {
  kind: typeof BUNDLE_KIND;
  version: number;
  kdf: KdfParams;
  salt: string;
  nonce: string;
  ciphertext: string;
}

function aadOf(f: Pick<BundleFile, 'kind' | 'version' | 'kdf' | 'salt' | 'nonce'>): Uint8Array {
  const { alg, memoryKiB, iterations, parallelism } = f.kdf;
  return utf8Encode(
    `nook/bundle/v1|${f.kind}|${f.version}|${alg}|${memoryKiB}|${iterations}|${parallelism}|${f.salt}|${f.nonce}`,
  );
}

async function bundleKey(passphrase: string, salt: Uint8Array, kdf: KdfParams) {
  const pw = normalizePassphrase(passphrase);
  const stretched = await argon2id(pw, salt, kdf);
  wipe(pw);
  const key = await hkdf(stretched, salt, 'nook/bundle-key/v1', 32);
  wipe(stretched);
  return key;
}

/** Seals an export under `passphrase`; `kdf` defaults to the vault default (64 MiB, t=3). */
export async function sealBundle(
  data: NookExport,
  passphrase: string,
  kdf: KdfParams = DEFAULT_KDF,
): Promise<string> {
  if (passphrase.length < MIN_PASSPHRASE_CHARS) throw new DataError('weak-passphrase');
  assertKdfAcceptable(kdf);
  const salt = randomBytes(SALT_BYTES);
  const nonce = randomBytes(GCM_NONCE_BYTES);
  const header = {
    kind: BUNDLE_KIND,
    version: BUNDLE_VERSION,
    kdf: { ...kdf },
    salt: toBase64(salt),
    nonce: toBase64(nonce),
  } as const;
  const key = await bundleKey(passphrase, salt, kdf);
  const plain = gzipSync(strToU8(JSON.stringify(data)), { level: 6 });
  const ciphertext = await aesGcmEncrypt(key, nonce, plain, aadOf(header));
  wipe(key);
  const file: BundleFile = { ...header, ciphertext: toBase64(ciphertext) };
  return JSON.stringify(file);
}

/** Reads the outer file without decrypting it (for kind detection and early refusal). */
export function parseBundleHeader(value: unknown): BundleFile {
  if (typeof value !== 'object' || value === null) throw new DataError('wrong-kind');
  const f = value as Record<string, unknown>;
  if (f.kind !== BUNDLE_KIND) throw new DataError('wrong-kind');
  if (typeof f.version !== 'number') throw new DataError('bad-bundle');
  if (f.version > BUNDLE_VERSION) throw new DataError('newer-version');
  if (
    f.version !== BUNDLE_VERSION ||
    typeof f.salt !== 'string' ||
    typeof f.nonce !== 'string' ||
    typeof f.ciphertext !== 'string'
  ) {
    throw new DataError('bad-bundle');
  }
  try {
    assertKdfAcceptable(f.kdf as KdfParams);
  } catch (cause) {
    throw new DataError('bad-bundle', 'key-derivation settings', { cause });
  }
  const kdf = f.kdf as KdfParams;
  if (kdf.memoryKiB > MAX_BUNDLE_KDF_MEMORY_KIB) throw new DataError('bad-bundle');
  return {
    kind: BUNDLE_KIND,
    version: f.version,
    kdf: {
      alg: kdf.alg,
      memoryKiB: kdf.memoryKiB,
      iterations: kdf.iterations,
      parallelism: kdf.parallelism,
    },
    salt: f.salt,
    nonce: f.nonce,
    ciphertext: f.ciphertext,
  };
}

/** Opens a bundle; a wrong passphrase and a modified file both fail authentication. */
export async function openBundle(value: unknown, passphrase: string): Promise<NookExport> {
  const file = parseBundleHeader(value);
  let salt: Uint8Array;
  let nonce: Uint8Array;
  let ciphertext: Uint8Array;
  try {
    salt = fromBase64(file.salt);
    nonce = fromBase64(file.nonce);
    ciphertext = fromBase64(file.ciphertext);
  } catch (cause) {
    throw new DataError('bad-bundle', undefined, { cause });
  }
  if (salt.length !== SALT_BYTES || nonce.length !== GCM_NONCE_BYTES) {
    throw new DataError('bad-bundle');
  }
  const key = await bundleKey(passphrase, salt, file.kdf);
  let plain: Uint8Array;
  try {
    plain = await aesGcmDecrypt(key, nonce, ciphertext, aadOf(file));
  } catch (cause) {
    if (cause instanceof CryptoError) throw new DataError('wrong-passphrase', undefined, { cause });
    throw cause;
  } finally {
    wipe(key);
  }
  let text: string;
  try {
    const json = gunzipSync(plain);
    if (json.length > MAX_IMPORT_BYTES * 4) throw new DataError('too-large');
    text = strFromU8(json);
  } catch (cause) {
    if (cause instanceof DataError) throw cause;
    throw new DataError('bad-bundle', undefined, { cause });
  }
  return checkExport(parseJsonStrict(text));
}

/** Unit tests seal with the OWASP floor so Argon2id stays fast. */
export const TEST_BUNDLE_KDF = KDF_FLOOR;
