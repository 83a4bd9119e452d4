/**
 * The sandbox for one extension page: the relay client (HTTP + a WebSocket per run), the
 * Files panel and Options → Sandbox stores, and the run_code tool offered to the model.
 */
import { createSandboxAvailability } from '../../core/sandbox/availability';
import type { ConnectionChanges, SandboxSessionSource } from '../../core/sandbox/ports';
import { createSandboxFilesStore } from '../../core/sandbox/files-store';
import { createLiveRuns } from '../../core/sandbox/live-runs';
import { createRunCodeTool } from '../../core/sandbox/run-code-tool';
import { createSandboxStatusStore } from '../../core/sandbox/status-store';
import type { ChatTool } from '../../core/tools/types';
import type { Fetch } from './sandbox-http';
import { createSandboxClient, type SandboxClientOptions } from './sandbox-client';

export { createSandboxClient, encodeWorkspacePath } from './sandbox-client';

/**
 * Builds the page's sandbox services. `session` is `sync.relaySession` (undefined while not
 * connected); `changes` is `sync.subscribe` (connect/disconnect in any page); `fetch` and
 * `openSocket` are the page's ledger-recording fetch and socket opener.
 */
export function createSandboxServices(o: {
  session: SandboxSessionSource;
  changes?: ConnectionChanges;
  fetch?: Fetch;
  /** Opens a run's socket (the page's ledger-recording opener). */
  openSocket?: SandboxClientOptions['openSocket'];
}) {
  const client = createSandboxClient({
    session: o.session,
    ...(o.fetch ? { fetch: o.fetch } : {}),
    ...(o.openSocket ? { openSocket: o.openSocket } : {}),
  });
  const availability = createSandboxAvailability(client, {
    ...(o.changes ? { changes: o.changes } : {}),
  });
  const live = createLiveRuns();
  const runCode = createRunCodeTool(client, live);
  return {
    client,
    files: createSandboxFilesStore(client, o.changes),
    status: createSandboxStatusStore(client, o.changes),
    runCode,
    /**
     * The sandbox tools to offer the model now: run_code while a relay with a sandbox is
     * connected, nothing otherwise (read synchronously before each answer).
     */
    tools: (): ChatTool[] => (availability.available() ? [runCode] : []),
    availability,
    /** Output of the runs in progress (memory only), for the run_code cards. */
    live,
  };
}

/** The page's sandbox services. */
export type SandboxServices = ReturnType<typeof createSandboxServices>;
