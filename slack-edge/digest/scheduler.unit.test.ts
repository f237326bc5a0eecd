import { describe, expect, it } from 'vitest';
import { digestDue } from './scheduler.ts';

const monday9 = { weekday: 1, hour: 9, minute: 0 };

describe('when the weekly digest is due', () => {
  it('from the scheduled time on, for the rest of the ISO week, in the workspace time zone', () => {
    // Monday 08:59 and 09:00 in Tokyo (Sunday/Monday in UTC).
    expect(digestDue(new Date('2026-11-29T23:59:00Z'), monday9, 'Asia/Tokyo')).toEqual({
      due: false,
      week: '2026-W49',
    });
    expect(digestDue(new Date('2026-11-30T00:00:00Z'), monday9, 'Asia/Tokyo')).toEqual({
      due: true,
      week: '2026-W49',
    });
    // Sunday night in Tokyo: still that week, still due.
    expect(digestDue(new Date('2026-12-06T14:00:00Z'), monday9, 'Asia/Tokyo')).toEqual({
      due: true,
      week: '2026-W49',
    });
    // The same instant in UTC is Monday 00:00: before nine, not due yet.
    expect(digestDue(new Date('2026-11-30T00:00:00Z'), monday9, 'UTC')).toEqual({
      due: false,
      week: '2026-W49',
    });
  });
});
