import { useSyncExternalStore } from 'react';
import { liveRunKey } from '../../core/sandbox/live-runs';
import { readRunCodeDisplay } from '../../core/sandbox/run-code-display';
import { RUN_CODE } from '../../core/sandbox/run-code-tool';
import type { StoredToolCall } from '../../core/tools/types';
import { registerToolRenderer, type ToolRenderProps } from '../chat/tool-call-card';
import { FileDownload } from './file-download';
import { LiveOutput, SavedOutput } from './run-output';
import { useSandboxUi } from './sandbox-context';
import { SandboxImage } from './sandbox-image';
import './sandbox.css';

const LANGUAGE_LABEL: Record<string, string> = {
  python: 'Python',
  javascript: 'JavaScript',
  shell: 'shell',
};

const codeOf = (call: StoredToolCall) =>
  typeof call.arguments.code === 'string' ? call.arguments.code : '';
const languageOf = (call: StoredToolCall) =>
  typeof call.arguments.language === 'string' ? call.arguments.language : '';

/** The code the model wants to run, shown before the user decides. */
export function RunCodeArgs({ call }: ToolRenderProps) {
  return (
    <pre className="run-code" data-testid="run-code">
      <code>{codeOf(call)}</code>
    </pre>
  );
}

/** The code and its output as it arrives. */
export function RunCodeRunning({ call, message }: ToolRenderProps) {
  const ui = useSandboxUi();
  const key = liveRunKey(message.id, codeOf(call));
  const progress = useSyncExternalStore(
    (l) => ui?.live.subscribe(l) ?? (() => undefined),
    () => ui?.live.get(key) ?? [],
  );
  return (
    <>
      <RunCodeArgs call={call} message={message} />
      <LiveOutput progress={progress} />
    </>
  );
}

/** How the run ended: output, the images it saved, its other files as downloads. */
export function RunCodeResult({ call, message }: ToolRenderProps) {
  const ui = useSandboxUi();
  if (call.state.status !== 'done') return null;
  const d = readRunCodeDisplay(call.state.outcome.display);
  if (!d) return <p className="muted small">{call.state.outcome.content}</p>;
  const failed = d.errorCode !== undefined || (d.end !== undefined && d.end.exitCode !== 0);
  return (
    <div className="stack run-result" data-testid="run-result">
      <details className="run-code-ran">
        <summary className="muted small">Code</summary>
        <RunCodeArgs call={call} message={message} />
      </details>
      <p className={failed ? 'error small' : 'muted small'} data-testid="run-summary">
        {d.summary}
      </p>
      <SavedOutput stdout={d.stdout} stderr={d.stderr} droppedChars={d.droppedChars} />
      {ui && d.images.map((f) => <SandboxImage key={f.path} sandbox={ui.sandbox} path={f.path} />)}
      {ui && d.files.length > 0 && (
        <ul className="run-files" aria-label="Files the code wrote">
          {d.files.map((f) => (
            <FileDownload key={f.path} sandbox={ui.sandbox} path={f.path} size={f.size} />
          ))}
        </ul>
      )}
    </div>
  );
}

/** Registers the run_code card (imported once by the chat shell). */
export function registerRunCodeCard(): void {
  registerToolRenderer(RUN_CODE, {
    title: (call) => `Run ${LANGUAGE_LABEL[languageOf(call)] ?? 'code'} in your sandbox`,
    Args: RunCodeArgs,
    Running: RunCodeRunning,
    Result: RunCodeResult,
    // Edit the code itself, not a JSON object with an escaped string in it.
    editText: {
      get: codeOf,
      apply: (call, text) => ({ ...call.arguments, code: text }),
    },
  });
}

registerRunCodeCard();
