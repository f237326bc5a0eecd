import { describe, expect, it } from 'vitest';
import { ciStrict } from './ci.ts';

describe('ciStrict', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['  ', false],
    ['false', false],
    ['FALSE', false],
    ['true', true],
    ['1', true],
    ['yes', true],
  ])('CI=%j → %s', (value, strict) => {
    expect(ciStrict(value === undefined ? {} : { CI: value })).toBe(strict);
  });
});
