import { describe, expect, it } from 'vitest';
import { sparkline, trendArrow } from '../../slack-edge/text/sparkline.ts';

describe('text sparklines', () => {
  it('maps the fixed 1–5 skill scale onto ▁…█', () => {
    expect(sparkline([1, 2, 3, 4, 5], { min: 1, max: 5 })).toBe('▁▃▅▆█');
    expect(sparkline([1, 5], { min: 1, max: 5 })).toBe('▁█');
    expect(sparkline([0, 9], { min: 1, max: 5 })).toBe('▁█');
  });

  it('uses the values’ own range without a scale, and shows a flat series in the middle', () => {
    expect(sparkline([10, 20, 30])).toBe('▁▅█');
    expect(sparkline([3, 3, 3])).toBe('▄▄▄');
    expect(sparkline([2])).toBe('▄');
  });

  it('shows missing values as spaces and an empty series as nothing', () => {
    expect(sparkline([1, null, 5], { min: 1, max: 5 })).toBe('▁ █');
    expect(sparkline([])).toBe('');
    expect(sparkline([null])).toBe('');
  });

  it('gives the direction of a trend', () => {
    expect(trendArrow(0.4)).toBe('↗');
    expect(trendArrow(0)).toBe('→');
    expect(trendArrow(-0.2)).toBe('↘');
  });
});
