/**
 * The sync engine: local writes (stamped with the device's HLC and queued), and sync passes
 * (pull → push → pull → manifest) driven by the relay's notification socket, with
 * exponential backoff and jitter while the relay is unreachable. Local writes and each merge
 * step take one store lock, so writes stay responsive during a slow pass but never race it.
 * Nothing is lost across failures: writes and sealed ops are persisted before anything is sent.
 * Local writes: local-writes.ts; the steps of a pass: sync-pass.ts, sync-push.ts,
 * manifest-sync.ts.
 */
import { randomBytes, toBase64Url } from '../../../shared/crypto';
import { base64Length, DEFAULT_MAX_ENVELOPE_BYTES } from '../../../shared/protocol';
import { skipAbsentReads } from './absent-store';
import { backoffDelay, type BackoffOptions } from './backoff';
import { RelayError, SyncError } from './errors';
import { createHlcClock, parseHlc, type HlcClock } from './hlc';
import { writeLocal, type LocalChange } from './local-writes';
import type { SyncConflict } from './merge';
import type {
  LocalRecord,
  LocalRecordStore,
  RelaySocket,
  RelayTransport,
  SyncKeys,
  SyncState,
} from './ports';
import { checkRemoteManifest, countingStore, uploadManifest } from './manifest-sync';
import { pullAll, type ManifestMemo, type PassContext, type SyncReport } from './sync-pass';
import { pushAll } from './sync-push';
import { DEFAULT_POLICIES, docValue, type JsonValue, type MergePolicy } from './sync-doc';

export type { LocalChange } from './local-writes';

/** Options of {@link createSyncEngine}. */
export interface SyncEngineOptions {
  transport: RelayTransport;
  store: LocalRecordStore;
  keys: SyncKeys;
  /** This device's id (HLC node and manifest author). */
  device: string;
  socket?: RelaySocket;
  /** Merge policy per collection; collections not listed are not synced. */
  policies?: Readonly<Record<string, MergePolicy>>;
  now?: () => number;
  /** Random record/op ids. */
  newId?: () => string;
  /** Waits between retries; injectable so tests do not sleep. */
  sleep?: (ms: number) => Promise<void>;
  backoff?: BackoffOptions;
  /** Retries of one pass while the relay is unreachable (default 6). */
  maxAttempts?: number;
  pullLimit?: number;
  maxOpsPerPush?: number;
  /** The relay's manifest size cap (its maxEnvelopeBytes; default 1 MiB). */
  maxManifestBytes?: number;
  /**
   * Called (synchronously, inside a pass, once committed) for every record whose local value
   * changed because of the relay, with its new value (undefined: deleted), so a mirror of the
   * engine can apply just those without reading them back.
   */
  onRemoteApplied?: (collection: string, id: string, value: SyncedValue | undefined) => void;
  /** Called for conflicts the user may want to see. */
  onConflict?: (conflict: SyncConflict) => void;
  /** Called when a background pass fails (SyncError: the relay misbehaved; RelayError: gave up). */
  onError?: (error: SyncError | RelayError | Error) => void;
}

/** A readable record as the app sees it. */
export interface SyncedValue {
  id: string;
  value: JsonValue;
  /** Set on a memory conflict copy. */
  conflictOf?: string;
  /** A `fields` document's stamps: field name → HLC of its winning write (timing, not content). */
  stamps?: Record<string, string>;
}

