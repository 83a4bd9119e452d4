import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SandboxError } from './errors';
import { MAX_PATH_BYTES, validateWorkspacePath } from './paths';

function rejects(path: string): boolean {
  try {
    validateWorkspacePath(path);
    return false;
  } catch (err) {
    expect(err).toBeInstanceOf(SandboxError);
    expect((err as SandboxError).code).toBe('bad-path');
    // The error never echoes the (user-chosen) path back.
    if (path.length > 3) expect((err as Error).message).not.toContain(path);
    return true;
  }
}

describe('validateWorkspacePath', () => {
  it('accepts and normalises ordinary relative paths', () => {
    expect(validateWorkspacePath('data/report.csv').path).toBe('data/report.csv');
    expect(validateWorkspacePath('./a//b/./c.txt/').path).toBe('a/b/c.txt');
    expect(validateWorkspacePath('a/b').segments).toEqual(['a', 'b']);
    // NFC: a decomposed é becomes the composed one, so one name has one spelling.
    expect(validateWorkspacePath('caf\u0065\u0301.txt').path).toBe('caf\u00e9.txt');
  });

  it('attack: parent traversal is rejected wherever it appears', () => {
    for (const p of ['..', '../x', 'a/../../etc/passwd', 'a/..', 'a/./../b']) {
      expect(rejects(p)).toBe(true);
    }
  });

  it('attack: absolute paths are rejected', () => {
    for (const p of ['/etc/passwd', '/', '\\windows', '//double']) expect(rejects(p)).toBe(true);
  });

  it('attack: NUL and control characters are rejected', () => {
    for (const p of ['a\0b', 'file.txt\0.png', 'new\nline', 'tab\there', 'del\u007f', 'c1\u0085']) {
      expect(rejects(p)).toBe(true);
    }
  });

  it('attack: a 4 KB name, a 256-byte segment and a too-deep path are rejected', () => {
    expect(rejects('a'.repeat(4096))).toBe(true);
    expect(rejects(`${'b'.repeat(256)}.txt`)).toBe(true);
    expect(rejects(Array.from({ length: 40 }, () => 'd').join('/'))).toBe(true);
    expect(rejects('é'.repeat(MAX_PATH_BYTES / 2 + 1))).toBe(true);
    expect(validateWorkspacePath('é'.repeat(100)).path.length).toBe(100);
  });

  it('attack: empty or dot-only paths and backslashes are rejected', () => {
    for (const p of ['', '.', './', '//', 'a\\..\\b']) expect(rejects(p)).toBe(true);
  });

  it('never returns a path that escapes the workspace (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (p) => {
        let out: string;
        try {
          out = validateWorkspacePath(p).path;
        } catch {
          return;
        }
        expect(out.startsWith('/')).toBe(false);
        expect(out.split('/')).not.toContain('..');
        expect(out.split('/')).not.toContain('');
        expect(out.includes('\0')).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});
