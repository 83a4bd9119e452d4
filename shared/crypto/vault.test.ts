import { beforeAll, describe, expect, it } from 'vitest';
import { fromBase64, toBase64, toHex, utf8Decode, utf8Encode } from './bytes';
import { open, seal, type RecordContext } from './envelope';
import { CryptoError } from './errors';
import { formatSecretKey, generateSecretKey, parseRecoveryKey, parseSecretKey } from './keys';
import { KDF_FLOOR } from './kdf';
import {
  changePassphrase,
  changePassphraseAndUnlock,
  createVault,
  lockVault,
  openVaultFromAk,
  parseVaultHeader,
  rotateRecoveryKey,
  unlockVault,
  unlockWithRecoveryKey,
  type UnlockedVault,
  type VaultHeader,
} from './vault';

// Floor parameters keep each derivation ~50 ms; the golden/KAT tests cover the real presets.
const kdf = KDF_FLOOR;
const PASS = 'correct horse battery staple';

async function codeOf(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(CryptoError);
  return (e as CryptoError).code;
}

let header: VaultHeader;
let secretKey: string;
let recoveryKey: string;
let vault: UnlockedVault;
let ctx: RecordContext;
let envelope: Uint8Array;

beforeAll(async () => {
  ({ header, secretKey, recoveryKey, vault } = await createVault({ passphrase: PASS, kdf }));
  ctx = {
    vaultId: header.vaultId,
    collection: 'conversations',
    recordId: 'c1',
    revision: 1,
    deleted: false,
  };
  envelope = await seal(vault.keys.conversations, ctx, utf8Encode('my private conversation'));
});

describe('createVault', () => {
  it('produces a well-formed header with no secret in it', () => {
    expect(parseVaultHeader(header)).toEqual(header);
    expect(header.vaultId).toMatch(/^[0-9a-f]{32}$/);
    expect(fromBase64(header.salt).length).toBe(16);
    const json = JSON.stringify(header);
    for (const secret of [
      vault.ak,
      vault.authKey,
      parseSecretKey(secretKey),
      parseRecoveryKey(recoveryKey),
    ]) {
      expect(json).not.toContain(toBase64(secret));
      expect(json).not.toContain(toHex(secret));
    }
    expect(json).not.toContain(PASS);
  });

  it('returns Emergency Kit strings and all collection keys', () => {
    expect(secretKey).toMatch(/^NK1-/);
    expect(recoveryKey).toMatch(/^NKR-/);
    expect(vault.keys.secrets.keyId).toBe('secrets:1');
    expect(vault.authKey.length).toBe(32);
  });

  it('refuses an empty or short passphrase with weak-passphrase', async () => {
    expect(await codeOf(createVault({ passphrase: '', kdf }))).toBe('weak-passphrase');
    expect(await codeOf(createVault({ passphrase: '        ', kdf }))).toBe('weak-passphrase');
    expect(await codeOf(createVault({ passphrase: 'short12', kdf }))).toBe('weak-passphrase');
  });

  it('refuses KDF parameters below the floor', async () => {
    expect(await codeOf(createVault({ passphrase: PASS, kdf: { ...kdf, iterations: 1 } }))).toBe(
      'kdf-too-weak',
    );
  });
});

describe('unlockVault', () => {
  it('unlocks with passphrase + Secret Key to the same keys and authKey', async () => {
    const again = await unlockVault(header, PASS, secretKey);
    expect(toHex(again.ak)).toBe(toHex(vault.ak));
    expect(toHex(again.authKey)).toBe(toHex(vault.authKey));
    expect(utf8Decode(await open(again.keys.conversations, ctx, envelope))).toBe(
      'my private conversation',
    );
  });

  it('accepts a sloppily typed Secret Key', async () => {
    const sloppy = secretKey.toLowerCase().replace(/-/g, ' ');
    expect(toHex((await unlockVault(header, PASS, sloppy)).ak)).toBe(toHex(vault.ak));
  });

  it('attack: wrong passphrase -> wrong-passphrase', async () => {
    expect(await codeOf(unlockVault(header, `${PASS}.`, secretKey))).toBe('wrong-passphrase');
  });

  it('attack: wrong (well-formed) Secret Key -> the same wrong-passphrase code', async () => {
    const other = formatSecretKey(generateSecretKey());
    expect(await codeOf(unlockVault(header, PASS, other))).toBe('wrong-passphrase');
  });

  it('a Secret Key with a typo -> bad-secret-key (before any derivation)', async () => {
    const typo = secretKey.slice(0, -1) + (secretKey.endsWith('A') ? 'B' : 'A');
    expect(await codeOf(unlockVault(header, PASS, typo))).toBe('bad-secret-key');
  });

  it('attack: header with AK wrapping swapped in from another vault -> wrong-passphrase', async () => {
    const other = await createVault({ passphrase: PASS, kdf });
    const spliced = { ...header, wrappedAk: other.header.wrappedAk };
    expect(await codeOf(unlockVault(spliced, PASS, secretKey))).toBe('wrong-passphrase');
  });

  it('malformed headers are rejected with typed errors', async () => {
    expect(
      await codeOf(unlockVault({ ...header, v: 2 } as unknown as VaultHeader, PASS, secretKey)),
    ).toBe('unsupported-version');
    expect(await codeOf(unlockVault({ ...header, salt: 'AAAA' }, PASS, secretKey))).toBe(
      'bad-encoding',
    );
    expect(
      await codeOf(unlockVault({ ...header, wrappedAk: 'not base64!' }, PASS, secretKey)),
    ).toBe('bad-encoding');
    expect(await codeOf(unlockVault(null as unknown as VaultHeader, PASS, secretKey))).toBe(
      'bad-envelope',
    );
  });
});

