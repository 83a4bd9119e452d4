/**
 * Checks the Firefox source package (`wxt zip -b firefox` → `nook-<version>-sources.zip`):
 * a reviewer must be able to rebuild the add-on from it (`npm ci && npm run build:firefox`),
 * and it must carry nothing private or generated.
 */

/** Files a rebuild needs. */
export const REQUIRED_SOURCES = [
  'package.json',
  'package-lock.json',
  'wxt.config.ts',
  'tsconfig.json',
  '.puppeteerrc.cjs',
  'README.md',
  'extension/entrypoints/background.ts',
];

/** Paths that must never be in the package: dependencies, build output, data, secrets. */
const FORBIDDEN = [
  /(^|\/)node_modules\//,
  /^\.output/,
  /^\.wxt\//,
  /^\.data\//,
  /(^|\/)\.env($|\.)/,
  /\.(pem|key|p12|sqlite|db)$/i,
  /\.zip$/,
];

/** Problems with the source package's file list; empty when it is complete and clean. */
export function checkSourcesPackage(names: readonly string[]): string[] {
  const have = new Set(names);
  const problems = REQUIRED_SOURCES.filter((f) => !have.has(f)).map(
    (f) => `${f} is missing (needed to rebuild).`,
  );
  for (const name of names) {
    if (FORBIDDEN.some((re) => re.test(name))) problems.push(`${name} must not be shipped.`);
  }
  return problems;
}

/** DOM sinks that turn a string into markup or code. */
const HTML_SINKS =
  /\b(innerHTML|outerHTML|insertAdjacentHTML|dangerouslySetInnerHTML|document\.write|eval)\b|new Function\(/;

/**
 * Nook's own source lines (comments aside) that use an HTML/code sink. Mozilla's linter
 * flags such sinks in the bundle; the ones it finds must all come from reviewed
 * third-party code, which this keeps true.
 */
export function findHtmlSinks(sources: ReadonlyMap<string, string>): string[] {
  const hits: string[] = [];
  for (const [file, text] of sources) {
    text.split('\n').forEach((line, i) => {
      const code = line.replace(/\/\/.*$/, '').trim();
      if (code.startsWith('*') || code.startsWith('/*')) return;
      if (HTML_SINKS.test(code)) hits.push(`${file}:${i + 1}`);
    });
  }
  return hits;
}
