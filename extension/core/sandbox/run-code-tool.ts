/**
 * The `run_code` tool: the model proposes code, the user approves it on the card (approval
 * 'ask'), and it runs in the user's own sandbox on their relay. Output streams to the card
 * as it is produced; afterwards the files the run wrote are listed so the card can show new
 * images (e.g. matplotlib plots) and offer other files as downloads.
 */
import { SANDBOX_WIRE_LIMITS } from '../../../shared/protocol';
import type { ChatTool, ToolOutcome, ToolProgress, ToolRunContext } from '../tools/types';
import { SandboxClientError, isSandboxError, sandboxErrorMessage } from './errors';
import { liveRunKey, type LiveRuns } from './live-runs';
import type { SandboxFileEntry, SandboxLanguage, SandboxPort } from './ports';
import type { RunCodeDisplay } from './run-code-display';
import {
  CARD_OUTPUT_CHARS,
  createOutputBuffer,
  endSummary,
  modelReport,
  producedFiles,
} from './run-report';

/** The tool's name as the model sees it. */
export const RUN_CODE = 'run_code';

const LANGUAGES: readonly SandboxLanguage[] = ['python', 'javascript', 'shell'];
/** Default and largest time limit the model may ask for, seconds. */
export const RUN_CODE_DEFAULT_TIMEOUT_S = 30;
export const RUN_CODE_MAX_TIMEOUT_S = 300;

/** The validated arguments of one call. */
export interface RunCodeArgs {
  language: SandboxLanguage;
  code: string;
  timeoutSeconds: number;
}

/** Checks the model's arguments; throws SandboxClientError('rejected') with plain words. */
export function parseRunCodeArgs(args: Record<string, unknown>): RunCodeArgs {
  const bad = (message: string) => new SandboxClientError('rejected', { message });
  const { language, code } = args;
  const timeout = args.timeout_seconds;
  if (typeof language !== 'string' || !LANGUAGES.includes(language as SandboxLanguage)) {
    throw bad('language must be one of python, javascript, shell.');
  }
  if (typeof code !== 'string' || code.trim() === '') throw bad('code must be a non-empty string.');
  if (new TextEncoder().encode(code).length > SANDBOX_WIRE_LIMITS.maxCodeBytes) {
    throw bad(`code is longer than ${SANDBOX_WIRE_LIMITS.maxCodeBytes / 1024} KiB.`);
  }
  let timeoutSeconds = RUN_CODE_DEFAULT_TIMEOUT_S;
  if (timeout !== undefined && timeout !== null) {
    if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0) {
      throw bad('timeout_seconds must be a positive number.');
    }
    timeoutSeconds = Math.min(RUN_CODE_MAX_TIMEOUT_S, Math.max(1, Math.round(timeout)));
  }
  return { language: language as SandboxLanguage, code, timeoutSeconds };
}

const DESCRIPTION =
  "Runs code in the user's private sandbox (no network; files in the working directory " +
  'persist between runs and include files the user uploaded). The user approves every run. ' +
  'Print results to stdout. Save plots as PNG files (e.g. plt.savefig("plot.png")) and ' +
  'results as files in the working directory: new images are shown to the user and other ' +
  'new files are offered as downloads. Python has numpy, pandas, matplotlib and scipy.';

/** The workspace listing, or undefined when it fails (the run still counts; no files shown). */
async function listOrEmpty(sandbox: SandboxPort): Promise<SandboxFileEntry[] | undefined> {
  try {
    return (await sandbox.listFiles()).files;
  } catch {
    return undefined;
  }
}

function failure(e: unknown, display: Partial<RunCodeDisplay>): ToolOutcome {
  const message = sandboxErrorMessage(e);
  const errorCode = isSandboxError(e) ? e.code : 'rejected';
  const shown: RunCodeDisplay = {
    kind: 'run_code',
    summary: message,
    stdout: '',
    stderr: '',
    droppedChars: 0,
    end: undefined,
    images: [],
    files: [],
    ...display,
    errorCode,
  };
  return {
    content: `The code did not run: ${message}`,
    isError: true,
    display: shown as unknown as Record<string, unknown>,
  };
}

/** Creates the run_code tool over a sandbox; `live` receives output for the card as it comes. */
export function createRunCodeTool(sandbox: SandboxPort, live?: LiveRuns): ChatTool {
  return {
    approval: 'ask',
    spec: {
      name: RUN_CODE,
      description: DESCRIPTION,
      parameters: {
        type: 'object',
        properties: {
          language: { type: 'string', enum: [...LANGUAGES], description: 'The language.' },
          code: { type: 'string', description: 'The complete program to run.' },
          timeout_seconds: {
            type: 'number',
            description: `Time limit in seconds (default ${RUN_CODE_DEFAULT_TIMEOUT_S}, max ${RUN_CODE_MAX_TIMEOUT_S}).`,
          },
        },
        required: ['language', 'code'],
      },
    },
    async run(rawArgs, ctx: ToolRunContext): Promise<ToolOutcome> {
      let args: RunCodeArgs;
      try {
        args = parseRunCodeArgs(rawArgs);
      } catch (e) {
        return failure(e, {});
      }
      const key = liveRunKey(ctx.messageId, args.code);
      const progress = (p: ToolProgress) => {
        ctx.onProgress?.(p);
        live?.push(key, p);
      };
      const stdout = createOutputBuffer(CARD_OUTPUT_CHARS);
      const stderr = createOutputBuffer(CARD_OUTPUT_CHARS);
      const partial = () => ({
        stdout: stdout.text(),
        stderr: stderr.text(),
        droppedChars: stdout.dropped() + stderr.dropped(),
      });
      live?.start(key);
      try {
        const before = await listOrEmpty(sandbox);
        progress({ stream: 'status', data: 'Running in your sandbox…' });
        const end = await sandbox.run({
          language: args.language,
          code: args.code,
          timeoutMs: args.timeoutSeconds * 1000,
          signal: ctx.signal,
          conversationId: ctx.conversationId,
          onOutput(stream, data) {
            (stream === 'stdout' ? stdout : stderr).push(data);
            progress({ stream, data });
          },
        });
        const after = before === undefined ? undefined : await listOrEmpty(sandbox);
        const produced =
          before !== undefined && after !== undefined
            ? producedFiles(before, after)
            : { images: [], files: [] };
        const display: RunCodeDisplay = {
          kind: 'run_code',
          summary: endSummary(end),
          ...partial(),
          end,
          ...produced,
          errorCode: undefined,
        };
        return {
          content: modelReport({ end, stdout: stdout.text(), stderr: stderr.text(), ...produced }),
          isError: end.exitCode !== 0,
          display: display as unknown as Record<string, unknown>,
        };
      } catch (e) {
        return failure(e, partial());
      } finally {
        live?.end(key);
      }
    },
  };
}
