import { Type, type Static } from '@sinclair/typebox';
import { HealthBody } from './common';

/**
 * Sandbox messages shared by the extension and the relay: run requests, the frames a run
 * streams back, file operations and status. Limits here are the wire limits; the relay
 * may be configured tighter.
 */
export const SANDBOX_WIRE_LIMITS = {
  /** Code is passed as one argv string inside the sandbox (Linux caps one arg at 128 KiB). */
  maxCodeBytes: 64 * 1024,
  minTimeoutMs: 100,
  maxTimeoutMs: 300_000,
  maxPathBytes: 1024,
} as const;

/** Languages the sandbox image runs. */
export const SandboxLanguage = Type.Union([
  Type.Literal('python'),
  Type.Literal('javascript'),
  Type.Literal('shell'),
]);
export type SandboxLanguage = Static<typeof SandboxLanguage>;

/** A request to run code in the caller's sandbox. */
export const SandboxRunRequest = Type.Object(
  {
    language: SandboxLanguage,
    code: Type.String({ maxLength: SANDBOX_WIRE_LIMITS.maxCodeBytes }),
    timeoutMs: Type.Optional(
      Type.Integer({
        minimum: SANDBOX_WIRE_LIMITS.minTimeoutMs,
        maximum: SANDBOX_WIRE_LIMITS.maxTimeoutMs,
      }),
    ),
  },
  { additionalProperties: false },
);
export type SandboxRunRequest = Static<typeof SandboxRunRequest>;

/** Output as it is produced. `data` is UTF-8 decoded (invalid bytes become U+FFFD). */
export const SandboxOutputFrame = Type.Object({
  type: Type.Literal('output'),
  stream: Type.Union([Type.Literal('stdout'), Type.Literal('stderr')]),
  data: Type.String(),
});
export type SandboxOutputFrame = Static<typeof SandboxOutputFrame>;

/** How a run ended. Exactly one end (or error) frame closes every run. */
export const SandboxEndFrame = Type.Object({
  type: Type.Literal('end'),
  exitCode: Type.Union([Type.Integer(), Type.Null()]),
  signal: Type.Union([Type.String(), Type.Null()]),
  timedOut: Type.Boolean(),
  oomKilled: Type.Boolean(),
  outputTruncated: Type.Boolean(),
  /** The workspace is over its quota: further runs and uploads fail until files go. */
  quotaExceeded: Type.Boolean(),
  durationMs: Type.Integer({ minimum: 0 }),
});
export type SandboxEndFrame = Static<typeof SandboxEndFrame>;

/** A run that could not start or was lost (busy, quota, sandbox unavailable). */
export const SandboxErrorFrame = Type.Object({
  type: Type.Literal('error'),
  code: Type.String(),
  message: Type.String(),
});
export type SandboxErrorFrame = Static<typeof SandboxErrorFrame>;

/** Any frame of a run's stream. */
export const SandboxRunFrame = Type.Union([SandboxOutputFrame, SandboxEndFrame, SandboxErrorFrame]);
export type SandboxRunFrame = Static<typeof SandboxRunFrame>;

/** A workspace-relative path (validated again, strictly, by the relay). */
export const SandboxPath = Type.String({
  minLength: 1,
  maxLength: SANDBOX_WIRE_LIMITS.maxPathBytes,
});

/** One entry of the workspace listing. */
export const SandboxFileEntry = Type.Object({
  path: Type.String(),
  type: Type.Union([
    Type.Literal('file'),
    Type.Literal('directory'),
    Type.Literal('symlink'),
    Type.Literal('other'),
  ]),
  size: Type.Integer({ minimum: 0 }),
  mtimeMs: Type.Integer(),
});
export type SandboxFileEntry = Static<typeof SandboxFileEntry>;

/** The workspace listing (capped; `truncated` says more exist). */
export const SandboxFileList = Type.Object({
  files: Type.Array(SandboxFileEntry),
  truncated: Type.Boolean(),
});
export type SandboxFileList = Static<typeof SandboxFileList>;

/** Query/params naming one file (download, delete); uploads carry the bytes as the body. */
export const SandboxFileRef = Type.Object({ path: SandboxPath }, { additionalProperties: false });
export type SandboxFileRef = Static<typeof SandboxFileRef>;

/** The caller's sandbox state and workspace usage. */
export const SandboxStatus = Type.Object({
  state: Type.Union([Type.Literal('running'), Type.Literal('stopped'), Type.Literal('absent')]),
  /** Allocated bytes in the workspace, when known. */
  usedBytes: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  quotaBytes: Type.Integer({ minimum: 0 }),
});
export type SandboxStatus = Static<typeof SandboxStatus>;

/** Whether the relay runs a sandbox at all (reported by `GET /healthz`). */
export const SandboxAvailability = Type.Union([Type.Literal('on'), Type.Literal('off')]);
export type SandboxAvailability = Static<typeof SandboxAvailability>;

/**
 * Reply of `POST /v1/sandbox/run`: the whole output, collected (stdout and stderr each in
 * order; use the WebSocket `run` message to stream it interleaved as it is produced).
 */
export const SandboxRunReply = Type.Object(
  {
    stdout: Type.String(),
    stderr: Type.String(),
    exitCode: Type.Union([Type.Integer(), Type.Null()]),
    signal: Type.Union([Type.String(), Type.Null()]),
    timedOut: Type.Boolean(),
    oomKilled: Type.Boolean(),
    outputTruncated: Type.Boolean(),
    quotaExceeded: Type.Boolean(),
    durationMs: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type SandboxRunReply = Static<typeof SandboxRunReply>;

/** `GET /healthz` with the sandbox's availability (the core HealthBody plus `sandbox`). */
export const RelayHealthBody = Type.Composite(
  [HealthBody, Type.Object({ sandbox: SandboxAvailability })],
  { additionalProperties: false },
);
export type RelayHealthBody = Static<typeof RelayHealthBody>;
