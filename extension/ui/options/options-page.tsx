import type { PageServices } from '../../adapters/create-page-services';
import '../chat/chat.css';
import { usePageData } from '../hooks/use-page-data';
import { DataSection } from './data-section';
import { LedgerSection } from './ledger-section';
import { MemorySection } from './memory-section';
import { PersonasSection } from './personas-section';
import { PromptsSection } from './prompts-section';
import { ProvidersSection } from './providers-section';
import { SandboxSection } from './sandbox-section';
import { SecuritySection } from './security-section';
import { SyncSection } from './sync-section';
import { UsageSection } from './usage-section';

/** The unlocked options page. */
export function OptionsPage({ services }: { services: PageServices }) {
  usePageData(services);
  return (
    <div className="app options" data-testid="app-root">
      <header className="topbar">
        <h1>Nook options</h1>
      </header>
      <ProvidersSection services={services} />
      <PersonasSection services={services} />
      <PromptsSection services={services} />
      <SecuritySection services={services} />
      <MemorySection services={services} />
      <UsageSection services={services} />
      <LedgerSection services={services} />
      <DataSection services={services} />
      <SyncSection services={services} />
      <SandboxSection store={services.sandbox.status} />
    </div>
  );
}
