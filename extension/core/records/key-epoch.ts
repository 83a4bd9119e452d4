/**
 * The lock guard of a page-level cache of decrypted records: `check()` throws
 * RecordError('locked') (and forgets) once the vault's keys are gone, and forgets when
 * they changed (locked and unlocked again); `epoch()` changes with every forget, so a read
 * that started before a lock can tell, and never stores what it decrypted.
 */
import { RecordError } from './record-repo-port';

/** `keys`: the page's vault keys, or undefined once locked. `forget`: drop what is held. */
export function createKeyEpoch(keys: () => object | undefined, forget: () => void) {
  let heldKeys: object | undefined;
  let epoch = 0;

  const reset = (): void => {
    forget();
    heldKeys = undefined;
    epoch += 1;
  };

  return {
    reset,
    epoch: (): number => epoch,
    check(): void {
      const current = keys();
      if (current === undefined) {
        reset();
        throw new RecordError('locked');
      }
      if (current !== heldKeys) {
        reset();
        heldKeys = current;
      }
    },
  };
}
