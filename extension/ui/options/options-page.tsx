import type { PageServices } from '../../adapters/create-page-services';
import { SecuritySection } from './security-section';

/** The unlocked options page. */
export function OptionsPage({ services }: { services: PageServices }) {
  return (
    <div className="app options" data-testid="app-root">
      <header className="topbar">
        <h1>Nook options</h1>
      </header>
      <SecuritySection services={services} />
      <section className="card stack" aria-labelledby="providers-title">
        <h2 id="providers-title">Providers</h2>
        <p className="muted">
          No AI provider is set up yet. Provider settings arrive with the chat engine.
        </p>
      </section>
    </div>
  );
}
