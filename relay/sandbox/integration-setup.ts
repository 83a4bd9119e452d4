import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    sandboxImage: string;
  }
}

/**
 * Vitest global setup for the sandbox integration suite: fails loudly (never skips) when
 * no Docker daemon answers, and builds or reuses the sandbox image.
 */
export default function setup(project: TestProject): void {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 20_000 });
  } catch {
    throw new Error(
      'No Docker daemon answers. Start one with `bash scripts/dockerd.sh ensure .tmp/dockerd .tmp/dockerd/pid`.',
    );
  }
  let image = process.env.NOOK_SANDBOX_IMAGE;
  if (!image) {
    const script = fileURLToPath(new URL('../../scripts/build-sandbox-image.sh', import.meta.url));
    const out = execFileSync('bash', [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    image = out.toString().trim().split('\n').pop() ?? '';
  }
  execFileSync('docker', ['image', 'inspect', image], { stdio: 'ignore' });
  project.provide('sandboxImage', image);
}
