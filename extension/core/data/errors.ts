/** Why an import, export or wipe failed. Messages are plain words and never carry content. */
export const DATA_ERROR_CODE = [
  'too-large',
  'not-json',
  'wrong-kind',
  'newer-version',
  'invalid',
  'forbidden-key',
  'bad-zip',
  'bad-bundle',
  'wrong-passphrase',
  'weak-passphrase',
  'keys-need-bundle',
  'conflict',
  'locked',
] as const;
export type DataErrorCode = (typeof DATA_ERROR_CODE)[number];

const MESSAGES: Record<DataErrorCode, string> = {
  'too-large': 'This file is too large to import (the limit is 64 MB).',
  'not-json': 'This file is not valid JSON. Nothing was imported.',
  'wrong-kind':
    'This is not a Nook export, a Nook bundle, a Nook Markdown zip or a ChatGPT conversations.json. Nothing was imported.',
  'newer-version':
    'This export was made by a newer version of Nook. Update Nook, then import it again. Nothing was imported.',
  invalid: 'This export is damaged or incomplete. Nothing was imported.',
  'forbidden-key': 'This file contains a field name Nook refuses to read. Nothing was imported.',
  'bad-zip': 'This zip file is damaged or truncated. Nothing was imported.',
  'bad-bundle': 'This encrypted bundle is damaged or was modified. Nothing was imported.',
  'wrong-passphrase': 'Wrong bundle passphrase, or the bundle was modified. Nothing was imported.',
  'weak-passphrase': 'Choose a bundle passphrase of at least 8 characters.',
  'keys-need-bundle': 'API keys can only be exported inside an encrypted bundle.',
  conflict:
    'Your data changed while importing (another Nook window?). Nothing was imported; try again.',
  locked: 'Nook is locked. Unlock it to continue.',
};

/** A typed failure of a data control; `message` is what the user sees. */
export class DataError extends Error {
  readonly code: DataErrorCode;
  constructor(code: DataErrorCode, detail?: string, options?: { cause?: unknown }) {
    super(detail ? `${MESSAGES[code]} (${detail})` : MESSAGES[code], options);
    this.name = 'DataControlError'; // not 'DataError': that is an IndexedDB DOMException name Dexie rewraps
    this.code = code;
  }
}

/** Imports larger than this are refused before they are read. */
export const MAX_IMPORT_BYTES = 64 * 1024 * 1024;
