import { SandboxError } from './errors';

/** Longest workspace path accepted, in UTF-8 bytes (Linux PATH_MAX is 4096; stay well under). */
export const MAX_PATH_BYTES = 1024;
/** Longest single path segment, in UTF-8 bytes (ext4 NAME_MAX). */
export const MAX_SEGMENT_BYTES = 255;
const MAX_DEPTH = 32;

/**
 * Validates a workspace-relative path and returns it normalised (NFC, no `./`, no doubled
 * or trailing slashes) with its segments. Throws `SandboxError('bad-path')` for anything
 * absolute, containing `..`, NUL or control characters, or over the length limits.
 */
export function validateWorkspacePath(input: string): { path: string; segments: string[] } {
  if (typeof input !== 'string' || input.length === 0) throw bad('empty');
  // Measure before normalising too: a huge input must not cost a huge normalisation.
  if (input.length > MAX_PATH_BYTES) throw bad('too long');
  if (input.startsWith('/') || input.startsWith('\\')) throw bad('absolute');
  // NUL and C0/C1 controls are never valid in a name a user picks.
  for (const ch of input) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) throw bad('control character');
  }
  if (input.includes('\\')) throw bad('backslash');
  const normalised = input.normalize('NFC');
  const segments = normalised.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.length === 0) throw bad('empty');
  if (segments.length > MAX_DEPTH) throw bad('too deep');
  for (const s of segments) {
    if (s === '..') throw bad('parent segment');
    if (utf8Length(s) > MAX_SEGMENT_BYTES) throw bad('segment too long');
  }
  const path = segments.join('/');
  if (utf8Length(path) > MAX_PATH_BYTES) throw bad('too long');
  return { path, segments };
}

function utf8Length(s: string): number {
  return new TextEncoder().encode(s).length;
}

function bad(why: string): SandboxError {
  return new SandboxError('bad-path', `Invalid workspace path (${why}).`);
}
