import { useEffect } from 'react';
import type { ChatController } from '../../core/conversations/chat-controller';
import type { VaultState } from '../../core/vault/vault-service';

/** Loads (decrypts) conversations after unlock and forgets them on lock. */
export function useChatLifecycle(status: VaultState['status'], chat: ChatController): void {
  useEffect(() => {
    if (status === 'unlocked') void chat.load();
    else chat.reset();
  }, [status, chat]);
}
