import { createContext, useContext } from 'react';
import type { LiveRuns } from '../../core/sandbox/live-runs';
import type { SandboxPort } from '../../core/sandbox/ports';

/** What the run_code card needs from the page: the sandbox (images, downloads), live output. */
export interface SandboxUi {
  sandbox: SandboxPort;
  live: LiveRuns;
}

/** Provided by the chat shell; undefined in pages without a sandbox. */
export const SandboxUiContext = createContext<SandboxUi | undefined>(undefined);

/** The page's sandbox for the run_code card. */
export const useSandboxUi = () => useContext(SandboxUiContext);
