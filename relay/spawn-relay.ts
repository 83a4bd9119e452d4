/**
 * Spawns the real relay process for process-level tests. By default it runs
 * `node --import tsx relay/server.ts`; `bundleRelay()` first bundles the same source with
 * esbuild (tsx's own transpiler) so that tests restarting the relay dozens of times do not
 * pay tsx's per-file transpile on every start.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface RelayProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Node arguments that start the relay. */
export type RelayEntry = { args: string[]; cleanup: () => void };

/**
 * Bundles relay/server.ts (dependencies stay external) into .tmp/ inside the repo, so
 * node_modules resolve as usual. Falls back to tsx if esbuild is unavailable.
 */
export async function bundleRelay(): Promise<RelayEntry> {
  const dir = fs.mkdtempSync(path.join(ROOT, '.tmp', 'relay-bundle-'));
  const outfile = path.join(dir, 'server.mjs');
  try {
    const esbuild = await import('esbuild');
    await esbuild.build({
      entryPoints: [path.join(ROOT, 'relay/server.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      outfile,
      logLevel: 'silent',
    });
    return { args: [outfile], cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
  } catch {
    fs.rmSync(dir, { recursive: true, force: true });
    return { args: ['--import', 'tsx', 'relay/server.ts'], cleanup: () => undefined };
  }
}

/** Starts the relay with `env` (on top of PATH/HOME) and resolves once it listens. */
export async function spawnRelay(
  env: Record<string, string>,
  args: string[] = ['--import', 'tsx', 'relay/server.ts'],
): Promise<RelayProcess> {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /Server listening at (https?:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m?.[1] !== undefined) resolve(m[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    void exited.then(({ code }) =>
      reject(new Error(`relay exited (${code}) before listening:\n${out}`)),
    );
  });
  return { child, url, output: () => out, exited };
}
