import { EventEmitter } from 'node:events';
import { FrameKind, encodeFrame } from './supervisor-protocol';

/**
 * Test double of a hijacked Docker stream with a supervisor behind it: it records the
 * requests the relay writes and lets a test push Docker-multiplexed supervisor frames.
 * Used by unit tests only.
 */
export function createSupervisorDouble() {
  const ee = new EventEmitter();
  const requests: Array<Record<string, unknown>> = [];
  let pendingIn: Buffer = Buffer.alloc(0);
  const stream = Object.assign(ee, {
    write(chunk: Buffer) {
      pendingIn = Buffer.concat([pendingIn, chunk]);
      while (pendingIn.length >= 4 && pendingIn.length >= 4 + pendingIn.readUInt32BE(0)) {
        const n = pendingIn.readUInt32BE(0);
        requests.push(JSON.parse(pendingIn.subarray(4, 4 + n).toString()));
        pendingIn = pendingIn.subarray(4 + n);
      }
    },
    end() {},
    destroy() {
      ee.emit('close');
    },
  });
  const mux = (dockerStream: 1 | 2, payload: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt8(dockerStream, 0);
    head.writeUInt32BE(payload.length, 4);
    return Buffer.concat([head, payload]);
  };
  return {
    stream,
    requests,
    /** Sends supervisor frames, split at awkward byte boundaries. */
    send(...frames: Buffer[]) {
      const all = mux(1, Buffer.concat(frames));
      for (let i = 0; i < all.length; i += 3) ee.emit('data', all.subarray(i, i + 3));
    },
    sendStderr: (text: string) => ee.emit('data', mux(2, Buffer.from(text))),
    json: (o: object) => encodeFrame(FrameKind.json, Buffer.from(JSON.stringify(o))),
    end: () => ee.emit('end'),
  };
}
