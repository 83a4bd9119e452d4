/**
 * Ports of the sandbox feature. `adapters/sandbox/sandbox-client.ts` implements
 * {@link SandboxPort} over fetch + WebSocket against the relay's `/v1/sandbox/*` API;
 * `fake-sandbox.ts` beside this file is the in-memory fake used by tests.
 */
import type {
  SandboxEndFrame,
  SandboxFileEntry,
  SandboxFileList,
  SandboxLanguage,
  SandboxStatus,
} from '../../../shared/protocol';

export type { SandboxFileEntry, SandboxFileList, SandboxLanguage, SandboxStatus };

/** Where the sandbox lives: the connected relay and a fresh access token. */
export interface SandboxSession {
  baseUrl: string;
  /** A valid access token (refreshed by the relay client as needed). */
  accessToken(): Promise<string>;
}

/** The session while this browser is connected to a relay, else undefined. */
export type SandboxSessionSource = () => Promise<SandboxSession | undefined>;

/** Subscribes to "the relay connection may have changed" (sync status); returns unsubscribe. */
export type ConnectionChanges = (listener: () => void) => () => void;

/** One run. */
export interface SandboxRunInput {
  language: SandboxLanguage;
  code: string;
  timeoutMs?: number;
  /** Called with output as it is produced. */
  onOutput?: (stream: 'stdout' | 'stderr', data: string) => void;
  /** Stops waiting (the relay still ends the run at its deadline: it has no cancel). */
  signal?: AbortSignal;
  /** The conversation the run belongs to (recorded in the data-flow ledger, never sent). */
  conversationId?: string;
}

/** How a run ended (the relay's end frame without its type tag). */
export type SandboxRunEnd = Omit<SandboxEndFrame, 'type'>;

/** Everything the extension asks of the sandbox; every method throws SandboxClientError. */
export interface SandboxPort {
  /** Streams a run's output and resolves with how it ended. */
  run(input: SandboxRunInput): Promise<SandboxRunEnd>;
  listFiles(): Promise<SandboxFileList>;
  upload(path: string, bytes: Uint8Array): Promise<void>;
  download(path: string): Promise<Uint8Array>;
  deleteFile(path: string): Promise<void>;
  status(): Promise<SandboxStatus>;
  /** Deletes the container and the workspace: the next use starts empty. */
  reset(): Promise<void>;
  /** Whether a relay is connected at all (no request made). */
  connected(): Promise<boolean>;
  /** Whether the connected relay runs a sandbox (`GET /healthz`, no token). */
  sandboxOn(): Promise<boolean>;
}
