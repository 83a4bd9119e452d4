// @vitest-environment happy-dom
/**
 * Streaming throughput of <MarkdownView>: how many tokens per second of CPU the view can
 * absorb (delta handling + throttled renders), for a long mixed answer. Not a test:
 * run with `npx vitest bench --run extension/ui/markdown`; figures are printed, never
 * asserted. The side panel needs ≥ 1,000 tokens/s with room to spare.
 */
import { act, cleanup, render } from '@testing-library/react';
import { test, vi } from 'vitest';
import { MarkdownView } from './markdown-view.tsx';

const CHARS_PER_TOKEN = 4;
/** Simulated arrival rate: one token per millisecond (1,000 tokens/s). */
const MS_PER_TOKEN = 1;

function sampleAnswer(sections: number): string {
  const parts: string[] = [];
  for (let i = 0; i < sections; i += 1) {
    parts.push(
      `## Step ${i}\n\nHere is an explanation with **bold**, \`inline code\` and a ` +
        `[link](https://example.com/docs/${i}). It goes on for a while to look like prose.\n\n` +
        `- first point about ${i}\n- second point\n  - nested detail\n\n` +
        '```ts\n' +
        `export function step${i}(input: string): number {\n  const parts = input.split(',');\n` +
        `  return parts.length * ${i};\n}\n` +
        '```\n\n' +
        `| key | value |\n|-----|-------|\n| a | ${i} |\n\n`,
    );
  }
  return parts.join('');
}

/** Baseline: the same stream into a bare paragraph (harness + React overhead only). */
function Bare({ text }: { text: string; streaming?: boolean }) {
  return <p>{text}</p>;
}

type View = typeof MarkdownView | typeof Bare;

/** Streams `answer` token by token into `View`; returns CPU milliseconds spent. */
function stream(answer: string, View: View = MarkdownView): number {
  // Fake timers for the throttle only: performance.now stays real for the cost measure.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  try {
    const { rerender } = render(<View text="" streaming />);
    const started = performance.now();
    for (let end = CHARS_PER_TOKEN; end < answer.length; end += CHARS_PER_TOKEN) {
      const text = answer.slice(0, end);
      act(() => rerender(<View text={text} streaming />));
      act(() => vi.advanceTimersByTime(MS_PER_TOKEN));
    }
    act(() => rerender(<View text={answer} />));
    return performance.now() - started;
  } finally {
    vi.useRealTimers();
    cleanup();
  }
}

// Vitest 5 runs `*.bench.tsx` only under `vitest bench`; a plain test body is enough here
// because one long streaming run is the measurement (no Tinybench repetition needed).
test('MarkdownView streaming throughput (printed, not asserted)', () => {
  const lines: string[] = [];
  for (const sections of [10, 40, 100]) {
    const answer = sampleAnswer(sections);
    const tokens = Math.ceil(answer.length / CHARS_PER_TOKEN);
    const ms = stream(answer);
    const bare = stream(answer, Bare);
    lines.push(
      `${tokens} tokens (${Math.round(answer.length / 1024)} KB): ` +
        `${Math.round((tokens / ms) * 1000)} tokens/s of CPU ` +
        `(${Math.round(ms)} ms of work for ${tokens * MS_PER_TOKEN} ms of stream; ` +
        `bare <p> baseline ${Math.round(bare)} ms, ratio ${(ms / bare).toFixed(1)}×)`,
    );
  }
  console.warn(lines.join('\n'));
});
