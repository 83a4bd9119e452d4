/**
 * Options → Data: export in three formats and import any of them (or ChatGPT's
 * conversations.json). Platform-free; the page hands in the repositories, an atomic
 * writer and the wipe. Files come in as bytes and go out as bytes + a suggested name.
 */
import { strFromU8, strToU8 } from 'fflate';
import { DEFAULT_KDF, type KdfParams } from '../../../shared/crypto';
import type { NookExport } from '../../../shared/export/schema';
import { BUNDLE_KIND, openBundle, parseBundleHeader, sealBundle } from './bundle';
import { fromChatGpt, isChatGptExport } from './chatgpt';
import { DataError, MAX_IMPORT_BYTES } from './errors';
import { collectExport, type DataRepos, type ProgressListener } from './export-data';
import { planImport, type DataWriter, type ImportSummary } from './import-plan';
import { exportToMarkdownZip, parseMarkdownZip } from './markdown-zip';
import { checkExport, parseJsonStrict } from './parse-export';

export type ExportFormat = 'json' | 'markdown' | 'bundle';
export type ImportKind = 'nook-json' | 'nook-markdown' | 'nook-bundle' | 'chatgpt';

/** A file to import: its size is checked before it is read. */
export interface ImportSource {
  name: string;
  size: number;
  bytes(): Promise<Uint8Array>;
}

/** An exported file, ready to download. */
export interface ExportedFile {
  name: string;
  mime: string;
  bytes: Uint8Array;
  /** Records that could not be decrypted and were left out. */
  damaged: number;
}

export interface DataServiceDeps {
  repos: DataRepos;
  writer: DataWriter;
  now?: () => number;
  /** Argon2id cost for new bundles (tests pass KDF_FLOOR). */
  bundleKdf?: KdfParams;
}

const isZip = (b: Uint8Array) => b[0] === 0x50 && b[1] === 0x4b && (b[2] === 3 || b[2] === 5);

function stamp(at: number): string {
  return new Date(at).toISOString().slice(0, 16).replace(/[:T]/g, '-');
}

/** Creates the export/import service for one page. */
export function createDataService(deps: DataServiceDeps) {
  const now = deps.now ?? Date.now;

  async function readSource(source: ImportSource): Promise<Uint8Array> {
    if (source.size > MAX_IMPORT_BYTES) throw new DataError('too-large');
    const bytes = await source.bytes();
    if (bytes.length > MAX_IMPORT_BYTES) throw new DataError('too-large');
    return bytes;
  }

  /** Reads and recognises a file; JSON is parsed once (strictly) here. */
  async function classify(
    source: ImportSource,
  ): Promise<{ kind: ImportKind; bytes: Uint8Array; value?: unknown }> {
    const bytes = await readSource(source);
    if (isZip(bytes)) return { kind: 'nook-markdown', bytes };
    const value = parseJsonStrict(strFromU8(bytes));
    if (isChatGptExport(value)) return { kind: 'chatgpt', bytes, value };
    const kind =
      typeof value === 'object' && value !== null && 'kind' in value && value.kind === BUNDLE_KIND
        ? 'nook-bundle'
        : 'nook-json';
    return { kind, bytes, value };
  }

  /** Recognises a file without importing it (the UI asks for a passphrase for bundles). */
  async function detect(source: ImportSource): Promise<ImportKind> {
    const { kind, value } = await classify(source);
    if (kind === 'nook-bundle') parseBundleHeader(value); // refuse a malformed or newer bundle early
    return kind;
  }

  async function decode(
    c: Awaited<ReturnType<typeof classify>>,
    passphrase?: string,
  ): Promise<NookExport> {
    switch (c.kind) {
      case 'nook-markdown':
        return parseMarkdownZip(c.bytes);
      case 'chatgpt':
        return fromChatGpt(c.value, now());
      case 'nook-bundle':
        parseBundleHeader(c.value); // before Argon2id runs on a hostile header
        if (!passphrase) throw new DataError('wrong-passphrase');
        return openBundle(c.value, passphrase);
      case 'nook-json':
        return checkExport(c.value);
    }
  }

  return {
    detect,

    /** Exports everything in one format. API keys only in a bundle, and only when asked. */
    async exportAs(
      format: ExportFormat,
      options: { passphrase?: string; includeKeys?: boolean; onProgress?: ProgressListener } = {},
    ): Promise<ExportedFile> {
      if (options.includeKeys && format !== 'bundle') throw new DataError('keys-need-bundle');
      const report = options.onProgress ?? (() => undefined);
      const { data, damaged } = await collectExport(deps.repos, {
        includeKeys: format === 'bundle' && options.includeKeys === true,
        now,
        onProgress: report,
      });
      const base = `nook-export-${stamp(data.exportedAt)}`;
      let file: Omit<ExportedFile, 'damaged'>;
      if (format === 'json') {
        report({ phase: 'packing', done: 0, total: 1 });
        file = {
          name: `${base}.json`,
          mime: 'application/json',
          bytes: strToU8(JSON.stringify(data, null, 1)),
        };
      } else if (format === 'markdown') {
        const bytes = exportToMarkdownZip(data, (done, total) =>
          report({ phase: 'packing', done, total }),
        );
        file = { name: `${base}-markdown.zip`, mime: 'application/zip', bytes };
      } else {
        report({ phase: 'sealing', done: 0, total: 1 });
        const text = await sealBundle(
          data,
          options.passphrase ?? '',
          deps.bundleKdf ?? DEFAULT_KDF,
        );
        file = {
          name: `${base}.nookbundle`,
          mime: 'application/octet-stream',
          bytes: strToU8(text),
        };
      }
      report({ phase: 'done', done: 1, total: 1 });
      return { ...file, damaged };
    },

    /**
     * Imports a file in one transaction: nothing is written unless every record is valid,
     * and records already present unchanged are skipped (a second import writes nothing).
     */
    async importFile(
      source: ImportSource,
      options: { passphrase?: string; onProgress?: ProgressListener } = {},
    ): Promise<ImportSummary & { kind: ImportKind }> {
      const report = options.onProgress ?? (() => undefined);
      report({ phase: 'checking', done: 0, total: 1 });
      const classified = await classify(source);
      const data = await decode(classified, options.passphrase);
      const { writes, summary } = await planImport(deps.repos, data);
      if (writes.length > 0) await deps.writer.apply(writes, report);
      report({ phase: 'done', done: 1, total: 1 });
      return { ...summary, kind: classified.kind };
    },
  };
}

export type DataService = ReturnType<typeof createDataService>;
