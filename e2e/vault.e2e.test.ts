import { chromium } from './pages/targets';
import { vaultJourney } from './pages/vault-journey';

// The vault journey (e2e/pages/vault-journey.ts) in Debian's Chromium.
vaultJourney(chromium);
