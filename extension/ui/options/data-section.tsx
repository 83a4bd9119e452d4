import type { PageServices } from '../../adapters/create-page-services';
import '../data/data.css';
import { DeleteAllPanel } from '../data/delete-all-panel';
import { ExportPanel } from '../data/export-panel';
import { ImportPanel } from '../data/import-panel';
import { RetentionPanel } from '../data/retention-panel';
import { OptionsSection } from './options-section';

/** Options → Data: export, import, retention and "Delete all data". */
export function DataSection({ services }: { services: PageServices }) {
  return (
    <OptionsSection id="data" title="Your data" testId="data-section">
      <ExportPanel data={services.data.data} />
      <ImportPanel data={services.data.data} />
      <RetentionPanel services={services} />
      <DeleteAllPanel data={services.data} />
    </OptionsSection>
  );
}
