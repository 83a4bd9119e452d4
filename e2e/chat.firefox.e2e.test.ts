import { chatJourney } from './pages/chat-journey';
import { firefox } from './pages/targets';

// The chat journey (e2e/pages/chat-journey.ts) in Debian's Firefox ESR.
chatJourney(firefox);
