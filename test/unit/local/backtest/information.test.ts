import { describe, expect, it } from 'vitest';
import { FORECAST_ERROR_SD_AT_0, FORECAST_ERROR_SD_PER_HOUR, WeatherForecaster, knownPriceSteps, knownPricesEndMs } from '../../../../local/backtest/information.ts';
import { progressBar } from '../../../../local/progress/progress-bar.ts';

const TZ = 'Europe/Copenhagen';
const at = (iso: string) => Date.parse(iso);

describe('what a backtest planner may know', () => {
  it('knows tomorrow’s day-ahead prices only from 12:45 Danish time', () => {
    // 2023-01-10 12:44 CET = 11:44Z: prices through the end of the 10th (local) only.
    expect(knownPricesEndMs(at('2023-01-10T11:44:00Z'), TZ)).toBe(at('2023-01-10T23:00:00Z'));
    expect(knownPricesEndMs(at('2023-01-10T11:45:00Z'), TZ)).toBe(at('2023-01-11T23:00:00Z'));
    // Summer time: 12:45 CEST is 10:45Z, and days end at 22:00Z.
    expect(knownPricesEndMs(at('2023-07-10T10:44:00Z'), TZ)).toBe(at('2023-07-10T22:00:00Z'));
    expect(knownPricesEndMs(at('2023-07-10T10:46:00Z'), TZ)).toBe(at('2023-07-11T22:00:00Z'));
    // The day before the autumn change has 25 hours.
    expect(knownPricesEndMs(at('2023-10-28T11:00:00Z'), TZ)).toBe(at('2023-10-29T23:00:00Z'));
  });

  it('forecasts unpublished prices by persistence, never from the future', () => {
    const intervals = Array.from({ length: 24 * 6 }, (_, h) => {
      const startMs = at('2023-01-08T23:00:00Z') + h * 3_600_000;
      return { startMs, endMs: startMs + 3_600_000, price: h };
    });
    const now = at('2023-01-10T08:00:00Z');
    const steps = knownPriceSteps(intervals, now, TZ, 192, 15);
    const hourIndex = (ms: number) => (ms - at('2023-01-08T23:00:00Z')) / 3_600_000;
    // 09:00 CET on the 10th is known; the 11th (not yet published at 09:00) repeats the 10th.
    expect(steps[0]).toBeCloseTo(hourIndex(now) / 1000, 12);
    const eleventh = at('2023-01-11T08:00:00Z');
    expect(steps[(eleventh - now) / 900_000]).toBeCloseTo((hourIndex(eleventh) - 24) / 1000, 12);
  });

  it('forecasts weather with errors that grow with lead time, the same for the same seed', () => {
    const actual = () => 5;
    const leads = [0, 24, 47];
    const errors = leads.map(() => [] as number[]);
    for (let issue = 0; issue < 400; issue++) {
      const forecaster = new WeatherForecaster(actual, issue);
      const steps = forecaster.outdoorSteps(at('2023-01-10T00:00:00Z'), 192, 15);
      leads.forEach((h, i) => errors[i]!.push(steps[h * 4]! - 5));
    }
    const sd = (xs: number[]) => Math.sqrt(xs.reduce((s, x) => s + x * x, 0) / xs.length);
    leads.forEach((h, i) => {
      const expected = FORECAST_ERROR_SD_AT_0 + FORECAST_ERROR_SD_PER_HOUR * (h + 0.125);
      expect(sd(errors[i]!)).toBeGreaterThan(0.8 * expected);
      expect(sd(errors[i]!)).toBeLessThan(1.2 * expected);
    });
    const again = (seed: number) => new WeatherForecaster(actual, seed).outdoorSteps(at('2023-01-10T03:00:00Z'), 8, 15);
    expect(again(3)).toEqual(again(3));
    expect(again(3)).not.toEqual(again(4));
  });

  it('draws a progress bar on a terminal only', () => {
    const written: string[] = [];
    const quiet = progressBar({ isTTY: false, write: (t) => written.push(t) }, 'x');
    quiet.update(0.5);
    quiet.done();
    expect(written).toEqual([]);
    let now = 0;
    const bar = progressBar({ isTTY: true, write: (t) => written.push(t) }, 'run', () => (now += 1000));
    bar.update(0.5);
    bar.done();
    expect(written[0]).toMatch(/^\rrun \[#{15}\.{15}\] 50%/);
    expect(written.at(-1)).toBe('\n');
  });
});
