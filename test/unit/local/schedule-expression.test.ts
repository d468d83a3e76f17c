import { describe, expect, it } from 'vitest';
import { firingsBetween, parseScheduleExpression } from '../../../local/runtime/schedule-expression.ts';
import { LocalScheduler } from '../../../local/runtime/scheduler.ts';

const utc = (s: string) => new Date(s);

describe('schedule expressions', () => {
  it('fires a Copenhagen-time cron at local hours across the DST change', () => {
    const m = parseScheduleExpression('cron(0 13-16 * * ? *)', 'Europe/Copenhagen');
    // Winter: CET = UTC+1, so 13:00 local is 12:00 UTC.
    expect(firingsBetween(m, utc('2023-01-10T00:00:00Z'), utc('2023-01-11T00:00:00Z')).map((d) => d.toISOString())).toEqual([
      '2023-01-10T12:00:00.000Z',
      '2023-01-10T13:00:00.000Z',
      '2023-01-10T14:00:00.000Z',
      '2023-01-10T15:00:00.000Z',
    ]);
    // Summer: CEST = UTC+2.
    expect(firingsBetween(m, utc('2023-06-10T00:00:00Z'), utc('2023-06-10T12:00:00Z'))[0]?.toISOString()).toBe('2023-06-10T11:00:00.000Z');
  });

  it('handles steps, lists, names and rates', () => {
    const every3h = parseScheduleExpression('cron(10 */3 * * ? *)', 'UTC');
    expect(firingsBetween(every3h, utc('2023-01-10T00:00:00Z'), utc('2023-01-10T07:00:00Z')).map((d) => d.getUTCHours())).toEqual([0, 3, 6]);
    const weekdays = parseScheduleExpression('cron(0 8 ? * MON-FRI *)', 'UTC');
    expect(weekdays(utc('2023-01-09T08:00:00Z'))).toBe(true); // Monday
    expect(weekdays(utc('2023-01-08T08:00:00Z'))).toBe(false); // Sunday
    const rate = parseScheduleExpression('rate(15 minutes)', 'UTC');
    expect(firingsBetween(rate, utc('2023-01-10T00:00:00Z'), utc('2023-01-10T01:00:00Z'))).toHaveLength(4);
  });

  it('refuses malformed expressions with the reason', () => {
    expect(() => parseScheduleExpression('cron(0 25 * * ? *)', 'UTC')).toThrow(/"25" is not in 0-23/);
    expect(() => parseScheduleExpression('cron(0 * * *)', 'UTC')).toThrow(/six fields/);
    expect(() => parseScheduleExpression('rate(5 weeks)', 'UTC')).toThrow(/unit/);
  });

  it('reads every schedule of the wiring', () => {
    const due = new LocalScheduler().due(utc('2023-01-10T00:00:00Z'), utc('2023-01-11T00:00:00Z'));
    expect(due.filter((d) => d.fn === 'planDevices')).toHaveLength(24);
    expect(due.filter((d) => d.fn === 'fetchPrices')).toHaveLength(4);
    expect(due.filter((d) => d.fn === 'fetchWeather')).toHaveLength(8);
  });
});
