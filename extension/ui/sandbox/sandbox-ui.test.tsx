// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ChatController } from '../../core/conversations/chat-controller';
import type { Message } from '../../core/models';
import { createFakeSandbox, type FakeSandbox } from '../../core/sandbox/fake-sandbox';
import { createLiveRuns, liveRunKey } from '../../core/sandbox/live-runs';
import { createSandboxFilesStore } from '../../core/sandbox/files-store';
import { createRunCodeTool } from '../../core/sandbox/run-code-tool';
import { createSandboxStatusStore } from '../../core/sandbox/status-store';
import type { StoredToolCall } from '../../core/tools/types';
import { SandboxSection } from '../options/sandbox-section';
import { FilesPanel } from './files-panel';
import { ToolCallCard } from '../chat/tool-call-card';
import './run-code-card';
import { SandboxUiContext } from './sandbox-context';

beforeAll(() => {
  // happy-dom has no object URLs; the card only needs distinct strings.
  let n = 0;
  URL.createObjectURL = vi.fn(() => `blob:test/${++n}`);
  URL.revokeObjectURL = vi.fn();
});
afterEach(cleanup);

const call = (state: StoredToolCall['state'], code = 'print(1)'): StoredToolCall => ({
  id: 'call1',
  name: 'run_code',
  arguments: { language: 'python', code },
  state,
});
const message: Message = {
  id: 'm1',
  conversationId: 'c1',
  role: 'assistant',
  content: '',
  createdAt: 1,
};

function renderCard(c: StoredToolCall, sandbox: FakeSandbox, live = createLiveRuns()) {
  const chat = { decideToolCall: vi.fn(async () => undefined), stop: vi.fn() };
  const ui = (x: StoredToolCall) => (
    <SandboxUiContext.Provider value={{ sandbox, live }}>
      <ToolCallCard
        call={x}
        message={message}
        chat={chat as unknown as ChatController}
        untrusted={false}
      />
    </SandboxUiContext.Provider>
  );
  const r = render(ui(c));
  return { chat, live, rerender: (x: StoredToolCall) => r.rerender(ui(x)) };
}

describe('run_code card', () => {
  it('shows the code; Edit edits the code itself and Run sends it', () => {
    const { chat } = renderCard(call({ status: 'pending' }), createFakeSandbox());
    expect(screen.getByText('Run Python in your sandbox')).toBeTruthy();
    expect(screen.getByTestId('run-code').textContent).toBe('print(1)');
    fireEvent.click(screen.getByTestId('tool-edit'));
    const box = screen.getByTestId('tool-args-input') as HTMLTextAreaElement;
    expect(box.value).toBe('print(1)');
    fireEvent.change(box, { target: { value: 'print(2)' } });
    fireEvent.click(screen.getByTestId('tool-run'));
    expect(chat.decideToolCall).toHaveBeenCalledWith('m1', 'call1', {
      kind: 'run',
      args: { language: 'python', code: 'print(2)' },
    });
  });

  it('streams live output while running, then shows output, images and downloads', async () => {
    const sandbox = createFakeSandbox({
      script(_i, api) {
        api.emit('stdout', 'hello\n');
        api.write('plot.png', new Uint8Array([137, 80, 78, 71]));
        api.write('out.csv', 'x\n');
      },
    });
    const live = createLiveRuns();
    const { rerender } = renderCard(call({ status: 'running' }, 'x'), sandbox, live);
    const key = liveRunKey('m1', 'x');
    act(() => {
      live.start(key);
      live.push(key, { stream: 'stdout', data: 'line 1\n' });
      live.push(key, { stream: 'stderr', data: 'oops\n' });
    });
    expect(screen.getByTestId('run-live-output').textContent).toBe('line 1\noops\n');
    const outcome = await createRunCodeTool(sandbox, live).run(
      { language: 'python', code: 'x' },
      { conversationId: 'c1', messageId: 'm1', signal: new AbortController().signal },
    );
    expect(live.get(key)).toEqual([]);
    rerender(call({ status: 'done', outcome }, 'x'));
    expect(screen.getByTestId('run-stdout').textContent).toBe('hello\n');
    expect(screen.getByTestId('run-summary').textContent).toMatch(/finished/i);
    await waitFor(() =>
      expect(screen.getByTestId('run-image').getAttribute('src')).toMatch(/^blob:/),
    );
    expect(screen.getByTestId('run-file-download').textContent).toBe('out.csv');
  });

  it('shows why a run could not start', async () => {
    const sandbox = createFakeSandbox({ connected: false });
    const outcome = await createRunCodeTool(sandbox).run(
      { language: 'python', code: 'x' },
      { conversationId: 'c', messageId: 'm', signal: new AbortController().signal },
    );
    renderCard(call({ status: 'done', outcome }), sandbox);
    expect(screen.getByTestId('run-summary').textContent).toMatch(/Options → Sync/);
  });
});

