/**
 * `npm run zip`: builds and zips Nook for both stores, then lints each package.
 *
 * - `wxt zip -b chrome`  → `<out>/nook-<version>-chrome.zip`
 * - `wxt zip -b firefox` → `<out>/nook-<version>-firefox.zip` and the source package
 *   `<out>/nook-<version>-sources.zip` that addons.mozilla.org asks for (what goes in is
 *   set by `zip` in wxt.config.ts).
 * - Firefox: Mozilla's linter (`web-ext lint`, i.e. addons-linter, from node_modules; no
 *   update check, nothing downloaded). Errors and warnings fail, except
 *   UNSAFE_VAR_ASSIGNMENT: it flags innerHTML inside react-dom, highlight.js and the
 *   Markdown parser (entity decoding on a detached element), which AMO reviews by hand;
 *   instead Nook's own source must use no HTML/code sink at all (findHtmlSinks).
 * - Chrome: the offline check in zip-chrome-check.ts.
 * - The source package: holds what a reviewer needs to rebuild and nothing private.
 *
 * Exits non-zero on any finding. `<out>` is NOOK_OUT_DIR or `.output`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { checkChromePackage } from './zip-chrome-check';
import { checkSourcesPackage, findHtmlSinks } from './zip-sources-check';

const REVIEWED_WARNING = 'UNSAFE_VAR_ASSIGNMENT';
const outDir = path.resolve(process.env.NOOK_OUT_DIR ?? '.output');
const version = (JSON.parse(fs.readFileSync('package.json', 'utf8')) as { version: string })
  .version;

function wxtZip(browser: 'chrome' | 'firefox'): void {
  const r = spawnSync('npx', ['wxt', 'zip', '-b', browser], { stdio: 'inherit', env: process.env });
  if (r.status !== 0) throw new Error(`wxt zip -b ${browser} failed`);
}

function readZip(file: string): Map<string, Uint8Array> {
  const entries = unzipSync(fs.readFileSync(file));
  return new Map(Object.entries(entries).filter(([name]) => !name.endsWith('/')));
}

async function lintFirefox(zip: string): Promise<string[]> {
  // web-ext lints a folder: unpack the exact zip that would be uploaded.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nook-lint-'));
  try {
    for (const [name, bytes] of readZip(zip)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), bytes);
    }
    // The programmatic entry point skips web-ext's update check (no network at run time).
    const { default: webExt } = await import('web-ext');
    const result = await webExt.cmd.lint(
      { sourceDir: dir, output: 'none', warningsAsErrors: false, selfHosted: false },
      { shouldExitProgram: false },
    );
    const reviewed = result.warnings.filter((m) => m.code === REVIEWED_WARNING);
    if (reviewed.length > 0) {
      console.log(`  (${reviewed.length} ${REVIEWED_WARNING} warnings in bundled libraries)`);
    }
    return [...result.errors, ...result.warnings.filter((m) => m.code !== REVIEWED_WARNING)].map(
      (m) => `${m.code}: ${m.message}${m.file ? ` (${m.file})` : ''}`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** extension/ and shared/ sources, tests aside. */
function ownSources(): Map<string, string> {
  const out = new Map<string, string>();
  for (const root of ['extension', 'shared']) {
    for (const f of fs.readdirSync(root, { recursive: true, encoding: 'utf8' })) {
      if (!/\.tsx?$/.test(f) || /\.test\.tsx?$/.test(f)) continue;
      const file = path.join(root, f);
      out.set(file, fs.readFileSync(file, 'utf8'));
    }
  }
  return out;
}

async function main(): Promise<void> {
  wxtZip('chrome');
  wxtZip('firefox');
  const chromeZip = path.join(outDir, `nook-${version}-chrome.zip`);
  const firefoxZip = path.join(outDir, `nook-${version}-firefox.zip`);
  const sourcesZip = path.join(outDir, `nook-${version}-sources.zip`);
  const findings: [string, string[]][] = [
    ['Chrome package (offline store check)', checkChromePackage(readZip(chromeZip))],
    ['Firefox package (web-ext lint)', await lintFirefox(firefoxZip)],
    ['Firefox source package', checkSourcesPackage([...readZip(sourcesZip).keys()])],
    ["HTML/code sinks in Nook's own code", findHtmlSinks(ownSources())],
  ];
  let failed = false;
  for (const [what, problems] of findings) {
    if (problems.length === 0) {
      console.log(`✔ ${what}: clean`);
      continue;
    }
    failed = true;
    console.error(`✖ ${what}: ${problems.length} problem(s)`);
    for (const p of problems) console.error(`  - ${p}`);
  }
  for (const f of [chromeZip, firefoxZip, sourcesZip]) {
    console.log(
      `  ${path.relative(process.cwd(), f)}  ${(fs.statSync(f).size / 1024).toFixed(0)} KiB`,
    );
  }
  if (failed) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(`zip: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
