import {
  AUTO_LOCK_LIMITS,
  DEFAULT_SETTINGS,
  SETTINGS_RECORD_ID,
  type AppSettings,
} from '../models';
import { RecordError, type RecordRepo } from '../records/record-repo-port';

/**
 * Reads the settings record, filling in defaults for fields added since it was saved.
 * A missing record means "never changed"; a damaged one falls back to the defaults
 * (and says so) rather than locking the user out of the app.
 */
export async function loadSettings(
  repo: RecordRepo<AppSettings>,
): Promise<{ settings: AppSettings; damaged: boolean }> {
  try {
    return {
      settings: { ...DEFAULT_SETTINGS, ...(await repo.get(SETTINGS_RECORD_ID)) },
      damaged: false,
    };
  } catch (e) {
    if (e instanceof RecordError && (e.code === 'not-found' || e.code === 'deleted')) {
      return { settings: { ...DEFAULT_SETTINGS }, damaged: false };
    }
    if (e instanceof RecordError && e.code === 'decrypt-failed') {
      return { settings: { ...DEFAULT_SETTINGS }, damaged: true };
    }
    throw e;
  }
}

/** Saves the whole settings record. */
export async function saveSettings(
  repo: RecordRepo<AppSettings>,
  settings: AppSettings,
): Promise<void> {
  await repo.put(SETTINGS_RECORD_ID, settings);
}

/** Checks the auto-lock field of the options form. */
export function parseAutoLockMinutes(
  input: string,
): { ok: true; minutes: number } | { ok: false; message: string } {
  const minutes = Number(input);
  if (
    !Number.isInteger(minutes) ||
    minutes < AUTO_LOCK_LIMITS.min ||
    minutes > AUTO_LOCK_LIMITS.max
  ) {
    return {
      ok: false,
      message: `Enter a whole number of minutes from ${AUTO_LOCK_LIMITS.min} to ${AUTO_LOCK_LIMITS.max}.`,
    };
  }
  return { ok: true, minutes };
}
