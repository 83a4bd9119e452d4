import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { accountHash, sandboxName } from '../relay/sandbox/container-spec';
import { createDockerRunner } from '../relay/sandbox/docker-runner';
import type { SandboxRunner } from '../relay/sandbox/runner';
import { percentile, round, timeRuns } from './stats';
import type { BenchResult } from './types';

const run = promisify(execFile);
const INSTANCE = 'bench';
const KEY = 'bench-key';
const HELLO = 'print("hello")';

/** The sandbox image: NOOK_SANDBOX_IMAGE, else built (or reused) by the build script. */
function sandboxImage(): string {
  const fromEnv = process.env.NOOK_SANDBOX_IMAGE;
  if (fromEnv) return fromEnv;
  const out = execFileSync('bash', ['scripts/build-sandbox-image.sh'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return out.toString().trim().split('\n').pop() ?? '';
}

/**
 * Sandbox benchmarks against the real daemon: warm run latency vs `docker exec` and
 * `docker run --rm` measured in the same process (ratios survive a noisy machine), first
 * use, throughput over 10 accounts, and how far runs overshoot the deadline and the
 * output cap. Timings are reported, never asserted.
 */
export async function benchSandbox(): Promise<BenchResult[]> {
  const image = sandboxImage();
  const runner = createDockerRunner({
    image,
    instance: INSTANCE,
    accountKey: KEY,
    limits: { maxConcurrentRuns: 10, outputCapBytes: 256 * 1024 },
  });
  const accounts = new Set<string>();
  const use = (a: string) => (accounts.add(a), a);
  const results: BenchResult[] = [];
  try {
    // Warm Python hello through the runner: call → end frame (all output delivered).
    const warm = await timeRuns(40, () => hello(runner, use('warm')), 3);
    const container = sandboxName(INSTANCE, accountHash('warm', KEY));
    const exec = await timeRuns(
      15,
      () => run('docker', ['exec', container, 'python3', '-c', HELLO]),
      2,
    );
    const cold = await timeRuns(5, () =>
      run('docker', [
        'run',
        '--rm',
        '--network',
        'none',
        '--read-only',
        image,
        'python3',
        '-c',
        HELLO,
      ]),
    );
    const warmP50 = percentile(warm, 50);
    results.push({
      name: 'sandbox warm python hello (runner)',
      unit: 'ms',
      p50: round(warmP50),
      p95: round(percentile(warm, 95)),
    });
    for (const [name, sample] of [
      ['docker exec python hello (CLI)', exec],
      ['docker run --rm python hello (CLI)', cold],
    ] as const) {
      const p50 = percentile(sample, 50);
      results.push({
        name,
        unit: 'ms',
        p50: round(p50),
        p95: round(percentile(sample, 95)),
        baseline: { name: 'sandbox warm python hello (runner)', value: round(warmP50) },
        ratio: round(p50 / warmP50),
        note: 'ratio = this p50 / runner p50 (CLI timings include the docker client start)',
      });
    }

    // First use: volume + container create, start, attach, hello, run.
    let n = 0;
    const first = await timeRuns(
      5,
      async () => {
        const a = use(`first-${n++}`);
        await hello(runner, a);
      },
      0,
    );
    results.push({
      name: 'sandbox first use (create + start + run)',
      unit: 'ms',
      p50: round(percentile(first, 50)),
      p95: round(percentile(first, 95)),
    });

    // Throughput: 10 warm accounts, 5 runs each, accounts in parallel.
    const ten = Array.from({ length: 10 }, (_, i) => use(`tp-${i}`));
    await Promise.all(ten.map((a) => runner.ensure(a)));
    const t0 = performance.now();
    await Promise.all(
      ten.map(async (a) => {
        for (let i = 0; i < 5; i++) await hello(runner, a);
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    results.push({
      name: 'sandbox throughput, 10 accounts',
      unit: 'runs/s',
      value: round(50 / seconds),
      note: `${CPUS()} CPUs`,
    });

    // Deadline overshoot: a CPU spin with a 1 s limit.
    const over: number[] = [];
    await runner.ensure(use('spin'));
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      const r = await runner.run(use('spin'), {
        language: 'python',
        code: 'while True: pass',
        timeoutMs: 1000,
      });
      over.push(performance.now() - t - 1000);
      if (!r.timedOut) throw new Error('spin was not timed out');
    }
    results.push({
      name: 'sandbox timeout overshoot (1 s deadline)',
      unit: 'ms',
      p50: round(percentile(over, 50)),
      p95: round(percentile(over, 95)),
    });

    // Output cap overshoot: bytes delivered past the cap (0 = exact) and time to stop.
    let delivered = 0;
    await runner.ensure(use('yes'));
    const t = performance.now();
    const r = await runner.run(use('yes'), {
      language: 'shell',
      code: 'yes',
      onOutput: (f) => (delivered += Buffer.byteLength(f.data)),
    });
    results.push({
      name: 'sandbox output cap overshoot',
      unit: 'bytes',
      value: delivered - 256 * 1024,
      note: `truncated=${r.outputTruncated}, stopped after ${round(performance.now() - t)} ms`,
    });
  } finally {
    for (const a of accounts) await runner.removeAccount(a).catch(() => undefined);
    await runner.close();
  }
  return results;
}

async function hello(runner: SandboxRunner, account: string): Promise<void> {
  const r = await runner.run(account, { language: 'python', code: HELLO });
  if (r.exitCode !== 0) throw new Error('benchmark run failed');
}

function CPUS(): number {
  return Number(execFileSync('nproc').toString().trim());
}
