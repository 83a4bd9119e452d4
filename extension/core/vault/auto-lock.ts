import { systemClock, type Clock, type SessionKeyStore } from './ports';

/**
 * Locks when the user has been idle longer than the minutes copied into storage.session
 * at unlock. Missing activity counts as idle: keys without a clock are not trusted.
 * Returns true when it locked.
 */
export async function checkAutoLock(
  session: SessionKeyStore,
  clock: Clock = systemClock,
): Promise<boolean> {
  const keys = await session.read();
  if (!keys) return false;
  const last = (await session.lastActivity()) ?? 0;
  if (clock.now() - last <= keys.autoLockMinutes * 60_000) return false;
  await session.clear();
  return true;
}
