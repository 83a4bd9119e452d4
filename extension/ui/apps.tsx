import type { PageServices } from '../adapters/create-page-services';
import { ChatShell } from './chat/chat-shell';
import { useActivityReporter } from './hooks/use-activity';
import { useChatLifecycle } from './hooks/use-chat-lifecycle';
import { useStore } from './hooks/use-store';
import { OptionsPage } from './options/options-page';
import { VaultGate } from './vault/vault-gate';

/** The side panel: vault screens while locked, the conversation shell once unlocked. */
export function SidePanelApp({ services }: { services: PageServices }) {
  const { status } = useStore(services.vault);
  useChatLifecycle(status, services.chat);
  useActivityReporter(services.vault);
  return (
    <VaultGate vault={services.vault} onLinkBrowser={services.openOptions}>
      <ChatShell services={services} />
    </VaultGate>
  );
}

/** The options page: vault screens while locked, settings once unlocked. */
export function OptionsApp({ services }: { services: PageServices }) {
  useActivityReporter(services.vault);
  return (
    <VaultGate vault={services.vault}>
      <OptionsPage services={services} />
    </VaultGate>
  );
}
