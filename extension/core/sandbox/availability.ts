/**
 * Whether run_code should be offered to the model: only while this browser is connected to
 * a relay that runs a sandbox. The chat engine reads the tool list synchronously before each
 * answer, so the answer is cached and re-checked in the background: when the connection
 * changes (sync status) and when the cached answer is stale (`maxAgeMs`, 5 s while off).
 */
import type { ConnectionChanges, SandboxPort } from './ports';

/** Creates the availability cache and starts the first check. */
export function createSandboxAvailability(
  sandbox: SandboxPort,
  o: { changes?: ConnectionChanges; now?: () => number; maxAgeMs?: number } = {},
) {
  const now = o.now ?? Date.now;
  const maxAgeMs = o.maxAgeMs ?? 60_000;
  // "Off" is re-checked sooner: it is also the answer while locked, before the first unlock.
  const offMaxAgeMs = Math.min(maxAgeMs, 5_000);
  let on = false;
  let wasConnected: boolean | undefined;
  let checkedAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<boolean> | undefined;

  function check(): Promise<boolean> {
    inFlight ??= (async () => {
      try {
        wasConnected = await sandbox.connected();
        on = wasConnected && (await sandbox.sandboxOn());
      } catch {
        on = false; // relay down or signed out: nothing to offer until it answers again
      } finally {
        checkedAt = now();
        inFlight = undefined;
      }
      return on;
    })();
    return inFlight;
  }

  void check();
  // Sync status changes on every pass; only a connect/disconnect needs a new check.
  o.changes?.(() => {
    void sandbox.connected().then(
      (c) => c !== wasConnected && void check(),
      () => undefined,
    );
  });

  return {
    /** The cached answer; starts a re-check when it is stale. */
    available(): boolean {
      if (now() - checkedAt > (on ? maxAgeMs : offMaxAgeMs)) void check();
      return on;
    },
    /** Checks now (tests, and pages that want a fresh answer). */
    check,
  };
}
