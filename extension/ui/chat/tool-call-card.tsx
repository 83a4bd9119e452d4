import { createContext, useContext, useState, type ComponentType } from 'react';
import type { ChatController } from '../../core/conversations/chat-controller';
import type { MemoryStore } from '../../core/memory/types';
import type { Message } from '../../core/models';
import { INTERRUPTED_NOTICE, isInterrupted } from '../../core/tools/tool-loop';
import type { StoredToolCall } from '../../core/tools/types';

/** What a tool's renderer gets. */
export interface ToolRenderProps {
  call: StoredToolCall;
  message: Message;
}

/**
 * How one tool shows on its card. `Result` replaces the default result view once the call
 * is done; `Args` replaces the argument view of a waiting call; `title` names the action.
 */
export interface ToolRenderer {
  title?: (call: StoredToolCall) => string;
  Args?: ComponentType<ToolRenderProps>;
  Result?: ComponentType<ToolRenderProps>;
  /** Shown while the call runs (run_code's live output). */
  Running?: ComponentType<ToolRenderProps>;
  /**
   * Whether an interrupted call (its panel closed mid-run) may be run again from its card.
   * Default yes: the click is the same approval a waiting card asks for.
   */
  runAgain?: boolean;
  /** Edit as plain text instead of JSON (run_code: the code itself). */
  editText?: {
    get(call: StoredToolCall): string;
    apply(call: StoredToolCall, text: string): Record<string, unknown>;
  };
}

const renderers = new Map<string, ToolRenderer>();

/** Plugs a tool's renderer in (run_code, save_memory…); the last registration wins. */
export function registerToolRenderer(name: string, renderer: ToolRenderer): void {
  renderers.set(name, renderer);
}

/** Services the renderers may need (Undo of save_memory…), provided by the chat shell. */
export const ToolServicesContext = createContext<{ memory?: MemoryStore }>({});
export const useToolServices = () => useContext(ToolServicesContext);

const STATE_TEXT = {
  pending: 'Waiting for you',
  running: 'Running…',
  done: 'Done',
  denied: 'Denied',
} as const;

function DefaultArgs({ call }: ToolRenderProps) {
  return <pre className="tool-args">{JSON.stringify(call.arguments, null, 2)}</pre>;
}

function DefaultResult({ call }: ToolRenderProps) {
  if (call.state.status !== 'done') return null;
  return (
    <pre data-testid="tool-result" className="tool-result">
      {call.state.outcome.content}
    </pre>
  );
}

/**
 * One proposed tool call: Run / Edit / Deny while it waits (with "allow for this
 * conversation" unless page content is in the conversation), live state, then its result.
 * `interrupted`: stored as running but nothing runs it in this page (closed mid-run).
 */
