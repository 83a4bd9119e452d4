import { waitFor } from '../harness/browser';
import { optionsPage } from './options-page';
import type { LaunchedExtension } from './targets';

/**
 * Reads Options → Ledger (every request the extension made: host and purpose) in a new
 * options tab, once at least one row is there, and closes the tab.
 */

/** One ledger line as the page shows it. */
export interface LedgerRow {
  host: string | null;
  purpose: string | null;
}

/** The ledger's rows, in the order the page lists them. */
export async function readLedgerRows(ext: LaunchedExtension): Promise<LedgerRow[]> {
  const o = optionsPage(await ext.openPage('options.html'));
  await o.visible('ledger-section');
  await waitFor(async () => (await o.page.$$(o.tid('ledger-row'))).length > 0, 'ledger rows');
  const rows = await o.page.$$eval(o.tid('ledger-row'), (els) =>
    els.map((e) => ({
      host: e.getAttribute('data-host'),
      purpose: e.getAttribute('data-purpose'),
    })),
  );
  await o.page.close();
  return rows;
}
