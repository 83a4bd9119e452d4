import { chatJourney } from './pages/chat-journey';
import { chromium } from './pages/targets';

// The chat journey (e2e/pages/chat-journey.ts) in Debian's Chromium.
chatJourney(chromium);
