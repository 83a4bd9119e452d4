import { browser } from 'wxt/browser';
import { createPageServices } from '../../adapters/create-page-services';
import type { KvArea } from '../../adapters/vault/kv-area';
import { SidePanelApp } from '../../ui/apps';
import { mountApp } from '../../ui/mount';

// WXT types `browser` as Chrome's namespace; KvArea is the slice the adapter uses.
mountApp(SidePanelApp, createPageServices(browser.storage.session as unknown as KvArea));
