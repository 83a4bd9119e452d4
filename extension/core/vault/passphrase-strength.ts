/** Labels for zxcvbn scores 0–4, as shown next to the setup field. */
export const STRENGTH_LABEL = ['weak', 'weak', 'fair', 'good', 'strong'] as const;
export type StrengthLabel = (typeof STRENGTH_LABEL)[number];

/** Rates a passphrase: zxcvbn score 0–4 and its label. */
export type StrengthMeter = (passphrase: string) => { score: number; label: StrengthLabel };

let meter: Promise<StrengthMeter> | undefined;

/**
 * Loads zxcvbn with the common dictionaries and keyboard graphs. Loaded on demand
 * because the dictionaries are most of the bundle and only the setup screens need them.
 */
export function loadStrengthMeter(): Promise<StrengthMeter> {
  meter ??= Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common')]).then(
    ([{ ZxcvbnFactory }, common]) => {
      const zxcvbn = new ZxcvbnFactory({
        dictionary: { ...common.dictionary },
        graphs: common.adjacencyGraphs,
      });
      return (passphrase: string) => {
        // zxcvbn slows down on very long input; the first 100 characters decide the score.
        const { score } = zxcvbn.check(passphrase.slice(0, 100));
        return { score, label: STRENGTH_LABEL[score] ?? 'weak' };
      };
    },
  );
  return meter;
}
