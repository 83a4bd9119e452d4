import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * The e2e builds: the extension built with `NOOK_E2E=1`, which adds test-only hooks that
 * store builds never contain (the Firefox context-menu click, see
 * extension/adapters/browser/context-menu-adapter.ts). Made on demand by the suites that
 * need them, into `.output-e2e` (or NOOK_E2E_OUT_DIR), and rebuilt when the sources
 * changed since, so `npm test` and a single e2e file both get a fresh one.
 */

/** Where the e2e builds go: NOOK_E2E_OUT_DIR, else `.output-e2e`. */
export const E2E_OUT_DIR = path.resolve(process.env.NOOK_E2E_OUT_DIR ?? '.output-e2e');

/** What goes into a build: a change here means the e2e build is stale. */
const INPUTS = [
  'extension',
  'shared',
  'wxt.config.ts',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
];
const WXT = path.resolve('node_modules/.bin/wxt');
const run = promisify(execFile);

function listFiles(entry: string, out: string[]): void {
  const stat = fs.statSync(entry, { throwIfNoEntry: false });
  if (!stat) return;
  if (stat.isFile()) {
    if (!/\.test\.tsx?$/.test(entry)) out.push(entry);
    return;
  }
  for (const name of fs.readdirSync(entry).sort()) listFiles(path.join(entry, name), out);
}

/** A hash of every build input's path and content (plus the flag itself). */
export function sourceFingerprint(): string {
  const files: string[] = [];
  for (const input of INPUTS) listFiles(input, files);
  const hash = createHash('sha256').update('NOOK_E2E=1\n');
  for (const f of files) hash.update(`${f}\n`).update(fs.readFileSync(f)).update('\n');
  return hash.digest('hex');
}

async function withLock<T>(lockDir: string, fn: () => Promise<T>): Promise<T> {
  const end = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      // A lock left by a run that was killed mid-build: builds take well under 5 minutes.
      const age = Date.now() - (fs.statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs ?? 0);
      if (age > 5 * 60_000) fs.rmSync(lockDir, { recursive: true, force: true });
      else if (Date.now() > end)
        throw new Error(`${lockDir} stays locked: is a build stuck?`, { cause: e });
      else await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

/**
 * Returns the folder of the e2e build for `browser` (`…/chrome-mv3` or `…/firefox-mv3`),
 * building it first with `NOOK_E2E=1` when it is missing or older than the sources.
 */
export async function e2eBuild(browser: 'chrome' | 'firefox'): Promise<string> {
  const dir = path.join(E2E_OUT_DIR, `${browser}-mv3`);
  const stamp = path.join(E2E_OUT_DIR, `${browser}.fingerprint`);
  fs.mkdirSync(E2E_OUT_DIR, { recursive: true });
  return withLock(path.join(E2E_OUT_DIR, `${browser}.lock`), async () => {
    const want = sourceFingerprint();
    const fresh =
      fs.existsSync(path.join(dir, 'manifest.json')) &&
      fs.existsSync(stamp) &&
      fs.readFileSync(stamp, 'utf8') === want;
    if (fresh) return dir;
    fs.rmSync(stamp, { force: true });
    try {
      await run(WXT, ['build', '-b', browser], {
        env: { ...process.env, NOOK_E2E: '1', NOOK_OUT_DIR: E2E_OUT_DIR },
        maxBuffer: 64 * 1024 * 1024,
      });
    } catch (e) {
      const out = e as { stdout?: string; stderr?: string };
      const log = `${out.stdout ?? ''}${out.stderr ?? ''}`.split('\n').slice(-30).join('\n');
      throw new Error(`the e2e build (NOOK_E2E=1 wxt build -b ${browser}) failed:\n${log}`, {
        cause: e,
      });
    }
    fs.writeFileSync(stamp, want);
    return dir;
  });
}

/** Files under `dir` whose text contains `needle` (relative paths). */
export function filesContaining(dir: string, needle: string): string[] {
  const files: string[] = [];
  listFiles(dir, files);
  return files.filter((f) => fs.readFileSync(f).includes(needle)).map((f) => path.relative(dir, f));
}
