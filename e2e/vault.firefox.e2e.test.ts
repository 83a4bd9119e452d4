import { firefox } from './pages/targets';
import { vaultJourney } from './pages/vault-journey';

// The same vault journey (e2e/pages/vault-journey.ts) in Debian's Firefox ESR.
vaultJourney(firefox);
