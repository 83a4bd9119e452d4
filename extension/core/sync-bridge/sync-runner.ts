/**
 * Background sync for the extension pages. Every unlocked page competes for one Web Lock;
 * the holder (the "leader") runs the engine, the bridge and the relay socket, and the other
 * pages only nudge it. When the leader page closes or the vault locks, the lock passes on.
 *
 * Why pages and not the service worker: the pages already hold the unlocked vault and the
 * repos, MV3 service workers are stopped when idle (a sync pass could be cut at any await),
 * and a leader lock makes "one engine per profile" hold across any number of open pages.
 */
import { createSyncBridge, type SyncBridge } from './bridge';
import { BODY_COLLECTIONS, bridgedCollections } from './collections';
import { syncErrorText } from './errors';
import { lockedRelayClient } from './locked-client';
import { SYNC_NUDGE, type SyncServicePorts } from './ports';

/** The lock that elects the page running sync. */
export const LEADER_LOCK = 'nook-sync-leader';
/**
 * How often the leader syncs without any nudge (the relay may have changes the socket did
 * not announce). A poll reads only the repo rows reported changed since the last pass.
 */
export const POLL_MS = 20_000;
/** Every this many polls (5 min), every repo row is compared again: catches unreported writes. */
export const RESCAN_EVERY_POLLS = 15;
const SIGNED_OUT = 'The relay session ended. Enter your passphrase to reconnect.';
/** Local writes within this window are mirrored in one pass. */
const DEBOUNCE_MS = 300;

/** Start/stop of background sync in one page. */
export interface SyncRunner {
  /** Call when the vault unlocks: waits for leadership, then syncs until `stop()`. */
  start(): void;
  /** Call when the vault locks or the page goes away. */
  stop(): void;
}

/** Creates the runner over the ports. Timers are injectable for tests. */
export function createSyncRunner(
  ports: SyncServicePorts,
  timers: {
    setTimeout: (fn: () => void, ms: number) => unknown;
    clearTimeout: (h: unknown) => void;
  } = {
    setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
    clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
  },
): SyncRunner {
  let active: { stop: () => void } | undefined;

  /** One leadership term: reconnects whenever the config changes, until stopped. */
  function lead(stopped: Promise<void>, isStopped: () => boolean): Promise<void> {
    return (async () => {
      while (!isStopped()) {
        const changed = new Promise<void>((resolve) => {
          const off = ports.channel.subscribe((m) => {
            if (m === SYNC_NUDGE.configChanged) {
              off();
              resolve();
            }
          });
          void stopped.then(() => {
            off();
            resolve();
          });
        });
        try {
          await connection(changed);
        } catch (e) {
          // Locked or the store failed: say so, and wait for the next config change or stop.
          await ports.shared
            .write({ error: syncErrorText(e), at: ports.now(), running: false })
            .catch(() => undefined);
        }
        await changed;
      }
    })();
  }

  /** Runs one connection (config → engine → bridge) until `until` resolves. */
  async function connection(until: Promise<void>): Promise<void> {
    let config;
    try {
      config = await ports.config.load();
    } catch {
      return; // locked meanwhile
    }
    if (config === undefined) return;
    const client = lockedRelayClient(ports.relay(config.relayUrl), ports.withLock);
    if (!(await client.hasSession())) {
      await ports.shared.write({ error: SIGNED_OUT, at: undefined, running: false });
      return;
    }
    // The engine reports what the relay changed to the bridge, which is made after it.
    const ref: { bridge?: SyncBridge } = {};
    const { engine, socket } = await ports.openEngine(client, config, {
      onRemoteApplied: (collection, id, value) => ref.bridge?.noteRemote(collection, id, { value }),
    });
    const theBridge = createSyncBridge({
      engine,
      collections: ports.collections(bridgedCollections(config.syncSecrets)),
      bodyCollections: BODY_COLLECTIONS,
      marks: ports.marks,
      localChanges: 'noted',
    });
    ref.bridge = theBridge;
    let timer: unknown;
    let poll: unknown;
    let done = false;
    let running: Promise<void> = Promise.resolve();
    let again = false;

    const pass = async () => {
      let error: string | undefined;
      let applied = 0;
      try {
        applied = (await theBridge.run()).appliedIn;
      } catch (e) {
        error = syncErrorText(e);
      }
      await ports.shared.write({ error, at: ports.now(), running: true });
      if (applied > 0) ports.channel.post(SYNC_NUDGE.remoteChanged);
      if (error === SIGNED_OUT || !(await client.hasSession())) {
        // Signed out (revoked, token reuse): nothing more to do until the user reconnects.
        done = true;
      }
    };
    // The first pass starts at once (a browser just linked waits for it); later ones are
    // debounced so a burst of local writes is mirrored in one pass.
    const kick = (delay = DEBOUNCE_MS) => {
      if (done) return;
      timers.clearTimeout(timer);
      timer = timers.setTimeout(() => {
        if (done) return;
        // One pass at a time; a kick during a pass asks for exactly one more.
        if (again) return;
        again = true;
        running = running.then(() => {
          again = false;
          return done ? undefined : pass();
        });
      }, delay);
    };
    let polls = 0;
    const tick = () => {
      if (done) return;
      if (polls > 0 && polls % RESCAN_EVERY_POLLS === 0) theBridge.rescanLocal();
      kick(polls === 0 ? 0 : DEBOUNCE_MS);
      polls += 1;
      poll = timers.setTimeout(tick, POLL_MS);
    };

    const offs = [
      ports.onLocalChange((changes) => {
        for (const ch of changes) theBridge.noteLocal(ch.collection, ch.ids);
        kick();
      }),
      ports.channel.subscribe((m) => m === SYNC_NUDGE.syncNow && kick()),
      socket?.onNotify(() => kick()),
      socket?.onStatusChange((s) => s === 'online' && kick()),
    ];
    tick();
    await until;
    done = true;
    timers.clearTimeout(timer);
    timers.clearTimeout(poll);
    for (const off of offs) off?.();
    socket?.close();
    await running;
    const last = await ports.shared.read();
    await ports.shared.write({ error: last?.error, at: last?.at, running: false });
  }

  return {
    start() {
      if (active !== undefined) return;
      let stop!: () => void;
      let isStopped = false;
      const stopped = new Promise<void>((resolve) => {
        stop = () => {
          isStopped = true;
          resolve();
        };
      });
      active = { stop };
      ports.holdLock(LEADER_LOCK, () =>
        isStopped ? Promise.resolve() : lead(stopped, () => isStopped),
      );
    },
    stop() {
      active?.stop();
      active = undefined;
    },
  };
}
