/**
 * The key of a cached value: its scope, the scope's generation, and what it is within the scope.
 * `scopedKey('history:U1', 7, '2024-01')` → `history:U1:g7:2024-01`.
 */
export const scopedKey = (scope: string, generation: number, ...parts: readonly string[]): string =>
  [scope, `g${generation}`, ...parts].join(':');
