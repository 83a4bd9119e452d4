/**
 * In-memory relay for tests: the same compare-and-set / op-id / seq / manifest semantics as
 * relay/store (kysely-sync.ts), plus knobs to play a hostile relay (edit `records`, snapshot
 * and restore the whole account) and a flaky network (down, lost replies).
 */
import { fromBase64, toBase64 } from '../../../shared/crypto';
import type {
  ManifestReply,
  PullReply,
  PushReply,
  PushResult,
  ServerRecord,
} from '../../../shared/protocol';
import { RelayError } from './errors';
import type { RelaySocket, RelayTransport, SocketStatus } from './ports';

/** A stored record (binary envelope, absent for tombstones). */
export interface FakeRecord {
  collection: string;
  id: string;
  revision: number;
  seq: number;
  deleted: boolean;
  envelope?: Uint8Array;
}

/** Everything one account holds on the fake relay. */
export interface FakeRelayState {
  seq: number;
  records: Map<string, FakeRecord>;
  opIds: Map<string, PushResult>;
  manifest: ManifestReply | undefined;
}

/** Network faults; each counter is consumed by the next matching call. */
export interface FakeFaults {
  /** Every call fails with RelayError('network'). */
  down: boolean;
  /** The next N calls fail before reaching the relay. */
  failNext: number;
  /** The next N pushes are applied, then the reply is lost (RelayError('network')). */
  loseReplies: number;
}

/** Key of a record in {@link FakeRelayState.records}. */
export const fakeKey = (collection: string, id: string) => `${collection}\u0000${id}`;

function cloneState(s: FakeRelayState): FakeRelayState {
  return structuredClone(s);
}

/** Creates a fake relay holding one account. */
export function createFakeRelay() {
  let state: FakeRelayState = { seq: 0, records: new Map(), opIds: new Map(), manifest: undefined };
  const faults: FakeFaults = { down: false, failNext: 0, loseReplies: 0 };
  const sockets = new Set<ReturnType<typeof makeSocket>>();
  let calls = 0;

  function gate(): void {
    calls += 1;
    if (faults.down) throw new RelayError('network', 'relay unreachable (fake)');
    if (faults.failNext > 0) {
      faults.failNext -= 1;
      throw new RelayError('unavailable', 'relay restarting (fake)', { status: 503 });
    }
  }

  const toWire = (r: FakeRecord): ServerRecord => ({
    collection: r.collection,
    id: r.id,
    revision: r.revision,
    seq: r.seq,
    deleted: r.deleted,
    ...(r.envelope === undefined ? {} : { envelope: toBase64(r.envelope) }),
  });

  function notifyAll(): void {
    for (const s of sockets) s.emit(state.seq);
  }

  const transport: RelayTransport = {
    async push(body): Promise<PushReply> {
      gate();
      const before = state.seq;
      const results: PushResult[] = body.ops.map((op) => {
        const prior = state.opIds.get(op.opId);
        if (prior !== undefined) return prior;
        const k = fakeKey(op.collection, op.id);
        const cur = state.records.get(k);
        if ((cur?.revision ?? 0) !== op.baseRevision) {
          // Like the real store, conflicts are not remembered.
          return {
            opId: op.opId,
            status: 'conflict',
            current: {
              revision: cur?.revision ?? 0,
              seq: cur?.seq ?? 0,
              deleted: cur?.deleted ?? false,
              ...(cur?.envelope === undefined ? {} : { envelope: toBase64(cur.envelope) }),
            },
          };
        }
        if (op.revision <= op.baseRevision) throw new RelayError('rejected', 'bad revision');
        state.seq += 1;
        state.records.set(k, {
          collection: op.collection,
          id: op.id,
          revision: op.revision,
          seq: state.seq,
          deleted: op.deleted,
          ...(op.deleted || op.envelope === undefined ? {} : { envelope: fromBase64(op.envelope) }),
        });
        const applied: PushResult = {
          opId: op.opId,
          status: 'applied',
          revision: op.revision,
          seq: state.seq,
        };
        state.opIds.set(op.opId, applied);
        return applied;
      });
      if (state.seq > before) notifyAll();
      if (faults.loseReplies > 0) {
        faults.loseReplies -= 1;
        throw new RelayError('network', 'connection reset after apply (fake)');
      }
      return structuredClone({ results, seq: state.seq });
    },

    async pull(since, limit): Promise<PullReply> {
      gate();
      const rows = [...state.records.values()]
        .filter((r) => r.seq > since)
        .sort((a, b) => a.seq - b.seq);
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        records: page.map(toWire),
        cursor: last === undefined ? since : last.seq,
        hasMore: rows.length > limit,
        seq: state.seq,
      };
    },

    async getManifest() {
      gate();
      return state.manifest && { ...state.manifest };
    },

    async putManifest(body) {
      gate();
      if (state.manifest !== undefined && state.manifest.counter >= body.counter) {
        throw new RelayError('stale-manifest', 'manifest counter must increase', { status: 409 });
      }
      state.manifest = { counter: body.counter, blob: body.blob, updatedAt: calls };
      return { ...state.manifest };
    },
  };

  function makeSocket() {
    const notify = new Set<(seq: number) => void>();
    const status = new Set<(s: SocketStatus) => void>();
    let current: SocketStatus = 'online';
    const socket: RelaySocket & { emit(seq: number): void; setStatus(s: SocketStatus): void } = {
      get status() {
        return current;
      },
      onNotify(l) {
        notify.add(l);
        return () => notify.delete(l);
      },
      onStatusChange(l) {
        status.add(l);
        return () => status.delete(l);
      },
      restart() {},
      close() {
        sockets.delete(socket);
      },
      emit(seq) {
        if (current === 'online') for (const l of notify) l(seq);
      },
      setStatus(s) {
        current = s;
        for (const l of status) l(s);
      },
    };
    return socket;
  }

  return {
    transport,
    faults,
    /** The live account state: tests edit it to play a hostile relay. */
    get state() {
      return state;
    },
    /** A deep copy of the account (for a later whole-account rollback). */
    snapshot: () => cloneState(state),
    /** Replace the account with an earlier snapshot (a relay restored from an old backup). */
    restore(s: FakeRelayState) {
      state = cloneState(s);
    },
    /** A fake notification socket connected to this relay. */
    socket() {
      const s = makeSocket();
      sockets.add(s);
      return s;
    },
    /** Number of transport calls so far. */
    get calls() {
      return calls;
    },
  };
}

/** The type of {@link createFakeRelay}'s result. */
export type FakeRelay = ReturnType<typeof createFakeRelay>;
