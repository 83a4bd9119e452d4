/**
 * Model prices in US dollars per 1M tokens, and what a recorded usage costs. Defaults are
 * the providers' published list prices for common current models (standard tier, no
 * caching or batch discounts); the user edits them in Options → Usage. Models are matched
 * by the longest id prefix, so `gpt-4o-mini-2024-07-18` uses `gpt-4o-mini`.
 */

/** USD per 1M input and output tokens. */
export interface ModelPrice {
  input: number;
  output: number;
}

export const DEFAULT_PRICES: Readonly<Record<string, ModelPrice>> = Object.freeze({
  'gpt-5': { input: 1.25, output: 10 },
  'gpt-5-mini': { input: 0.25, output: 2 },
  'gpt-5-nano': { input: 0.05, output: 0.4 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  o3: { input: 2, output: 8 },
  'o4-mini': { input: 1.1, output: 4.4 },
  'claude-opus-4': { input: 15, output: 75 },
  'claude-sonnet-4': { input: 3, output: 15 },
  'claude-haiku-4-5': { input: 1, output: 5 },
  'claude-3-5-haiku': { input: 0.8, output: 4 },
  'gemini-2.5-pro': { input: 1.25, output: 10 },
  'gemini-2.5-flash': { input: 0.3, output: 2.5 },
  'gemini-2.5-flash-lite': { input: 0.1, output: 0.4 },
  'gemini-2.0-flash': { input: 0.1, output: 0.4 },
});

/** Defaults with the user's overrides on top. */
export function priceTable(
  overrides: Readonly<Record<string, ModelPrice>> | undefined,
): Map<string, ModelPrice> {
  const table = new Map(Object.entries(DEFAULT_PRICES));
  for (const [model, price] of Object.entries(overrides ?? {})) table.set(model, price);
  return table;
}

/**
 * The price of a model: exact id, else the longest matching prefix. Router prefixes such as
 * `openai/` or Gemini's `models/` are ignored. Undefined for unknown (e.g. local) models.
 */
export function priceFor(model: string, table: Map<string, ModelPrice>): ModelPrice | undefined {
  const id = model.toLowerCase().slice(model.lastIndexOf('/') + 1);
  let best: string | undefined;
  for (const key of table.keys()) {
    const k = key.toLowerCase();
    if (
      (id === k || id.startsWith(`${k}-`) || id.startsWith(`${k}@`)) &&
      (!best || k.length > best.length)
    ) {
      best = key;
    }
  }
  return best === undefined ? undefined : table.get(best);
}

/** Dollars for a token count at a price. */
export function costOf(
  tokens: { inputTokens: number; outputTokens: number },
  price: ModelPrice,
): number {
  return (tokens.inputTokens * price.input + tokens.outputTokens * price.output) / 1_000_000;
}

/** Checks one row of the price table form. */
export function parsePrice(
  model: string,
  input: string,
  output: string,
): { ok: true; model: string; price: ModelPrice } | { ok: false; message: string } {
  const id = model.trim();
  if (!id) return { ok: false, message: 'Enter the model id (for example gpt-4o-mini).' };
  if (id.length > 120 || /[\s"]/.test(id)) {
    return { ok: false, message: 'A model id has no spaces or quotes.' };
  }
  const i = Number(input);
  const o = Number(output);
  if (input.trim() === '' || output.trim() === '' || !Number.isFinite(i) || !Number.isFinite(o)) {
    return { ok: false, message: 'Enter both prices as numbers (US dollars per 1M tokens).' };
  }
  if (i < 0 || o < 0) return { ok: false, message: 'A price cannot be negative.' };
  if (i > 10_000 || o > 10_000) {
    return { ok: false, message: 'That price is above $10,000 per 1M tokens; check the units.' };
  }
  return { ok: true, model: id, price: { input: i, output: o } };
}
