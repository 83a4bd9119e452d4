import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { SandboxOutputFrame } from '../../shared/protocol/sandbox';
import { accountHash, sandboxName } from './container-spec';
import { createDockerRunner, type DockerRunnerConfig } from './docker-runner';
import type { RunOptions, RunResult, SandboxRunner } from './runner';

/**
 * Helpers for the *.integration.test.ts files (real daemon). Every suite gets its own
 * `instance` so names and labels never collide with a running relay or another suite.
 */

export const TEST_KEY = 'integration-test-key';

/** A fresh instance name, e.g. `it-3fa9c2`. */
export function testInstance(): string {
  return `it-${randomBytes(3).toString('hex')}`;
}

/** A Docker runner with small, test-friendly limits; override anything. */
export function testRunner(
  image: string,
  instance: string,
  overrides: Partial<DockerRunnerConfig> = {},
): SandboxRunner {
  return createDockerRunner({
    image,
    instance,
    accountKey: TEST_KEY,
    idleCheckIntervalMs: 0,
    resources: { memoryBytes: 256 * 1024 * 1024, tmpBytes: 16 * 1024 * 1024 },
    ...overrides,
    limits: { defaultTimeoutMs: 20_000, ...overrides.limits },
  });
}

/** Runs code and collects its output per stream. */
export async function runCollect(
  runner: SandboxRunner,
  account: string,
  options: Omit<RunOptions, 'onOutput'>,
): Promise<RunResult & { stdout: string; stderr: string; frames: SandboxOutputFrame[] }> {
  const frames: SandboxOutputFrame[] = [];
  const result = await runner.run(account, { ...options, onOutput: (f) => frames.push(f) });
  const join = (s: string) =>
    frames
      .filter((f) => f.stream === s)
      .map((f) => f.data)
      .join('');
  return { ...result, stdout: join('stdout'), stderr: join('stderr'), frames };
}

/** The docker CLI (tests inspect the daemon independently of the code under test). */
export function docker(...args: string[]): string {
  return execFileSync('docker', args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/** Container (and volume) name of an account under a test instance. */
export function nameOf(instance: string, account: string): string {
  return sandboxName(instance, accountHash(account, TEST_KEY));
}

/** Removes every container and volume of a test instance (afterAll safety net). */
export function removeInstance(instance: string): void {
  const filter = `label=nook.instance=${instance}`;
  const ids = docker('ps', '-aq', '--filter', filter).split('\n').filter(Boolean);
  if (ids.length) docker('rm', '-f', ...ids);
  const vols = docker('volume', 'ls', '-q', '--filter', filter).split('\n').filter(Boolean);
  if (vols.length) docker('volume', 'rm', '-f', ...vols);
}
