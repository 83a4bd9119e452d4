import { browser } from 'wxt/browser';
import { createPageServices } from '../../adapters/create-page-services';
import type { KvArea } from '../../adapters/vault/kv-area';
import { OptionsApp } from '../../ui/apps';
import { mountApp } from '../../ui/mount';

// WXT types `browser` as Chrome's namespace; KvArea is the slice the adapter uses.
mountApp(OptionsApp, createPageServices(browser.storage.session as unknown as KvArea));