/** The engine's public surface. */
export interface SyncEngine {
  /** Sets fields of an lww record (creates it). Fields not named are left as they are. */
  setFields(collection: string, id: string, fields: Record<string, JsonValue>): Promise<void>;
  /** Writes the body of an immutable or keep-both record. Rewriting a message is refused. */
  setBody(collection: string, id: string, body: JsonValue): Promise<void>;
  /** Deletes a record (a tombstone that always wins). */
  remove(collection: string, id: string): Promise<void>;
  /**
   * Several writes to one collection (distinct ids) in one commit. A refused change stops
   * the batch: those before it are kept, then the refusal is thrown.
   */
  writeMany(collection: string, changes: readonly LocalChange[]): Promise<void>;
  read(collection: string, id: string): Promise<SyncedValue | undefined>;
  /** Several records of one collection in one read, in the order asked. */
  readMany(collection: string, ids: readonly string[]): Promise<(SyncedValue | undefined)[]>;
  list(collection: string): Promise<SyncedValue[]>;
  /** Runs one pass now, retrying unreachable-relay failures with backoff. */
  sync(): Promise<SyncReport>;
  /** Starts socket-driven background sync. */
  start(): void;
  /** Stops background sync (a running pass finishes). */
  stop(): void;
  /** "Last synced" and how many local changes wait for the relay (for the options page). */
  status(): Promise<{ lastSyncedAt: number | undefined; pending: number }>;
  /** Resolves when no pass is running or scheduled. */
  idle(): Promise<void>;
}

const EMPTY_STATE: SyncState = {
  cursor: 0,
  highestSeq: 0,
  manifestCounter: 0,
  hlc: undefined,
  lastSyncedAt: undefined,
};

