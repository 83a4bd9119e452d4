/** What the Emergency Kit holds. The Recovery Key is never stored by Nook. */
export interface EmergencyKit {
  vaultId: string;
  secretKey: string;
  recoveryKey: string;
  createdAt: number;
}

/** File name for the downloaded kit. */
export function kitFileName(kit: EmergencyKit): string {
  return `Nook Emergency Kit ${new Date(kit.createdAt).toISOString().slice(0, 10)}.txt`;
}

/** The kit as a plain-text document the user can print or store offline. */
export function renderKitText(kit: EmergencyKit): string {
  return [
    'NOOK EMERGENCY KIT',
    '==================',
    '',
    'Keep this file somewhere safe and offline (print it, or store it in a password',
    'manager). Anyone who has it AND your passphrase can read your Nook data.',
    '',
    `Vault ID:      ${kit.vaultId}`,
    `Created:       ${new Date(kit.createdAt).toISOString()}`,
    '',
    `Secret Key:    ${kit.secretKey}`,
    '  Needed together with your passphrase to unlock this vault on a new device.',
    '',
    `Recovery Key:  ${kit.recoveryKey}`,
    '  Unlocks the vault if you forget your passphrase ("Forgot passphrase?").',
    '  Using it sets a new passphrase and issues a new Recovery Key.',
    '',
    'Your passphrase: ______________________________ (write it here only if this',
    'paper is kept as safely as the passphrase itself)',
    '',
  ].join('\n');
}
