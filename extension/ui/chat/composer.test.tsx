// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createVault, KDF_FLOOR, type UnlockedVault } from '../../../shared/crypto';
import { createMemoryRepos } from '../../adapters/db/repos';
import { createChatController } from '../../core/conversations/chat-controller';
import { Composer } from './composer';

let vault: UnlockedVault;
beforeAll(async () => {
  vault = (await createVault({ passphrase: 'correct horse battery staple', kdf: KDF_FLOOR })).vault;
});
afterEach(cleanup);

describe('composer', () => {
  it('sends on Enter, adds a line on Shift+Enter, and clears only after saving', async () => {
    const { repos } = createMemoryRepos(() => vault);
    const chat = createChatController({
      conversations: repos.conversations,
      messages: repos.messages,
    });
    render(<Composer chat={chat} />);
    const box = screen.getByTestId('composer-input') as HTMLTextAreaElement;
    fireEvent.change(box, { target: { value: 'first line' } });
    fireEvent.keyDown(box, { key: 'Enter', shiftKey: true });
    expect(chat.getState().messages).toHaveLength(0);
    await act(async () => {
      fireEvent.keyDown(box, { key: 'Enter' });
    });
    await waitFor(() => expect(box.value).toBe(''));
    expect(chat.getState().messages).toMatchObject([
      { ok: true, value: { content: 'first line' } },
    ]);
  });

  it('keeps the text when saving fails (vault locked)', async () => {
    const { repos } = createMemoryRepos(() => {
      throw new Error('locked');
    });
    const chat = createChatController({
      conversations: repos.conversations,
      messages: repos.messages,
    });
    render(<Composer chat={chat} />);
    const box = screen.getByTestId('composer-input') as HTMLTextAreaElement;
    fireEvent.change(box, { target: { value: 'do not lose me' } });
    await act(async () => {
      fireEvent.click(screen.getByTestId('composer-send'));
    });
    await waitFor(() => expect(chat.getState().error).toMatch(/could not be saved/));
    expect(box.value).toBe('do not lose me');
  });
});
