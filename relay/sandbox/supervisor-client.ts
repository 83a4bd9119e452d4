import { SandboxError } from './errors';
import {
  FrameKind,
  createDockerDemuxer,
  createFrameDecoder,
  encodeRequest,
} from './supervisor-protocol';

/** The parts of a hijacked Docker attach/exec stream the client uses. */
export interface SupervisorStream {
  on(event: 'data', cb: (chunk: Buffer) => void): unknown;
  on(event: 'end' | 'close', cb: () => void): unknown;
  on(event: 'error', cb: (err: Error) => void): unknown;
  write(chunk: Buffer): unknown;
  end(): unknown;
  destroy?(): unknown;
}

/** A JSON reply from the supervisor. */
export type SupervisorReply = Record<string, unknown>;

/** Receives a run's output bytes as they arrive. */
export type ChunkHandler = (stream: 'stdout' | 'stderr', data: Buffer) => void;

interface Pending {
  resolve: (reply: SupervisorReply) => void;
  reject: (err: Error) => void;
  onChunk?: ChunkHandler;
  timer?: NodeJS.Timeout;
}

/**
 * Speaks the supervisor protocol over one attach (or exec) stream: numbered requests,
 * replies matched by id, a run's output chunks routed to the run in progress. The
 * connection is single-use: once the stream ends, every pending request fails with
 * `SandboxError('unavailable')` and a new connection must be made.
 */
export function createSupervisorConnection(stream: SupervisorStream) {
  const demux = createDockerDemuxer();
  const frames = createFrameDecoder();
  const pending = new Map<number, Pending>();
  const closeListeners: Array<() => void> = [];
  let nextId = 1;
  let runId: number | undefined;
  let closed = false;

  function fail(err: Error): void {
    if (closed) return;
    closed = true;
    for (const p of pending.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    pending.clear();
    stream.destroy?.();
    for (const cb of closeListeners) cb();
  }

  function onFrame(kind: FrameKind, payload: Buffer): void {
    if (kind !== FrameKind.json) {
      const run = runId === undefined ? undefined : pending.get(runId);
      run?.onChunk?.(kind === FrameKind.stdout ? 'stdout' : 'stderr', payload);
      return;
    }
    let reply: unknown;
    try {
      reply = JSON.parse(payload.toString('utf8'));
    } catch (cause) {
      throw new SandboxError('unavailable', 'The sandbox supervisor sent invalid JSON.', { cause });
    }
    if (typeof reply !== 'object' || reply === null) return;
    const id = (reply as SupervisorReply).id;
    if (typeof id !== 'number') return;
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    if (id === runId) runId = undefined;
    clearTimeout(p.timer);
    p.resolve(reply as SupervisorReply);
  }

  stream.on('data', (chunk: Buffer) => {
    if (closed) return;
    try {
      for (const part of demux.push(chunk)) {
        // The supervisor's own stderr (a crash trace) is dropped: it is not the user's run.
        if (part.stream !== 1) continue;
        for (const f of frames.push(part.data)) onFrame(f.kind, f.payload);
      }
    } catch (err) {
      fail(err instanceof Error ? err : new Error(String(err)));
    }
  });
  const lost = () => fail(new SandboxError('unavailable', 'The sandbox stopped unexpectedly.'));
  stream.on('end', lost);
  stream.on('close', lost);
  stream.on('error', (cause) =>
    fail(new SandboxError('unavailable', 'The sandbox connection failed.', { cause })),
  );

  function send(
    message: Record<string, unknown>,
    timeoutMs: number | undefined,
    onChunk?: ChunkHandler,
  ): Promise<SupervisorReply> {
    if (closed) {
      return Promise.reject(new SandboxError('unavailable', 'The sandbox connection is closed.'));
    }
    const id = nextId++;
    return new Promise<SupervisorReply>((resolve, reject) => {
      const p: Pending = { resolve, reject, onChunk };
      if (timeoutMs !== undefined) {
        p.timer = setTimeout(() => {
          pending.delete(id);
          reject(new SandboxError('unavailable', 'The sandbox did not answer in time.'));
        }, timeoutMs);
      }
      pending.set(id, p);
      if (onChunk) runId = id;
      stream.write(encodeRequest({ ...message, id }));
    });
  }

  return {
    /** A control request (hello, usage, list, delete, mkdirs) with a reply deadline. */
    request(message: Record<string, unknown>, timeoutMs: number): Promise<SupervisorReply> {
      return send(message, timeoutMs);
    },
    /** Starts a run; resolves with its end frame. The caller enforces the wall clock. */
    run(message: Record<string, unknown>, onChunk: ChunkHandler): Promise<SupervisorReply> {
      if (runId !== undefined) {
        return Promise.reject(new SandboxError('busy', 'A run is already in progress.'));
      }
      return send({ ...message, op: 'run' }, undefined, onChunk);
    },
    get closed(): boolean {
      return closed;
    },
    onClose(cb: () => void): void {
      if (closed) cb();
      else closeListeners.push(cb);
    },
    /** Drops the connection (the container keeps running). */
    close(): void {
      fail(new SandboxError('closed', 'The sandbox connection was closed.'));
    },
  };
}

/** One live connection to a supervisor. */
export type SupervisorConnection = ReturnType<typeof createSupervisorConnection>;
