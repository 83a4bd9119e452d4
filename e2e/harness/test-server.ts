import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The hostile and ordinary pages the browser tests load. */
export const FIXTURE_PAGES_DIR = fileURLToPath(new URL('../fixtures/pages/', import.meta.url));

/** A marker at the very end of `/huge.html`: far past any sane cap. */
export const HUGE_PAGE_TAIL_MARKER = 'HUGE_PAGE_TAIL_MARKER';
/** Roughly how much text `/huge.html` carries. */
export const HUGE_PAGE_TEXT_BYTES = 5 * 1024 * 1024;

export interface TestServer {
  /** Base URL with a trailing slash, e.g. `http://127.0.0.1:41234/`. */
  url: string;
  close(): Promise<void>;
}

const PAGE_NAME = /^\/([a-z0-9][a-z0-9-]*\.html)$/;

// ~5 MB of visible paragraphs, built once per server: the extractor must stop at its cap
// rather than walk it all.
function hugePage(): string {
  const sentence =
    'Paragraph {n} of the huge page: the quick brown fox jumps over the lazy dog again. ';
  const parts: string[] = [
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Huge page</title></head><body><h1>Huge page</h1>',
  ];
  let size = 0;
  for (let n = 0; size < HUGE_PAGE_TEXT_BYTES; n++) {
    const p = sentence.replaceAll('{n}', String(n)).repeat(6);
    parts.push(`<p>${p}</p>`);
    size += p.length;
  }
  parts.push(`<p>${HUGE_PAGE_TAIL_MARKER}</p></body></html>`);
  return parts.join('\n');
}

/**
 * Serves `e2e/fixtures/pages/*.html` plus a generated `/huge.html` on 127.0.0.1 (a free
 * port). Nothing else: other paths, methods and dot-dot tricks get a 404/405.
 */
export async function startTestServer(): Promise<TestServer> {
  const pages = new Set(fs.readdirSync(FIXTURE_PAGES_DIR).filter((f) => f.endsWith('.html')));
  let huge: string | undefined;
  const server = http.createServer((req, res) => {
    const send = (status: number, body: string, type = 'text/plain; charset=utf-8') => {
      res.writeHead(status, {
        'content-type': type,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed');
    const pathname = (req.url ?? '/').split('?')[0] ?? '/';
    const name = PAGE_NAME.exec(pathname)?.[1];
    const html = 'text/html; charset=utf-8';
    if (name === 'huge.html') {
      huge ??= hugePage();
      return send(200, huge, html);
    }
    if (!name || !pages.has(name)) return send(404, 'not found');
    send(200, fs.readFileSync(path.join(FIXTURE_PAGES_DIR, name), 'utf8'), html);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('test server has no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
