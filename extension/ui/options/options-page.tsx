import type { PageServices } from '../../adapters/create-page-services';
import '../chat/chat.css';
import { usePageData } from '../hooks/use-page-data';
import { PersonasSection } from './personas-section';
import { ProvidersSection } from './providers-section';
import { SecuritySection } from './security-section';

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
      <SecuritySection services={services} />
    </div>
  );
}
