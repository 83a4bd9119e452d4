/** Open, authenticated WebSockets on this instance, so revocations can close them at once. */
import type { WebSocket } from 'ws';

interface Entry {
  socket: WebSocket;
  deviceId: string;
  familyId: string;
}

export interface SocketRegistry {
  add(accountId: string, entry: Entry): () => void;
  closeAccount(accountId: string, code: number, reason: string): void;
  closeDevice(accountId: string, deviceId: string, code: number, reason: string): void;
  closeFamily(accountId: string, familyId: string, code: number, reason: string): void;
  closeOtherFamilies(accountId: string, keepFamilyId: string, code: number, reason: string): void;
  closeAll(code: number, reason: string): void;
  count(): number;
}

/** Creates an empty registry. */
export function createSocketRegistry(): SocketRegistry {
  const byAccount = new Map<string, Set<Entry>>();
  const closeWhere = (
    accountId: string,
    pred: (e: Entry) => boolean,
    code: number,
    reason: string,
  ) => {
    for (const e of [...(byAccount.get(accountId) ?? [])])
      if (pred(e)) e.socket.close(code, reason);
  };
  return {
    add(accountId, entry) {
      let set = byAccount.get(accountId);
      if (set === undefined) {
        set = new Set();
        byAccount.set(accountId, set);
      }
      set.add(entry);
      return () => {
        set.delete(entry);
        if (set.size === 0) byAccount.delete(accountId);
      };
    },
    closeAccount: (a, code, reason) => closeWhere(a, () => true, code, reason),
    closeDevice: (a, d, code, reason) => closeWhere(a, (e) => e.deviceId === d, code, reason),
    closeFamily: (a, f, code, reason) => closeWhere(a, (e) => e.familyId === f, code, reason),
    closeOtherFamilies: (a, f, code, reason) =>
      closeWhere(a, (e) => e.familyId !== f, code, reason),
    closeAll(code, reason) {
      for (const a of [...byAccount.keys()]) closeWhere(a, () => true, code, reason);
    },
    count: () => [...byAccount.values()].reduce((n, s) => n + s.size, 0),
  };
}