/** Creates a sync engine over the given ports. */
export function createSyncEngine(o: SyncEngineOptions): SyncEngine {
  const policies = o.policies ?? DEFAULT_POLICIES;
  const now = o.now ?? Date.now;
  const newId = o.newId ?? (() => toBase64Url(randomBytes(16)));
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const maxAttempts = o.maxAttempts ?? 6;
  const policyOf = (c: string) => (Object.hasOwn(policies, c) ? policies[c] : undefined);
  const { store, commits: recordCommits } = countingStore(skipAbsentReads(o.store));
  const manifestMemo: ManifestMemo = {};

  let loaded: { state: SyncState; clock: HlcClock } | undefined;
  let loading: Promise<{ state: SyncState; clock: HlcClock }> | undefined;
  let storeChain: Promise<unknown> = Promise.resolve();
  let passChain: Promise<unknown> = Promise.resolve();
  let running = false;
  let rerun = false;
  let background: Promise<void> = Promise.resolve();
  const unsubscribe: (() => void)[] = [];

  function serialise(which: 'store' | 'pass') {
    return <T>(fn: () => Promise<T>): Promise<T> => {
      const prev = which === 'store' ? storeChain : passChain;
      const next = prev.then(fn, fn);
      const settled = next.catch(() => undefined);
      if (which === 'store') storeChain = settled;
      else passChain = settled;
      return next;
    };
  }
  /** Read-modify-writes of the store (local writes, merges): short, never across the network. */
  const exclusive = serialise('store');
  /** One pass at a time; a pass takes the store lock only around each merge. */
  const onePass = serialise('pass');

  /** Loads the persisted state and clock once (single-flight). */
  function load() {
    if (loaded !== undefined) return Promise.resolve(loaded);
    loading ??= (async () => {
      const state = { ...EMPTY_STATE, ...(await store.getState()) };
      const last = state.hlc === undefined ? undefined : parseHlc(state.hlc);
      loaded = {
        state,
        clock: createHlcClock(o.device, { now, ...(last === undefined ? {} : { last }) }),
      };
      return loaded;
    })().finally(() => {
      loading = undefined;
    });
    return loading;
  }

  const writer = {
    store,
    load,
    exclusive,
    policyOf,
    written: () => schedule(),
  };
  const writeOne = (collection: string, change: LocalChange) =>
    writeLocal(writer, collection, [change]);

  function toSynced(r: LocalRecord): SyncedValue | undefined {
    if (r.deleted || r.doc === undefined) return undefined;
    const v: SyncedValue = { id: r.id, value: docValue(r.doc) };
    if (r.doc.kind === 'body' && r.doc.conflictOf !== undefined) v.conflictOf = r.doc.conflictOf;
    if (r.doc.kind === 'fields') {
      v.stamps = Object.fromEntries(Object.entries(r.doc.fields).map(([k, f]) => [k, f.hlc]));
    }
    return v;
  }

  async function readRecords(collection: string): Promise<SyncedValue[]> {
    const recs = await store.listRecords(collection);
    return recs.flatMap((r) => toSynced(r) ?? []);
  }

  async function pass(): Promise<SyncReport> {
    const { state, clock } = await load();
    const ctx: PassContext = {
      transport: o.transport,
      store,
      keys: o.keys,
      device: o.device,
      clock,
      policyOf,
      newId,
      now,
      pullLimit: o.pullLimit ?? 1000,
      maxOpsPerPush: o.maxOpsPerPush ?? 200,
      maxManifestChars: base64Length(o.maxManifestBytes ?? DEFAULT_MAX_ENVELOPE_BYTES),
      state,
      report: { pulled: 0, pushed: 0, conflicts: [] },
      atomic: exclusive,
      manifestMemo,
      recordCommits,
      ...(o.onRemoteApplied === undefined
        ? {}
        : {
            onRemoteApplied: (r: LocalRecord) =>
              o.onRemoteApplied?.(r.collection, r.id, toSynced(r)),
          }),
    };
    await pullAll(ctx);
    await checkRemoteManifest(ctx);
    const pushed = await pushAll(ctx);
    if (pushed > 0) {
      await pullAll(ctx);
      await uploadManifest(ctx);
    }
    state.lastSyncedAt = now();
    await store.commit({ state: { ...state } });
    for (const c of ctx.report.conflicts) o.onConflict?.(c);
    return ctx.report;
  }

  async function syncWithRetry(): Promise<SyncReport> {
    for (let attempt = 0; ; attempt++) {
      try {
        // The in-memory state only ever advances past verified data, so a failed pass
        // can resume from it.
        return await onePass(pass);
      } catch (e) {
        if (!(e instanceof RelayError) || !e.retryable || attempt + 1 >= maxAttempts) throw e;
        await sleep(backoffDelay(attempt, o.backoff, e.retryAfter));
      }
    }
  }

  function schedule(): void {
    if (unsubscribe.length === 0) return; // background sync not started
    if (running) {
      rerun = true;
      return;
    }
    running = true;
    background = (async () => {
      do {
        rerun = false;
        try {
          await syncWithRetry();
        } catch (e) {
          o.onError?.(e instanceof Error ? e : new Error('sync failed'));
        }
      } while (rerun && unsubscribe.length > 0);
      running = false;
    })();
  }

  return {
    setFields: (collection, id, fields) => writeOne(collection, { id, fields }),
    setBody: (collection, id, body) => writeOne(collection, { id, body }),
    remove: (collection, id) => writeOne(collection, { id, remove: true }),
    writeMany: (collection, changes) => writeLocal(writer, collection, changes),
    async read(collection, id) {
      const rec = await exclusive(() => store.getRecord(collection, id));
      return rec === undefined ? undefined : toSynced(rec);
    },
    async readMany(collection, ids) {
      const keys = ids.map((id) => ({ collection, id }));
      const recs = await exclusive(() => store.getRecords(keys));
      return recs.map((r) => (r === undefined ? undefined : toSynced(r)));
    },
    list: (collection) => exclusive(() => readRecords(collection)),
    sync: syncWithRetry,
    start() {
      if (unsubscribe.length > 0 || o.socket === undefined) return;
      const socket = o.socket;
      unsubscribe.push(
        socket.onNotify((seq) => {
          if (loaded === undefined || seq > loaded.state.cursor) schedule();
        }),
        socket.onStatusChange((s) => {
          if (s === 'online') schedule();
        }),
      );
      schedule();
    },
    stop() {
      for (const u of unsubscribe.splice(0)) u();
    },
    async status() {
      const { state } = await load();
      const pending = (await exclusive(() => store.listDirty())).length;
      return { lastSyncedAt: state.lastSyncedAt, pending };
    },
    async idle() {
      while (running) await background;
      await passChain;
      await storeChain;
    },
  };
}
