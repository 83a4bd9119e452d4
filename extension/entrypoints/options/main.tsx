import { browser } from 'wxt/browser';
import { createPageServices, type PagePlatform } from '../../adapters/create-page-services';
import type { KvArea } from '../../adapters/vault/kv-area';
import { mountApp } from '../../ui/mount';
import { OptionsWithLinkApp } from '../../ui/sync/options-with-link';

// WXT types `browser` as Chrome's namespace; KvArea and PagePlatform are the slices used.
mountApp(
  OptionsWithLinkApp,
  createPageServices(
    browser.storage.session as unknown as KvArea,
    browser as unknown as PagePlatform,
  ),
);
