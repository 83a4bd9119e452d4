import { useEffect, useLayoutEffect, useRef, useState } from 'react';

/** Shortest pause between two renders of a streaming answer (~20 frames per second). */
export const STREAM_RENDER_INTERVAL_MS = 50;
/** Longest pause: a very costly answer still visibly progresses. */
export const STREAM_RENDER_MAX_INTERVAL_MS = 1_000;

/**
 * While `streaming`, return `text` at most once per interval (the latest value, trailing
 * edge included, so the last delta always shows); otherwise return it as is. Deltas can
 * arrive a thousand times a second: rendering each one would spend the panel's time on
 * frames nobody sees. The interval adapts to what the last render cost (twice that,
 * within bounds), so even a pathological answer leaves the main thread mostly idle.
 */
export function useThrottledText(text: string, streaming: boolean): string {
  const [shown, setShown] = useState(text);
  const lastCommit = useRef(0);
  const lastCost = useRef(0);

  // Layout effects of this component run after its whole subtree rendered and
  // committed: the difference is what showing this text cost.
  const renderStarted = performance.now();
  useLayoutEffect(() => {
    lastCost.current = performance.now() - renderStarted;
  });

  useEffect(() => {
    if (!streaming || text === shown) return undefined;
    const interval = Math.min(
      STREAM_RENDER_MAX_INTERVAL_MS,
      Math.max(STREAM_RENDER_INTERVAL_MS, 2 * lastCost.current),
    );
    const commit = (): void => {
      lastCommit.current = Date.now();
      setShown(text);
    };
    const wait = lastCommit.current + interval - Date.now();
    if (wait <= 0) {
      commit();
      return undefined;
    }
    const timer = setTimeout(commit, wait);
    return () => clearTimeout(timer);
  }, [text, streaming, shown]);

  // A text that does not extend what is shown (regenerate, edit) is shown at once.
  return streaming && text.startsWith(shown) ? shown : text;
}
