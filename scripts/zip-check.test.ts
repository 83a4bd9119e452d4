import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { checkChromePackage, pngSize } from './zip-chrome-check';
import { checkSourcesPackage, findHtmlSinks, REQUIRED_SOURCES } from './zip-sources-check';

/** A minimal valid PNG of the given size (one transparent pixel row per line). */
function png(size: number): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    return Buffer.concat([len, Buffer.from(type), data, Buffer.alloc(4)]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  const raw = zlib.deflateSync(Buffer.alloc(size * (size * 4 + 1)));
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', raw),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const text = (s: string) => new TextEncoder().encode(s);

function pkg(manifest: Record<string, unknown>, extra: Record<string, Uint8Array> = {}) {
  return new Map<string, Uint8Array>([
    ['manifest.json', text(JSON.stringify(manifest))],
    ['background.js', text('')],
    ['sidepanel.html', text('<script type="module" src="/chunks/a.js"></script>')],
    ['icon/128.png', png(128)],
    ['icon/16.png', png(16)],
    ['chunks/_virtual_wxt-plugins.js', text('')],
    ...Object.entries(extra),
  ]);
}

const good = {
  manifest_version: 3,
  name: 'Nook',
  description: 'A private AI assistant.',
  version: '0.1.0',
  icons: { '16': 'icon/16.png', '128': 'icon/128.png' },
  background: { service_worker: 'background.js' },
  side_panel: { default_path: 'sidepanel.html' },
  content_security_policy: {
    extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'",
  },
  permissions: ['storage', 'sidePanel', 'declarativeNetRequestWithHostAccess'],
};

describe('Chrome package check (offline)', () => {
  it('passes a store-ready package (chunks/_x.js is fine below the root)', () => {
    expect(checkChromePackage(pkg(good))).toEqual([]);
  });

  it('reads PNG sizes and refuses what is not a PNG', () => {
    expect(pngSize(png(48))).toEqual({ width: 48, height: 48 });
    expect(pngSize(text('GIF89a....................'))).toBeUndefined();
  });

  it('names each store rule a package breaks', () => {
    const bad = {
      ...good,
      name: 'N'.repeat(76),
      description: 'd'.repeat(133),
      version: '1.02',
      key: 'abc',
      icons: { '16': 'icon/128.png' },
      side_panel: { default_path: 'missing.html' },
      content_security_policy: { extension_pages: "script-src 'self' https://cdn.example" },
      permissions: ['storage', 'menus'],
    };
    const problems = checkChromePackage(
      pkg(bad, {
        '_metadata/x.json': text('{}'),
        'options.html': text('<script src="https://cdn.example/x.js"></script>'),
      }),
    ).join('\n');
    for (const words of [
      /name must be 1–75/,
      /description must be at most 132/,
      /version must be/,
      /"key"/,
      /128×128 icon/,
      /icon\/128\.png is 128×128, not 16×16/,
      /side panel page missing\.html/,
      /_metadata: names starting with "_"/,
      /CSP script-src allows https:\/\/cdn\.example/,
      /options\.html loads a remote script/,
      /permission menus is not a Chrome permission/,
    ]) {
      expect(problems).toMatch(words);
    }
  });

  it('stops at a missing or broken manifest', () => {
    expect(checkChromePackage(new Map())).toEqual([
      'manifest.json is missing from the root of the package.',
    ]);
    expect(checkChromePackage(new Map([['manifest.json', text('{')]]))).toEqual([
      'manifest.json is not valid JSON.',
    ]);
  });
});

describe('Firefox source package check', () => {
  it('wants what a rebuild needs and nothing private or generated', () => {
    expect(checkSourcesPackage([...REQUIRED_SOURCES, 'extension/core/x.ts'])).toEqual([]);
    const problems = checkSourcesPackage([
      'package.json',
      'node_modules/x/index.js',
      '.output/chrome-mv3/manifest.json',
      '.data/relay/pepper',
      'shared/.env.local',
      'keys/server.pem',
    ]).join('\n');
    expect(problems).toMatch(/package-lock\.json is missing/);
    for (const f of ['node_modules/x', '.output/', '.data/', '.env.local', 'server.pem']) {
      expect(problems).toContain(f);
    }
  });

  it('finds HTML/code sinks in code but not in comments', () => {
    const hits = findHtmlSinks(
      new Map([
        ['a.ts', '// never meets innerHTML\n * innerHTML in a doc comment\nconst x = 1;'],
        ['b.tsx', 'el.innerHTML = s;\n<div dangerouslySetInnerHTML={{ __html: s }} />'],
      ]),
    );
    expect(hits).toEqual(['b.tsx:1', 'b.tsx:2']);
  });
});
