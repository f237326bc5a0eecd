/**
 * List prices in US dollars per million tokens (input, output), for the cost estimate that
 * `salesai rescore` prints before it starts. Prices change: this is an estimate, and an unknown
 * model says so instead of guessing.
 */
export type Price = { input: number; output: number };

const table: readonly [RegExp, Price][] = [
  [/^gpt-4o-mini/, { input: 0.15, output: 0.6 }],
  [/^gpt-4o/, { input: 2.5, output: 10 }],
  [/^gpt-4\.1-nano/, { input: 0.1, output: 0.4 }],
  [/^gpt-4\.1-mini/, { input: 0.4, output: 1.6 }],
  [/^gpt-4\.1/, { input: 2, output: 8 }],
  [/^gpt-4-turbo/, { input: 10, output: 30 }],
  [/^gpt-3\.5-turbo/, { input: 0.5, output: 1.5 }],
  [/^gpt-5-nano/, { input: 0.05, output: 0.4 }],
  [/^gpt-5-mini/, { input: 0.25, output: 2 }],
  [/^gpt-5/, { input: 1.25, output: 10 }],
  [/^o4-mini/, { input: 1.1, output: 4.4 }],
  [/^o3-mini/, { input: 1.1, output: 4.4 }],
  [/^o3/, { input: 2, output: 8 }],
  [/^o1-mini/, { input: 1.1, output: 4.4 }],
  [/^o1/, { input: 15, output: 60 }],
  [/^claude-(3-5-haiku|haiku-4|3-haiku)/, { input: 0.8, output: 4 }],
  [/^claude-(3-5-sonnet|3-7-sonnet|sonnet-4)/, { input: 3, output: 15 }],
  [/^claude-(3-opus|opus-4)/, { input: 15, output: 75 }],
];

/** The price of a provider's model; the mock costs nothing; null when the model is not in the table. */
export const priceOf = (provider: string, model: string): Price | null => {
  if (provider === 'mock') return { input: 0, output: 0 };
  return table.find(([pattern]) => pattern.test(model))?.[1] ?? null;
};

export const costOf = (price: Price, tokens: { input: number; output: number }): number =>
  (tokens.input * price.input + tokens.output * price.output) / 1_000_000;
