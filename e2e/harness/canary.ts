import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'puppeteer';

/** A unique string that must never appear outside the unlocked extension's memory. */
export function makeCanary(label: string): string {
  return `NOOKCANARY${label}${Math.random().toString(36).slice(2, 10)}Z`;
}

export interface CanaryForm {
  label: string;
  bytes: Buffer;
}

/**
 * Every encoding in which a leaked canary could sit in storage: UTF-8, UTF-16 (both
 * byte orders), hex, and base64/base64url at each of the three byte alignments (a
 * canary inside a longer plaintext encodes differently depending on its offset).
 */
export function canaryForms(canary: string): CanaryForm[] {
  const utf8 = Buffer.from(canary, 'utf8');
  const forms: CanaryForm[] = [
    { label: 'utf8', bytes: utf8 },
    { label: 'utf16le', bytes: Buffer.from(canary, 'utf16le') },
    { label: 'utf16be', bytes: Buffer.from(canary, 'utf16le').swap16() },
    { label: 'hex', bytes: Buffer.from(utf8.toString('hex'), 'ascii') },
    { label: 'HEX', bytes: Buffer.from(utf8.toString('hex').toUpperCase(), 'ascii') },
  ];
  for (let shift = 0; shift < 3; shift++) {
    const b64 = Buffer.concat([Buffer.alloc(shift, 0x20), utf8]).toString('base64');
    // Drop the characters that depend on neighbouring bytes at both ends.
    const core = b64.slice(Math.ceil((shift * 4) / 3) + 1, -4);
    forms.push({ label: `base64@${shift}`, bytes: Buffer.from(core, 'ascii') });
    forms.push({
      label: `base64url@${shift}`,
      bytes: Buffer.from(core.replace(/\+/g, '-').replace(/\//g, '_'), 'ascii'),
    });
  }
  return forms;
}

/** Labels of the canary forms found in `haystack`. */
export function findCanary(haystack: Buffer, canary: string): string[] {
  return canaryForms(canary)
    .filter((f) => haystack.includes(f.bytes))
    .map((f) => f.label);
}

/**
 * Reads every IndexedDB database and object store of the page's origin, plus
 * `storage.local`, and returns the raw contents as bytes: strings as UTF-8 and
 * UTF-16, binary values (envelopes) as their bytes.
 */
export async function dumpExtensionStorage(
  page: Page,
): Promise<{ bytes: Buffer; records: number; stores: string[] }> {
  const dump = await page.evaluate(async () => {
    const parts: string[] = [];
    const binary: number[][] = [];
    const stores: string[] = [];
    let records = 0;
    const walk = (v: unknown): void => {
      if (v == null) return;
      if (typeof v === 'string') parts.push(v);
      else if (typeof v === 'number' || typeof v === 'boolean') parts.push(String(v));
      else if (v instanceof ArrayBuffer) binary.push(Array.from(new Uint8Array(v)));
      else if (ArrayBuffer.isView(v))
        binary.push(Array.from(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)));
      else if (v instanceof Blob) parts.push('[blob]');
      else if (Array.isArray(v)) v.forEach(walk);
      else if (typeof v === 'object')
        for (const [k, x] of Object.entries(v)) {
          parts.push(k);
          walk(x);
        }
    };
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const db = await new Promise<IDBDatabase>((res, rej) => {
        const r = indexedDB.open(info.name!);
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      for (const name of Array.from(db.objectStoreNames)) {
        stores.push(`${info.name}/${name}`);
        const [keys, values] = await new Promise<[unknown[], unknown[]]>((res, rej) => {
          const tx = db.transaction(name, 'readonly');
          const s = tx.objectStore(name);
          const k = s.getAllKeys();
          const v = s.getAll();
          tx.oncomplete = () => res([k.result, v.result]);
          tx.onerror = () => rej(tx.error);
        });
        records += values.length;
        walk(keys);
        walk(values);
      }
      db.close();
    }
    const ext = (
      globalThis as unknown as {
        chrome?: { storage?: { local?: { get(k: null): Promise<unknown> } } };
      }
    ).chrome;
    if (ext?.storage?.local) walk(await ext.storage.local.get(null));
    return { parts, binary, records, stores };
  });
  const bytes = Buffer.concat([
    ...dump.parts.flatMap((s) => [Buffer.from(s, 'utf8'), Buffer.from(s, 'utf16le')]),
    ...dump.binary.map((b) => Buffer.from(b)),
  ]);
  return { bytes, records: dump.records, stores: dump.stores };
}

/** Every file under `dir` whose bytes contain a form of the canary (relative paths). */
export function scanFiles(dir: string, canary: string): string[] {
  const hits: string[] = [];
  const visit = (p: string): void => {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) for (const e of fs.readdirSync(p)) visit(path.join(p, e));
    else if (st.isFile() && st.size < 64 * 1024 * 1024) {
      let buf: Buffer;
      try {
        buf = fs.readFileSync(p);
      } catch {
        return; // a file Chromium holds open exclusively
      }
      const found = findCanary(buf, canary);
      if (found.length) hits.push(`${path.relative(dir, p)} (${found.join(', ')})`);
    }
  };
  visit(dir);
  return hits;
}