export function ToolCallCard({
  call,
  message,
  chat,
  untrusted,
  caution = untrusted,
  interrupted = false,
}: ToolRenderProps & {
  chat: ChatController;
  /** Page content is in the conversation: no "allow for this conversation". */
  untrusted: boolean;
  /** Page content or sandbox output is in the conversation: say so beside Run. */
  caution?: boolean;
  interrupted?: boolean;
}) {
  const r = renderers.get(call.name) ?? {};
  const [editing, setEditing] = useState<string>();
  const [allow, setAllow] = useState(false);
  const [argError, setArgError] = useState<string>();
  const status = call.state.status;
  const Args = r.Args ?? DefaultArgs;
  const Result = r.Result ?? DefaultResult;
  const failed = call.state.status === 'done' && call.state.outcome.isError === true;
  const stopped = status === 'running' && interrupted;

  const run = () => {
    let args: Record<string, unknown> | undefined;
    if (editing !== undefined && r.editText) {
      args = r.editText.apply(call, editing);
    } else if (editing !== undefined) {
      try {
        const parsed: unknown = JSON.parse(editing);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
          throw new Error();
        args = parsed as Record<string, unknown>;
      } catch {
        setArgError('The arguments must be a JSON object.');
        return;
      }
    }
    setArgError(undefined);
    void chat.decideToolCall(message.id, call.id, {
      kind: 'run',
      ...(args ? { args } : {}),
      ...(allow && !untrusted ? { allowForConversation: true } : {}),
    });
  };

  return (
    <div
      data-testid="tool-call"
      data-tool={call.name}
      data-state={stopped ? 'interrupted' : status}
      className={`tool-call ${failed || stopped ? 'failed' : ''}`}
    >
      <div className="row">
        <strong className="grow">{r.title?.(call) ?? `Tool: ${call.name}`}</strong>
        <span data-testid="tool-state" className="badge">
          {failed ? 'Failed' : stopped ? 'Stopped' : STATE_TEXT[status]}
        </span>
      </div>
      {status === 'pending' && (
        <>
          {caution && (
            <p data-testid="tool-untrusted" className="small notice">
              This conversation contains text from a web page or a tool&apos;s output, which may
              have asked for this. Check it before you run it.
            </p>
          )}
          {editing === undefined ? (
            <Args call={call} message={message} />
          ) : (
            <textarea
              data-testid="tool-args-input"
              aria-label={r.editText ? 'Edit before running' : 'Tool arguments (JSON)'}
              rows={5}
              value={editing}
              onChange={(e) => setEditing(e.target.value)}
            />
          )}
          {argError && (
            <p className="error" role="alert">
              {argError}
            </p>
          )}
          <div className="row">
            <button data-testid="tool-run" type="button" className="primary" onClick={run}>
              Run
            </button>
            {editing === undefined && (
              <button
                data-testid="tool-edit"
                type="button"
                onClick={() =>
                  setEditing(r.editText?.get(call) ?? JSON.stringify(call.arguments, null, 2))
                }
              >
                Edit
              </button>
            )}
            <button
              data-testid="tool-deny"
              type="button"
              className="danger"
              onClick={() => void chat.decideToolCall(message.id, call.id, { kind: 'deny' })}
            >
              Deny
            </button>
            {!untrusted && (
              <label className="small">
                <input
                  data-testid="tool-allow-conversation"
                  type="checkbox"
                  checked={allow}
                  onChange={(e) => setAllow(e.target.checked)}
                />{' '}
                Allow for this conversation
              </label>
            )}
          </div>
        </>
      )}
      {stopped && (
        <>
          <p data-testid="tool-interrupted" className="small notice">
            {INTERRUPTED_NOTICE}
            {r.runAgain === false ? '' : ' Its result is unknown; you can run it again.'}
          </p>
          <Args call={call} message={message} />
          {r.runAgain !== false && (
            <button
              data-testid="tool-run-again"
              type="button"
              className="primary"
              onClick={() => void chat.decideToolCall(message.id, call.id, { kind: 'run' })}
            >
              Run again
            </button>
          )}
        </>
      )}
      {status === 'running' && !stopped && r.Running && <r.Running call={call} message={message} />}
      {status === 'running' && !stopped && (
        <button data-testid="tool-stop" type="button" className="link" onClick={() => chat.stop()}>
          Stop
        </button>
      )}
      {status === 'done' && <Result call={call} message={message} />}
    </div>
  );
}

/** Every tool call of an assistant message, in order. */
export function ToolCalls({ message, chat }: { message: Message; chat: ChatController }) {
  if (!message.toolCalls?.length) return null;
  const conv = chat.getState().conversations.find((c) => c.id === message.conversationId);
  const untrusted = conv?.ok ? conv.value.untrusted === true : true;
  const caution = untrusted || (conv?.ok && conv.value.toolOutput === true);
  return (
    <div className="tool-calls">
      {message.toolCalls.map((call) => (
        <ToolCallCard
          key={call.id}
          call={call}
          message={message}
          chat={chat}
          untrusted={untrusted}
          caution={caution}
          interrupted={isInterrupted(message.id, call)}
        />
      ))}
    </div>
  );
}
