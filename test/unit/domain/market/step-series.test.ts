import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEnergiDataServiceCsv } from '../../../../functions/adapters/prices/energidataservice-csv.ts';
import { priceIntervalSteps, priceSteps, temperatureSteps } from '../../../../functions/domain/market/step-series.ts';
import { toInstant } from '../../../../functions/domain/market/time.ts';

const H = 3_600_000;
const T0 = Date.parse('2023-01-10T00:00:00Z');
const hourly = (prices: number[], from = T0) => prices.map((price, i) => ({ start: toInstant(from + i * H), price }));

describe('priceSteps', () => {
  it('holds an hourly price over its four 15-minute steps, in EUR/kWh', () => {
    const s = priceSteps(hourly([100, 200]), 60, new Date(T0), 8, 15);
    expect(s.values).toEqual([0.1, 0.1, 0.1, 0.1, 0.2, 0.2, 0.2, 0.2]);
    expect(s.known.every(Boolean)).toBe(true);
  });

  it('averages 15-minute prices over an hourly step', () => {
    const quarters = [10, 20, 30, 40].map((price, i) => ({ start: toInstant(T0 + i * 900_000), price }));
    expect(priceSteps(quarters, 15, new Date(T0), 1, 60).values).toEqual([0.025]);
  });

  it('starts mid-interval and reads mixed resolutions', () => {
    const intervals = [
      { startMs: T0, endMs: T0 + H, price: 100 },
      { startMs: T0 + H, endMs: T0 + H + 900_000, price: 300 },
    ];
    const s = priceIntervalSteps(intervals, new Date(T0 + 45 * 60_000), 2, 15);
    expect(s).toEqual({ values: [0.1, 0.3], known: [true, true] });
  });

  it('beyond the data repeats the same time of day of the latest known day, marked unknown', () => {
    const twoDays = hourly(Array.from({ length: 48 }, (_, i) => i));
    const s = priceSteps(twoDays, 60, new Date(T0 + 46 * H), 4, 60);
    // 46 h and 47 h are data; 48 h and 49 h repeat hours 24 and 25 (the day before, same time).
    expect(s.values).toEqual([0.046, 0.047, 0.024, 0.025]);
    expect(s.known).toEqual([true, true, false, false]);
  });

  it('goes back further days when the day before is missing too', () => {
    const oneDay = hourly(Array.from({ length: 24 }, (_, i) => i));
    const s = priceSteps(oneDay, 60, new Date(T0 + 50 * H), 1, 60);
    expect(s).toEqual({ values: [0.002], known: [false] });
  });

  it('before the data takes the same time of a later day, and a step half covered counts as unknown', () => {
    const day = hourly(Array.from({ length: 24 }, (_, i) => i), T0 + 24 * H);
    expect(priceSteps(day, 60, new Date(T0 + 5 * H), 1, 60)).toEqual({ values: [0.005], known: [false] });
    const s = priceSteps(day, 60, new Date(T0 + 24 * H - 30 * 60_000), 1, 60);
    expect(s.known).toEqual([false]);
  });

  it('with less than a day of data, falls back to the nearest price', () => {
    const s = priceSteps(hourly([50, 70]), 60, new Date(T0 + 5 * H), 1, 60);
    expect(s).toEqual({ values: [0.07], known: [false] });
  });

  it('has a value for every step of 48 h after the six-week sample ends', () => {
    const text = readFileSync(new URL('../../../../data/samples/prices/DK2-2023-01-02_2023-02-12.csv', import.meta.url), 'utf8');
    const [curve] = parseEnergiDataServiceCsv(text);
    const s = priceSteps(curve!.points, 60, new Date('2023-02-12T12:00:00Z'), 192, 15);
    expect(s.values).toHaveLength(192);
    expect(s.values.every(Number.isFinite)).toBe(true);
    expect(s.known.filter(Boolean)).toHaveLength(11 * 4);
  });

  it('refuses to invent a price level from nothing', () => {
    expect(() => priceSteps([], 60, new Date(T0), 4, 15)).toThrow('no prices to build steps from');
  });
});

describe('temperatureSteps', () => {
  const temps = (values: number[], from = T0) => values.map((temperatureC, i) => ({ time: toInstant(from + i * H), temperatureC }));

  it('interpolates linearly at each step\'s midpoint', () => {
    const s = temperatureSteps(temps([0, 4]), new Date(T0), 4, 15);
    expect(s.values).toEqual([0.5, 1.5, 2.5, 3.5]);
    expect(s.known).toEqual([true, true, true, true]);
  });

  it('beyond the forecast repeats the same hour of the day before, marked unknown', () => {
    const twoDays = temps(Array.from({ length: 48 }, (_, i) => i));
    const s = temperatureSteps(twoDays, new Date(T0 + 47 * H), 2, 60);
    // Step 47–48 h needs the 48 h point, which is missing: it takes 23.5 h instead.
    expect(s).toEqual({ values: [23.5, 24.5], known: [false, false] });
  });

  it('does not interpolate across a hole longer than 3 h', () => {
    const holey = [...temps([10, 10]), ...temps([20], T0 + 6 * H)];
    const s = temperatureSteps(holey, new Date(T0 + 3 * H), 1, 60);
    expect(s.known).toEqual([false]);
    expect(s.values[0]).toBe(10);
  });

  it('refuses to invent a temperature from nothing', () => {
    expect(() => temperatureSteps([], new Date(T0), 4, 15)).toThrow('no temperatures to build steps from');
  });
});