describe('Recovery Key', () => {
  it('unlocks without passphrase or Secret Key and keeps records readable; no authKey', async () => {
    const recovered = await unlockWithRecoveryKey(header, recoveryKey);
    expect('authKey' in recovered).toBe(false);
    expect(utf8Decode(await open(recovered.keys.conversations, ctx, envelope))).toBe(
      'my private conversation',
    );
  });

  it('attack: a wrong Recovery Key -> bad-recovery-key', async () => {
    const other = await createVault({ passphrase: PASS, kdf });
    expect(await codeOf(unlockWithRecoveryKey(header, other.recoveryKey))).toBe('bad-recovery-key');
    expect(await codeOf(unlockWithRecoveryKey(header, 'NKR-1234'))).toBe('bad-recovery-key');
  });

  it('recovery then a forced new passphrase (and new Secret Key) gives a full vault; records readable', async () => {
    const recovered = await unlockWithRecoveryKey(header, recoveryKey);
    const newSecret = formatSecretKey(generateSecretKey());
    const r = await changePassphraseAndUnlock(
      header,
      recovered,
      'a brand new passphrase',
      newSecret,
    );
    expect(r.vault.authKey.length).toBe(32);
    const again = await unlockVault(r.header, 'a brand new passphrase', newSecret);
    expect(toHex(again.authKey)).toBe(toHex(r.vault.authKey));
    expect(utf8Decode(await open(again.keys.conversations, ctx, envelope))).toBe(
      'my private conversation',
    );
    expect(await codeOf(unlockVault(r.header, PASS, secretKey))).toBe('wrong-passphrase');
  });

  it('rotation: the new key works, the old one stops working', async () => {
    const rotated = await rotateRecoveryKey(header, vault);
    expect(rotated.recoveryKey).not.toBe(recoveryKey);
    expect(rotated.header.wrappedAk).toBe(header.wrappedAk);
    const r = await unlockWithRecoveryKey(rotated.header, rotated.recoveryKey);
    expect(toHex(r.ak)).toBe(toHex(vault.ak));
    expect(await codeOf(unlockWithRecoveryKey(rotated.header, recoveryKey))).toBe(
      'bad-recovery-key',
    );
  });
});

describe('changePassphrase', () => {
  it('re-wraps AK only: new salt, same AK, records stay readable, old passphrase refused', async () => {
    const newHeader = await changePassphrase(header, vault, 'another long passphrase', secretKey);
    expect(newHeader.salt).not.toBe(header.salt);
    expect(newHeader.wrappedAkRecovery).toBe(header.wrappedAkRecovery);
    const after = await unlockVault(newHeader, 'another long passphrase', secretKey);
    expect(toHex(after.ak)).toBe(toHex(vault.ak));
    expect(toHex(after.authKey)).not.toBe(toHex(vault.authKey));
    expect(utf8Decode(await open(after.keys.conversations, ctx, envelope))).toBe(
      'my private conversation',
    );
    expect(await codeOf(unlockVault(newHeader, PASS, secretKey))).toBe('wrong-passphrase');
    // The caller's vault was not wiped by changePassphrase.
    expect(utf8Decode(await open(vault.keys.conversations, ctx, envelope))).toBe(
      'my private conversation',
    );
  });

  it('refuses a weak new passphrase and weaker KDF parameters than the current header', async () => {
    expect(await codeOf(changePassphrase(header, vault, 'short', secretKey))).toBe(
      'weak-passphrase',
    );
    const strongHeader = { ...header, kdf: { ...kdf, iterations: 4 } };
    expect(
      await codeOf(
        changePassphrase(strongHeader, vault, 'another long passphrase', secretKey, { kdf }),
      ),
    ).toBe('kdf-downgrade');
  });

  it('refuses a vault that does not belong to the header', async () => {
    const stranger = { ...vault, vaultId: 'someone-else' };
    expect(
      await codeOf(changePassphrase(header, stranger, 'another long passphrase', secretKey)),
    ).toBe('bad-envelope');
  });
});

describe('openVaultFromAk / lockVault', () => {
  it('rebuilds identical collection keys from AK', async () => {
    const rebuilt = await openVaultFromAk(vault.vaultId, vault.ak.slice());
    expect(toHex(rebuilt.keys.messages.key)).toBe(toHex(vault.keys.messages.key));
    expect(await codeOf(openVaultFromAk(vault.vaultId, new Uint8Array(31)))).toBe('bad-envelope');
  });

  it('lock wipes key material so the vault can no longer open records', async () => {
    const copy = await unlockVault(header, PASS, secretKey);
    lockVault(copy);
    expect(copy.ak.every((b) => b === 0)).toBe(true);
    expect(copy.authKey.every((b) => b === 0)).toBe(true);
    expect(await codeOf(open(copy.keys.conversations, ctx, envelope))).toBe('decrypt-failed');
  });
});
