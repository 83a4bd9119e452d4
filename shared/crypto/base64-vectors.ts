/**
 * Base64 test vectors shared by bytes.test.ts (Node: portable decoder) and
 * e2e/base64-native.e2e.test.ts (the engines' built-in decoder). Test data only.
 */

/** RFC 4648 §10: [plain text, base64]. */
export const RFC4648_VECTORS: readonly (readonly [string, string])[] = [
  ['', ''],
  ['f', 'Zg=='],
  ['fo', 'Zm8='],
  ['foo', 'Zm9v'],
  ['foob', 'Zm9vYg=='],
  ['fooba', 'Zm9vYmE='],
  ['foobar', 'Zm9vYmFy'],
];

/** Refused by every decoder: alphabet, whitespace anywhere, padding, non-canonical bits. */
export const REJECTED_BASE64: readonly string[] = [
  'Zg',
  'Zg=',
  'Z===',
  '====',
  'Zh==',
  'Zm9=',
  'Zm9vYr==',
  'Zm9v!',
  ' Zm9v',
  'Zm9v\n',
  'Zm9v    ',
  'Zm9v\t\t\t\t',
  '    Zm9v',
  'Zm 9vYmFy ',
  'Zg==    ',
  'Zm8=\r\n\r\n',
  'Zg==Zg==',
  'Zm9vZg=a',
  'Zm=v',
  'Zm9v-_8A',
  'Zm9v\u00e9AAA',
  'Zm9v\uff21AAA',
  'Zm9v\ud800AAA',
  '\u0000AAA',
  'Zm9vYmFyZg',
];
