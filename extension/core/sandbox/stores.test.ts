import { describe, expect, it } from 'vitest';
import { createFakeSandbox } from './fake-sandbox';
import { createSandboxFilesStore, uploadPath } from './files-store';
import { createSandboxStatusStore, formatBytes } from './status-store';

/** A hand-driven "sync status changed" source. */
function changes() {
  const listeners = new Set<() => void>();
  return {
    subscribe: (l: () => void) => (listeners.add(l), () => listeners.delete(l)),
    fire: () => listeners.forEach((l) => l()),
    size: () => listeners.size,
  };
}
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('sandbox stores', () => {
  it('follow connect and disconnect, and ignore sync chatter that changes nothing', async () => {
    const sandbox = createFakeSandbox({ connected: false });
    const c = changes();
    const status = createSandboxStatusStore(sandbox, c.subscribe);
    const files = createSandboxFilesStore(sandbox, c.subscribe);
    await status.refresh();
    await files.refresh();
    const stopStatus = status.watch();
    const stopFiles = files.watch();
    expect(status.getState().connected).toBe(false);
    sandbox.write('a.txt', 'a');
    sandbox.setConnected(true);
    c.fire();
    await settle();
    await settle();
    expect(status.getState()).toMatchObject({ connected: true, status: { state: 'absent' } });
    expect(files.getState().files.map((f) => f.path)).toEqual(['a.txt']);
    // A sync pass finishing (same connection) costs no sandbox request.
    sandbox.fail('status', 'relay-down');
    c.fire();
    await settle();
    expect(status.getState().error).toBeUndefined();
    stopStatus();
    stopFiles();
    expect(c.size()).toBe(0);
  });

  it('shows failures in plain words and keeps the list', async () => {
    const sandbox = createFakeSandbox();
    sandbox.write('keep.csv', '1');
    const files = createSandboxFilesStore(sandbox);
    await files.refresh();
    sandbox.fail('download', 'relay-down');
    expect(await files.download('keep.csv')).toBeUndefined();
    expect(files.getState().error).toMatch(/cannot be reached/);
    expect(files.getState().files).toHaveLength(1);
    sandbox.fail('upload', 'quota-exceeded');
    expect(await files.upload('big.bin', new Uint8Array(3))).toBe(false);
    expect(files.getState().error).toMatch(/workspace is full/);
    const status = createSandboxStatusStore(sandbox);
    sandbox.fail('reset', 'busy');
    await status.reset();
    expect(status.getState().error).toMatch(/busy/);
    expect(sandbox.files.size).toBe(1);
  });

  it('keeps only safe base names for uploads and formats sizes', () => {
    expect(uploadPath('/home/me/report.csv')).toBe('report.csv');
    expect(uploadPath('x'.repeat(256))).toBeUndefined();
    expect(uploadPath('')).toBeUndefined();
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(512 * 1024 * 1024)).toBe('512 MiB');
  });
});
