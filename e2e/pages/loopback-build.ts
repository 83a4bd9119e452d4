import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A copy of a build whose manifest already grants http://127.0.0.1/*, as if the user had
 * pressed Allow once: the browser's permissions.request prompt cannot be clicked headless.
 * The journeys run this copy; the caller removes the folder.
 */

/** Copies `build` into a fresh temp folder (named from `prefix`) and grants the loopback host. */
export function grantLoopback(build: string, prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.cpSync(build, dir, { recursive: true });
  const file = path.join(dir, 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as { host_permissions: string[] };
  manifest.host_permissions.push('http://127.0.0.1/*');
  fs.writeFileSync(file, JSON.stringify(manifest));
  return dir;
}
