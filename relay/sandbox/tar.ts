import { SandboxError } from './errors';

/**
 * Minimal in-memory tar (ustar + PAX) for the sandbox's file transfer: it builds exactly one
 * regular-file entry and parses an archive that must hold exactly one regular file. Nothing
 * is ever extracted on the host.
 */

const BLOCK = 512;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });

/** Owner and mode for the one entry; the sandbox user is uid/gid 1000. */
export interface TarEntryOptions {
  uid?: number;
  gid?: number;
  mode?: number;
  mtimeSec?: number;
}

/** Builds a one-entry tar holding `bytes` as the regular file `name` (already validated). */
export function buildSingleFileTar(
  name: string,
  bytes: Uint8Array,
  options: TarEntryOptions = {},
): Uint8Array {
  const { uid = 1000, gid = 1000, mode = 0o644 } = options;
  const mtime = options.mtimeSec ?? Math.floor(Date.now() / 1000);
  const nameBytes = encoder.encode(name);
  const blocks: Uint8Array[] = [];
  // Names over 100 bytes or non-ASCII go in a PAX record so nothing is truncated or mangled.
  const needsPax = nameBytes.length > 99 || nameBytes.some((b) => b > 0x7e);
  if (needsPax) {
    const pax = paxRecord('path', name);
    blocks.push(header({ name: 'PaxHeader', size: pax.length, type: 'x', uid, gid, mode, mtime }));
    blocks.push(padded(pax));
  }
  const shortName = needsPax ? 'file' : name;
  blocks.push(header({ name: shortName, size: bytes.length, type: '0', uid, gid, mode, mtime }));
  blocks.push(padded(bytes));
  blocks.push(new Uint8Array(BLOCK * 2));
  return concat(blocks);
}

/** What `parseSingleFileTar` found. */
export interface ParsedTarFile {
  name: string;
  bytes: Uint8Array;
}

/**
 * Parses a tar that must contain exactly one regular file of at most `maxBytes`. Symlinks,
 * hard links, directories, devices, FIFOs and extra entries are refused.
 */
export function parseSingleFileTar(archive: Uint8Array, maxBytes: number): ParsedTarFile {
  let offset = 0;
  let paxPath: string | undefined;
  let paxSize: number | undefined;
  let longName: string | undefined;
  let found: ParsedTarFile | undefined;
  while (offset + BLOCK <= archive.length) {
    const h = archive.subarray(offset, offset + BLOCK);
    if (h.every((b) => b === 0)) break;
    verifyChecksum(h);
    const type = String.fromCharCode(h[156] ?? 0);
    const size = paxSize ?? readNumber(h.subarray(124, 136));
    const dataStart = offset + BLOCK;
    const dataEnd = dataStart + size;
    if (dataEnd > archive.length) throw malformed('truncated entry');
    const data = archive.subarray(dataStart, dataEnd);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x') {
      const rec = parsePax(data);
      paxPath = rec.get('path');
      const s = rec.get('size');
      paxSize = s === undefined ? undefined : Number(s);
      continue;
    }
    if (type === 'g') continue;
    if (type === 'L') {
      longName = decoder.decode(data).replace(/\0+$/, '');
      continue;
    }
    const name = paxPath ?? longName ?? readName(h);
    paxPath = paxSize = longName = undefined;
    if (type !== '0' && type !== '\0' && type !== '7') {
      throw new SandboxError('not-regular-file', 'Only regular files can be downloaded.');
    }
    if (found) throw malformed('more than one entry');
    if (size > maxBytes)
      throw new SandboxError('too-large', 'The file is over the download limit.');
    found = { name, bytes: data.slice() };
  }
  if (!found) throw malformed('no file entry');
  return found;
}

interface HeaderFields {
  name: string;
  size: number;
  type: '0' | 'x';
  uid: number;
  gid: number;
  mode: number;
  mtime: number;
}

function header(f: HeaderFields): Uint8Array {
  const h = new Uint8Array(BLOCK);
  writeString(h, 0, 100, f.name);
  writeOctal(h, 100, 8, f.mode);
  writeOctal(h, 108, 8, f.uid);
  writeOctal(h, 116, 8, f.gid);
  writeOctal(h, 124, 12, f.size);
  writeOctal(h, 136, 12, f.mtime);
  h.fill(0x20, 148, 156); // checksum field counts as spaces while summing
  h[156] = f.type.charCodeAt(0);
  writeString(h, 257, 6, 'ustar');
  writeString(h, 263, 2, '00');
  writeString(h, 265, 32, 'sandbox');
  writeString(h, 297, 32, 'sandbox');
  const sum = h.reduce((a, b) => a + b, 0);
  writeString(h, 148, 8, sum.toString(8).padStart(6, '0') + '\0 ');
  return h;
}

function paxRecord(key: string, value: string): Uint8Array {
  // "<len> key=value\n" where len counts itself: iterate until the digit count is stable.
  const body = encoder.encode(` ${key}=${value}\n`).length;
  let len = body + String(body).length;
  if (String(len).length !== String(body).length) len = body + String(len).length;
  return encoder.encode(`${len} ${key}=${value}\n`);
}

function parsePax(data: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  while (i < data.length) {
    const space = data.indexOf(0x20, i);
    if (space < 0) break;
    const len = Number(decoder.decode(data.subarray(i, space)));
    if (!Number.isInteger(len) || len <= 0 || i + len > data.length) throw malformed('bad PAX');
    const rec = decoder.decode(data.subarray(space + 1, i + len - 1));
    const eq = rec.indexOf('=');
    if (eq > 0) out.set(rec.slice(0, eq), rec.slice(eq + 1));
    i += len;
  }
  return out;
}

function readName(h: Uint8Array): string {
  const name = cString(h.subarray(0, 100));
  const prefix = cString(h.subarray(345, 500));
  return prefix ? `${prefix}/${name}` : name;
}

function readNumber(field: Uint8Array): number {
  // GNU base-256 for values that do not fit in octal.
  if (((field[0] ?? 0) & 0x80) !== 0) {
    let n = (field[0] ?? 0) & 0x7f;
    for (let i = 1; i < field.length; i++) n = n * 256 + (field[i] ?? 0);
    return n;
  }
  const text = cString(field).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw malformed('bad number');
  return parseInt(text, 8);
}

function verifyChecksum(h: Uint8Array): void {
  const stored = readNumber(h.subarray(148, 156));
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (h[i] ?? 0);
  if (sum !== stored) throw malformed('bad checksum');
}

function cString(b: Uint8Array): string {
  const end = b.indexOf(0);
  return decoder.decode(end < 0 ? b : b.subarray(0, end));
}

function writeString(h: Uint8Array, at: number, len: number, s: string): void {
  h.set(encoder.encode(s).subarray(0, len), at);
}

function writeOctal(h: Uint8Array, at: number, len: number, n: number): void {
  writeString(h, at, len, n.toString(8).padStart(len - 1, '0') + '\0');
}

function padded(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(b.length / BLOCK) * BLOCK);
  out.set(b);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function malformed(why: string): SandboxError {
  return new SandboxError('unavailable', `Malformed archive from Docker (${why}).`);
}
