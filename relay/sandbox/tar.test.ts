import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { SandboxError } from './errors';
import { buildSingleFileTar, parseSingleFileTar } from './tar';

const bytes = (s: string) => new TextEncoder().encode(s);
const work = mkdtempSync(join(tmpdir(), 'nook-tar-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** An archive made by GNU tar from `entries` (created inside a scratch directory). */
function gnuTar(name: string, make: (dir: string) => void, members: string[]): Uint8Array {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  make(dir);
  return new Uint8Array(execFileSync('tar', ['-C', dir, '-cf', '-', ...members]));
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof SandboxError ? err.code : 'not-a-sandbox-error';
  }
  return undefined;
}

describe('buildSingleFileTar', () => {
  it('builds an archive GNU tar reads back with the same name, size, owner and content', () => {
    const tar = buildSingleFileTar('report.csv', bytes('a,b\n1,2\n'), { mtimeSec: 1_700_000_000 });
    const listing = execFileSync('tar', ['-tv', '--numeric-owner'], { input: tar }).toString();
    expect(listing).toMatch(/^-rw-r--r-- 1000\/1000\s+8 .* report\.csv\n$/);
    expect(execFileSync('tar', ['-xO'], { input: tar }).toString()).toBe('a,b\n1,2\n');
  });

  it('keeps long and non-ASCII names intact (PAX record), as GNU tar sees them', () => {
    const name = `${'d'.repeat(120)}-é-文件.txt`;
    const tar = buildSingleFileTar(name, bytes('x'));
    expect(execFileSync('tar', ['-t'], { input: tar }).toString()).toBe(`${name}\n`);
    expect(parseSingleFileTar(tar, 10).name).toBe(name);
  });

  it('round-trips any content and any valid name (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 3000 }),
        fc.stringMatching(/^[a-zA-Z0-9._ -]{1,200}$/),
        (content, name) => {
          const parsed = parseSingleFileTar(buildSingleFileTar(name, content), 4096);
          expect(parsed.name).toBe(name);
          expect(Buffer.from(parsed.bytes).equals(Buffer.from(content))).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('parseSingleFileTar (attacks on download)', () => {
  it('reads a regular file archived by GNU tar', () => {
    const tar = gnuTar('plain', (d) => writeFileSync(join(d, 'f.txt'), 'hello'), ['f.txt']);
    expect(Buffer.from(parseSingleFileTar(tar, 100).bytes).toString()).toBe('hello');
  });

  it('refuses a symlink entry (no link is ever followed or returned)', () => {
    const tar = gnuTar('link', (d) => symlinkSync('/etc/shadow', join(d, 'l')), ['l']);
    expect(codeOf(() => parseSingleFileTar(tar, 100))).toBe('not-regular-file');
  });

  it('refuses a directory', () => {
    const tar = gnuTar('dir', (d) => mkdirSync(join(d, 'sub')), ['sub']);
    expect(codeOf(() => parseSingleFileTar(tar, 100))).toBe('not-regular-file');
  });

  it('refuses a hard link entry', () => {
    const tar = gnuTar(
      'hard',
      (d) => {
        writeFileSync(join(d, 'a'), 'x');
        execFileSync('ln', [join(d, 'a'), join(d, 'b')]);
      },
      ['a', 'b'],
    );
    // Two entries (and the second a hard link): never a single regular file.
    expect(codeOf(() => parseSingleFileTar(tar, 100))).toMatch(/not-regular-file|unavailable/);
  });

  it('refuses an archive with two files', () => {
    const tar = gnuTar(
      'two',
      (d) => {
        writeFileSync(join(d, 'a'), '1');
        writeFileSync(join(d, 'b'), '2');
      },
      ['a', 'b'],
    );
    expect(codeOf(() => parseSingleFileTar(tar, 100))).toBe('unavailable');
  });

  it('refuses a file over the size cap', () => {
    const tar = buildSingleFileTar('big', new Uint8Array(2000));
    expect(codeOf(() => parseSingleFileTar(tar, 1999))).toBe('too-large');
    expect(parseSingleFileTar(tar, 2000).bytes.length).toBe(2000);
  });

  it('refuses a corrupted header (checksum) and a truncated archive', () => {
    const tar = buildSingleFileTar('f', bytes('hello'));
    const corrupt = tar.slice();
    corrupt[0] = 'g'.charCodeAt(0);
    expect(codeOf(() => parseSingleFileTar(corrupt, 100))).toBe('unavailable');
    expect(codeOf(() => parseSingleFileTar(tar.subarray(0, 514), 100))).toBe('unavailable');
    expect(codeOf(() => parseSingleFileTar(new Uint8Array(1024), 100))).toBe('unavailable');
  });

  it('refuses a header that claims more data than the archive holds', () => {
    const tar = buildSingleFileTar('f', bytes('hello'));
    const lie = tar.slice();
    // Rewrite the size field to 0o7777 and fix the checksum so only the size lies.
    lie.set(bytes('00000007777\0'), 124);
    lie.fill(0x20, 148, 156);
    const sum = lie.subarray(0, 512).reduce((a, b) => a + b, 0);
    lie.set(bytes(sum.toString(8).padStart(6, '0') + '\0 '), 148);
    expect(codeOf(() => parseSingleFileTar(lie, 1 << 20))).toBe('unavailable');
  });
});
