/**
 * The manifest check on every pass reads every record's seen version. An idle pass, with the
 * same manifest bytes, the same cursor and nothing committed since the last passing check,
 * skips it (the answer cannot differ); anything else checks again, and attacks are still
 * caught on the next pass.
 */
import { describe, expect, it } from 'vitest';
import { fromBase64, toBase64, utf8Decode, utf8Encode } from '../../../shared/crypto';
import { isSyncError } from './errors';
import { createFakeRelay } from './fake-relay';
import { createMemoryLocalStore } from './memory-local-store';
import { createTestDevice, fakeSyncKeys } from './sync-test-kit';

async function world() {
  const relay = createFakeRelay();
  const keys = fakeSyncKeys();
  const a = createTestDevice(relay, keys, 'A');
  await a.engine.setFields('conversations', 'c1', { title: 'one' });
  await a.engine.setBody('memory', 'k1', 'likes tea');
  await a.engine.sync();
  const store = createMemoryLocalStore();
  let checks = 0;
  const b = createTestDevice(relay, keys, 'B', {
    store: {
      ...store,
      listSeen() {
        checks += 1;
        return store.listSeen();
      },
    },
  });
  await b.engine.sync();
  return { relay, a, b, checks: () => checks };
}

describe('manifest check per pass', () => {
  it('an idle pass does not read every record again; a change of any input does', async () => {
    const { a, b, checks } = await world();
    expect(checks()).toBe(1);
    await b.engine.sync();
    await b.engine.sync();
    expect(checks()).toBe(1);
    // A new manifest (and a pulled record).
    await a.engine.setFields('conversations', 'c2', { title: 'two' });
    await a.engine.sync();
    await b.engine.sync();
    expect(checks()).toBe(2);
    // A local write (pushed, pulled back, manifest re-checked before its upload).
    await b.engine.setFields('conversations', 'c1', { title: 'renamed' });
    await b.engine.sync();
    const after = checks();
    expect(after).toBeGreaterThan(2);
    await b.engine.sync();
    expect(checks()).toBe(after);
  });

  it('a manifest tampered after an idle pass is refused on the next one', async () => {
    const { relay, b } = await world();
    await b.engine.sync();
    const m = relay.state.manifest!;
    const json = JSON.parse(utf8Decode(fromBase64(m.blob))) as { entries: unknown[] };
    json.entries.pop();
    relay.state.manifest = { ...m, blob: toBase64(utf8Encode(JSON.stringify(json))) };
    await expect(b.engine.sync()).rejects.toSatisfy((e: unknown) => isSyncError(e, 'bad-manifest'));
  });

  it('an older manifest served after an idle pass is a rollback', async () => {
    const { relay, a, b } = await world();
    const old = relay.state.manifest;
    await a.engine.setFields('conversations', 'c2', { title: 'two' });
    await a.engine.sync();
    await b.engine.sync();
    await b.engine.sync();
    relay.state.manifest = old;
    await expect(b.engine.sync()).rejects.toSatisfy((e: unknown) => isSyncError(e, 'rollback'));
  });
});
