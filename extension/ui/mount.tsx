import { StrictMode, type ComponentType } from 'react';
import { createRoot } from 'react-dom/client';
import type { PageServices } from '../adapters/create-page-services';
import './styles.css';

/** Renders `App` into `#root` and starts the vault (called from an entrypoint's main). */
export function mountApp(
  App: ComponentType<{ services: PageServices }>,
  services: PageServices,
): void {
  const root = document.getElementById('root');
  if (!root) throw new Error('Nook: #root is missing from the page');
  createRoot(root).render(
    <StrictMode>
      <App services={services} />
    </StrictMode>,
  );
  void services.vault.init();
  window.addEventListener('pagehide', () => services.vault.dispose());
}
