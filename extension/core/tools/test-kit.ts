/** Test helpers shared by the tool, memory and ledger tests (never imported by app code). */
import { createVault, KDF_FLOOR, type UnlockedVault } from '../../../shared/crypto';

let cached: Promise<UnlockedVault> | undefined;

/** One cheap vault per test file (KDF floor parameters). */
export function testVault(): Promise<UnlockedVault> {
  cached ??= createVault({ passphrase: 'correct horse battery staple', kdf: KDF_FLOOR }).then(
    (r) => r.vault,
  );
  return cached;
}
