/**
 * Runs the provider double by hand: `npx tsx e2e/doubles/serve.ts --port 0 [--key K]
 * [--allow-extension-origins]`. Prints the base URL of each API, then serves the default
 * echo scenario until Ctrl-C.
 */
import { parseArgs } from 'node:util';
import { createProviderDouble } from './provider-double';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    key: { type: 'string' },
    'allow-extension-origins': { type: 'boolean', default: false },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error('--port must be an integer between 0 and 65535');
  process.exit(2);
}
if (values.host !== '127.0.0.1' && values.host !== '::1') {
  console.error('--host must be 127.0.0.1 or ::1 (the double only listens on loopback)');
  process.exit(2);
}

const double = await createProviderDouble({
  port,
  host: values.host,
  apiKey: values.key,
  allowExtensionOrigins: values['allow-extension-origins'],
});
console.log(double.url);
console.log(`  openai     ${double.baseUrl('openai')}`);
console.log(`  anthropic  ${double.baseUrl('anthropic')}`);
console.log(`  gemini     ${double.baseUrl('gemini')}`);
console.log(`  ollama     ${double.baseUrl('ollama')}`);

const stop = (): void => {
  void double.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
