/**
 * Hybrid logical clock (Kulkarni et al.): physical milliseconds plus a logical counter plus
 * the writing device's id as a tie-breaker, so every write gets a unique, totally ordered
 * stamp that never goes backwards even when wall clocks disagree. Stamps live INSIDE the
 * ciphertext of each record (see sync-doc.ts): the relay never sees them and cannot forge them.
 */
import { SyncError } from './errors';

/** One clock reading. */
export interface Hlc {
  /** Epoch milliseconds (the largest physical time seen). */
  readonly wall: number;
  /** Logical counter within one `wall` value. */
  readonly counter: number;
  /** Device id (lowercase hex / base64url, no '-'); breaks ties between devices. */
  readonly node: string;
}

// Fixed-width base-36 fields make the serialised form sort like compareHlc().
const WALL_WIDTH = 11; // 36^11 ms ≈ 4.2e9 years
const COUNTER_WIDTH = 6; // 36^6 ≈ 2.2e9 writes within one millisecond
const MAX_COUNTER = 36 ** COUNTER_WIDTH - 1;
const NODE_PATTERN = /^[A-Za-z0-9_]{1,64}$/;

/** Total order: wall, then counter, then node. Negative when a < b. */
export function compareHlc(a: Hlc, b: Hlc): number {
  if (a.wall !== b.wall) return a.wall < b.wall ? -1 : 1;
  if (a.counter !== b.counter) return a.counter < b.counter ? -1 : 1;
  return a.node < b.node ? -1 : a.node > b.node ? 1 : 0;
}

/** `wall(11)-counter(6)-node`, base 36, zero-padded: string order equals {@link compareHlc}. */
export function serializeHlc(h: Hlc): string {
  return `${h.wall.toString(36).padStart(WALL_WIDTH, '0')}-${h.counter
    .toString(36)
    .padStart(COUNTER_WIDTH, '0')}-${h.node}`;
}

/** Parses {@link serializeHlc} output; throws SyncError('bad-record') on anything else. */
export function parseHlc(s: unknown): Hlc {
  if (typeof s !== 'string') throw badHlc();
  const parts = s.split('-');
  const [w, c, node] = parts;
  if (
    parts.length !== 3 ||
    w === undefined ||
    c === undefined ||
    node === undefined ||
    !/^[0-9a-z]+$/.test(w) ||
    w.length !== WALL_WIDTH ||
    !/^[0-9a-z]+$/.test(c) ||
    c.length !== COUNTER_WIDTH ||
    !NODE_PATTERN.test(node)
  ) {
    throw badHlc();
  }
  const wall = parseInt(w, 36);
  const counter = parseInt(c, 36);
  if (!Number.isSafeInteger(wall)) throw badHlc();
  return { wall, counter, node };
}

function badHlc(): SyncError {
  return new SyncError('bad-record', 'A record carries a malformed clock stamp.');
}

/** Compares two serialised stamps (they sort as strings by construction). */
export function compareHlcStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Send rule: a local event. The result is greater than `last` and than any earlier stamp. */
export function tickHlc(last: Hlc, now: number): Hlc {
  const wall = Math.max(last.wall, Math.floor(now));
  const counter = wall === last.wall ? last.counter + 1 : 0;
  return checked({ wall, counter, node: last.node });
}

/** Receive rule: merge a remote stamp so later local stamps sort after it. */
export function receiveHlc(last: Hlc, remote: Hlc, now: number): Hlc {
  const wall = Math.max(last.wall, remote.wall, Math.floor(now));
  let counter: number;
  if (wall === last.wall && wall === remote.wall)
    counter = Math.max(last.counter, remote.counter) + 1;
  else if (wall === last.wall) counter = last.counter + 1;
  else if (wall === remote.wall) counter = remote.counter + 1;
  else counter = 0;
  return checked({ wall, counter, node: last.node });
}

function checked(h: Hlc): Hlc {
  // Only reachable with > 2 billion writes in one millisecond, or a peer stamp built to
  // exhaust the counter: borrow the next millisecond instead of producing an unsortable stamp
  // (the order is kept; the clock runs at most that far ahead).
  if (h.counter > MAX_COUNTER) return { wall: h.wall + 1, counter: 0, node: h.node };
  return h;
}

/** A stateful clock for one device. */
export interface HlcClock {
  /** A fresh stamp for a local write. */
  now(): Hlc;
  /** Take a remote stamp into account (call for every stamp read from a synced record). */
  observe(remote: Hlc): void;
  /** The latest stamp (to persist between sessions). */
  peek(): Hlc;
}

/** Creates a clock for `node`, resuming from a persisted `last` stamp if any. */
export function createHlcClock(
  node: string,
  options: { now?: () => number; last?: Hlc } = {},
): HlcClock {
  if (!NODE_PATTERN.test(node)) throw new RangeError('HLC node must be 1..64 chars [A-Za-z0-9_]');
  const wallClock = options.now ?? Date.now;
  let last: Hlc =
    options.last !== undefined ? { ...options.last, node } : { wall: 0, counter: 0, node };
  return {
    now() {
      last = tickHlc(last, wallClock());
      return last;
    },
    observe(remote) {
      last = receiveHlc(last, remote, wallClock());
    },
    peek: () => last,
  };
}