describe('Files panel', () => {
  it('lists, uploads, deletes, and shows failures in plain words', async () => {
    const sandbox = createFakeSandbox();
    sandbox.write('a.txt', 'a');
    sandbox.write('.cache/lib/x.json', '{}');
    const store = createSandboxFilesStore(sandbox);
    render(<FilesPanel store={store} onClose={vi.fn()} />);
    await waitFor(() => expect(screen.getAllByTestId('sandbox-file-item')).toHaveLength(1));
    // Library caches are hidden until asked for.
    fireEvent.click(screen.getByTestId('sandbox-files-show-hidden'));
    expect(screen.getAllByTestId('sandbox-file-item')).toHaveLength(2);
    fireEvent.click(screen.getByTestId('sandbox-files-show-hidden'));
    const file = new File(['x,y\n1,2\n'], 'data.csv');
    await act(async () => {
      fireEvent.change(screen.getByTestId('sandbox-upload-input'), { target: { files: [file] } });
    });
    await waitFor(() => expect(screen.getAllByTestId('sandbox-file-item')).toHaveLength(2));
    expect(new TextDecoder().decode(sandbox.files.get('data.csv')?.bytes)).toBe('x,y\n1,2\n');
    sandbox.fail('deleteFile', 'relay-down');
    await act(async () => {
      fireEvent.click(screen.getAllByTestId('sandbox-file-delete')[0] as HTMLElement);
    });
    expect(screen.getByTestId('sandbox-files-error').textContent).toMatch(/cannot be reached/);
    await act(async () => {
      fireEvent.click(screen.getAllByTestId('sandbox-file-delete')[0] as HTMLElement);
    });
    await waitFor(() => expect(screen.getAllByTestId('sandbox-file-item')).toHaveLength(1));
  });

  it('points to Options → Sync when no relay is connected', async () => {
    const store = createSandboxFilesStore(createFakeSandbox({ connected: false }));
    render(<FilesPanel store={store} onClose={vi.fn()} />);
    await waitFor(() => screen.getByTestId('sandbox-files-not-connected'));
  });

  it('refuses unusable upload names without calling the relay', async () => {
    const sandbox = createFakeSandbox();
    const store = createSandboxFilesStore(sandbox);
    expect(await store.upload('..', new Uint8Array([1]))).toBe(false);
    expect(await store.upload('a\u0001b', new Uint8Array([1]))).toBe(false);
    expect(await store.upload('C:\\Users\\me\\data.csv', new Uint8Array([1]))).toBe(true);
    expect([...sandbox.files.keys()]).toEqual(['data.csv']);
  });
});

describe('Options → Sandbox', () => {
  it('shows state and usage, and resets only after confirmation', async () => {
    const sandbox = createFakeSandbox({ quotaBytes: 1024 * 1024 });
    await sandbox.upload('a.bin', new Uint8Array(2048));
    await sandbox.run({ language: 'shell', code: 'true' });
    const store = createSandboxStatusStore(sandbox);
    render(<SandboxSection store={store} />);
    await waitFor(() => expect(screen.getByTestId('sandbox-state').textContent).toBe('Running'));
    expect(screen.getByTestId('sandbox-usage').textContent).toBe('2.0 KiB of 1.0 MiB');
    fireEvent.click(screen.getByTestId('sandbox-reset'));
    expect(sandbox.files.size).toBe(1);
    await act(async () => {
      fireEvent.click(screen.getByTestId('sandbox-reset-confirm'));
    });
    await waitFor(() => screen.getByTestId('sandbox-notice'));
    expect(sandbox.files.size).toBe(0);
    expect(screen.getByTestId('sandbox-state').textContent).toMatch(/not created/i);
  });

  it('says when the relay is not connected, or runs no sandbox', async () => {
    const sandbox = createFakeSandbox({ connected: false });
    render(<SandboxSection store={createSandboxStatusStore(sandbox)} />);
    await waitFor(() => screen.getByTestId('sandbox-not-connected'));
    cleanup();
    const off = createFakeSandbox();
    off.fail('status', 'sandbox-off');
    render(<SandboxSection store={createSandboxStatusStore(off)} />);
    await waitFor(() => screen.getByTestId('sandbox-off'));
    expect(screen.getByTestId('sandbox-state').textContent).toBe('Off on this relay');
  });
});
