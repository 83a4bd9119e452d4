import type { PageServices } from '../../adapters/create-page-services';
import '../data/data.css';
import { DeleteAllPanel } from '../data/delete-all-panel';
import { ExportPanel } from '../data/export-panel';
import { ImportPanel } from '../data/import-panel';
import { RetentionPanel } from '../data/retention-panel';

/** Options → Data: export, import, retention and "Delete all data". */
export function DataSection({ services }: { services: PageServices }) {
  return (
    <section className="card stack" aria-labelledby="data-title" data-testid="data-section">
      <h2 id="data-title">Your data</h2>
      <ExportPanel data={services.data.data} />
      <ImportPanel data={services.data.data} />
      <RetentionPanel services={services} />
      <DeleteAllPanel data={services.data} />
    </section>
  );
}
