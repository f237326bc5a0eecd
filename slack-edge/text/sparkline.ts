const bars = '▁▂▃▄▅▆▇█';

export type SparklineScale = { min?: number; max?: number };

/**
 * A trend as one line of text (Slack has no charts in messages): each value a bar from ▁ to █.
 * Skill scores use the fixed 1–5 scale, so the same bar means the same level everywhere;
 * without a scale the values' own range is used. Missing values are spaces.
 */
export const sparkline = (values: readonly (number | null)[], scale: SparklineScale = {}): string => {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (known.length === 0) return '';
  const min = scale.min ?? Math.min(...known);
  const max = scale.max ?? Math.max(...known);
  const span = max - min;
  return values
    .map((v) => {
      if (v === null || !Number.isFinite(v)) return ' ';
      // All values equal: a flat line in the middle.
      if (span <= 0) return bars[3]!;
      const clamped = Math.min(max, Math.max(min, v));
      return bars[Math.round(((clamped - min) / span) * (bars.length - 1))]!;
    })
    .join('');
};

/** ↗ / → / ↘ for a least-squares slope in points per session. */
export const trendArrow = (slope: number): string => (slope > 0.05 ? '↗' : slope < -0.05 ? '↘' : '→');
