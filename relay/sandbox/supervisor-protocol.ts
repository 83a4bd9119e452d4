/**
 * The relay's side of the wire format spoken by image/supervisor.py (keep them in step):
 *   requests:  u32 BE length + UTF-8 JSON
 *   responses: u8 kind + u32 BE length + payload (1 = run stdout bytes, 2 = stderr, 3 = JSON)
 * plus Docker's stream multiplexing (8-byte header per chunk) on a non-TTY attach/exec.
 */
import { SandboxError } from './errors';

/** Response frame kinds. */
export const FrameKind = { stdout: 1, stderr: 2, json: 3 } as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

/** Largest response frame accepted: the supervisor reads 64 KiB at a time. */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024;

/** Encodes one request. */
export function encodeRequest(message: Record<string, unknown>): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length, 0);
  return Buffer.concat([head, body]);
}

/** Encodes one response frame (used by tests and the fake supervisor). */
export function encodeFrame(kind: FrameKind, payload: Uint8Array): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt8(kind, 0);
  head.writeUInt32BE(payload.length, 1);
  return Buffer.concat([head, payload]);
}

/** A decoded response frame. */
export interface Frame {
  kind: FrameKind;
  payload: Buffer;
}

/** Incremental decoder: feed bytes, get whole frames. Throws on a corrupt stream. */
export function createFrameDecoder(): { push(chunk: Buffer): Frame[] } {
  let buf: Buffer = Buffer.alloc(0);
  return {
    push(chunk) {
      buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
      const out: Frame[] = [];
      while (buf.length >= 5) {
        const kind = buf.readUInt8(0);
        const len = buf.readUInt32BE(1);
        if (kind < 1 || kind > 3 || len > MAX_FRAME_BYTES) {
          throw new SandboxError('unavailable', 'The sandbox supervisor sent a corrupt frame.');
        }
        if (buf.length < 5 + len) break;
        out.push({ kind: kind as FrameKind, payload: buf.subarray(5, 5 + len) });
        buf = buf.subarray(5 + len);
      }
      return out;
    },
  };
}

/**
 * Incremental demuxer for Docker's multiplexed attach/exec stream (Tty false): each chunk
 * is `[stream u8, 0, 0, 0, size u32 BE]` then `size` bytes; stream 1 = stdout, 2 = stderr.
 */
export function createDockerDemuxer(): {
  push(chunk: Buffer): Array<{ stream: 1 | 2; data: Buffer }>;
} {
  let buf: Buffer = Buffer.alloc(0);
  return {
    push(chunk) {
      buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
      const out: Array<{ stream: 1 | 2; data: Buffer }> = [];
      while (buf.length >= 8) {
        const stream = buf.readUInt8(0);
        const len = buf.readUInt32BE(4);
        if (stream > 2 || len > MAX_FRAME_BYTES + 8) {
          throw new SandboxError('unavailable', 'Docker sent a corrupt attach stream.');
        }
        if (buf.length < 8 + len) break;
        if (stream === 1 || stream === 2) out.push({ stream, data: buf.subarray(8, 8 + len) });
        buf = buf.subarray(8 + len);
      }
      return out;
    },
  };
}
