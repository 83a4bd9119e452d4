/**
 * The relay address rule, checked in the form before anything is sent (the relay client
 * enforces the same rule again): https anywhere, plain http only to this machine.
 */

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** The result of {@link checkRelayUrl}. */
export type RelayUrlCheck =
  { ok: true; url: string; origin: string } | { ok: false; message: string };

/** Checks a relay address the user typed; `origin` is what the host permission is asked for. */
export function checkRelayUrl(raw: string): RelayUrlCheck {
  const text = raw.trim();
  if (text === '') return { ok: false, message: 'Enter the address of your relay.' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: 'That is not a valid address, e.g. https://relay.example.org' };
  }
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) {
    return {
      ok: false,
      message:
        'Plain http:// would expose your sync traffic on the network: use https://. ' +
        'Plain http is allowed only to this machine (127.0.0.1, ::1 or localhost).',
    };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, message: 'The relay address must start with https://.' };
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    return { ok: false, message: 'The relay address must not contain a password or a query.' };
  }
  return { ok: true, url: text.replace(/\/+$/, ''), origin: url.origin };
}
