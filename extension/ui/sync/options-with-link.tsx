import type { PageServices } from '../../adapters/create-page-services';
import { OptionsApp } from '../apps';
import { useStore } from '../hooks/use-store';
import { LinkForm } from './link-form';

/**
 * The options page. On a browser with no vault yet it also offers "Link this browser" to an
 * existing Nook, beside the first-run setup.
 */
export function OptionsWithLinkApp({ services }: { services: PageServices }) {
  const { status } = useStore(services.vault);
  return (
    <>
      <OptionsApp services={services} />
      {status === 'uninitialized' && (
        <main className="screen">
          <LinkForm sync={services.sync} hostAccess={services.hostAccess} />
        </main>
      )}
    </>
  );
}
