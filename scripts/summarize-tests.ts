// Prints one closing line for the whole `npm test` run from the Vitest JSON reports:
// "nook: N passed, N failed, N skipped" (and fails if a suite report is missing).
import fs from 'node:fs';
import path from 'node:path';

const [dir = '.', seconds = '?', expected = ''] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
const rows: string[] = [];
for (const file of fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()) {
  const r = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  const p = r.numPassedTests ?? 0;
  const f = (r.numFailedTests ?? 0) + (r.numFailedTestSuites ?? 0);
  const s = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  passed += p;
  failed += f;
  skipped += s;
  rows.push(`  ${path.basename(file, '.json').padEnd(10)} ${p} passed, ${f} failed, ${s} skipped`);
}
// A suite whose runner crashed writes no report: count it as a failure, by name.
const missing = expected
  .split(',')
  .filter((name) => name !== '' && !fs.existsSync(path.join(dir, `${name}.json`)));
for (const name of missing) {
  failed += 1;
  rows.push(`  ${name.padEnd(10)} no report: the suite crashed before it finished`);
}
console.log(`\nSuites (${seconds}s):\n${rows.join('\n')}`);
console.log(`nook: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || rows.length === 0 ? 1 : 0);
