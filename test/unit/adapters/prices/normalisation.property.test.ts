import { describe, expect, it } from 'vitest';
import { loadDeLuCsv } from '../../../../functions/adapters/prices/de-lu-green-dcc.ts';
import { parseEntsoe } from '../../../../functions/adapters/prices/entsoe.ts';
import { parseErcot } from '../../../../functions/adapters/prices/ercot.ts';
import { parseNordPool } from '../../../../functions/adapters/prices/nordpool.ts';
import { parseOctopus } from '../../../../functions/adapters/prices/octopus.ts';
import { mergeAtFinest } from '../../../../functions/adapters/prices/price-source.ts';
import { toInstant } from '../../../../functions/domain/market/time.ts';
import { seededRandom } from '../../../../local/fleet/seeded-random.ts';
import type { PriceCurve } from '../../../../schemas/price-curve.ts';

/**
 * Property tests as plain seeded loops (no fast-check): each draws ≥ 1,000 random documents of one source's
 * format, with the quirks the format has (A03 compression, DST days, shuffled order, missing days), and checks
 * that normalisation neither loses nor duplicates an interval: every expected interval start appears exactly
 * once, with its price, and nothing else appears. A failure prints the seed to replay.
 */
const CASES = 1000;
const MIN = 60_000;
const H = 60 * MIN;
const DAY = 24 * H;

const pick = <T,>(rnd: () => number, items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
const int = (rnd: () => number, lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
const shuffle = <T,>(rnd: () => number, items: T[]): T[] => {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
};
/** Prices with runs of repeats (what A03 compresses) and negative values. */
const priceSeries = (rnd: () => number, n: number): number[] => {
  const out: number[] = [];
  // `+ 0` turns Math.round's −0 into 0: a document never writes −0.
  for (let i = 0; i < n; i++) out.push(i > 0 && rnd() < 0.4 ? out[i - 1]! : Math.round((rnd() * 400 - 50) * 100) / 100 + 0);
  return out;
};

/**
 * Offsets by the statutory rules, computed without Intl: an oracle independent of the code under test (and
 * fast). EU: summer time from the last Sunday of March to the last Sunday of October, 01:00 UTC. US (since
 * 2007): from the second Sunday of March, 02:00 local standard time, to the first Sunday of November, 02:00
 * local daylight time.
 */
const sundayOnOrBefore = (ms: number): number => ms - new Date(ms).getUTCDay() * DAY;
const sundayOnOrAfter = (ms: number): number => ms + ((7 - new Date(ms).getUTCDay()) % 7) * DAY;
function berlinOffsetH(ms: number): number {
  const y = new Date(ms).getUTCFullYear();
  const start = sundayOnOrBefore(Date.UTC(y, 2, 31)) + H;
  const end = sundayOnOrBefore(Date.UTC(y, 9, 31)) + H;
  return ms >= start && ms < end ? 2 : 1;
}
function chicagoOffsetH(ms: number): number {
  const y = new Date(ms).getUTCFullYear();
  const start = sundayOnOrAfter(Date.UTC(y, 2, 8)) + 8 * H; // 02:00 CST
  const end = sundayOnOrAfter(Date.UTC(y, 10, 1)) + 7 * H; // 02:00 CDT
  return ms >= start && ms < end ? -5 : -6;
}
const wallOf = (ms: number, offsetH: number): string => toInstant(ms + offsetH * H).slice(0, 19).replace('T', ' ');

/** Every expected start once, with its price, and nothing else (checked in plain code: 10⁵ `expect`s are slow). */
function expectExactly(curves: readonly PriceCurve[], expected: Map<number, number>, seed: number) {
  const problems: string[] = [];
  const seen = new Map<number, number>();
  for (const curve of curves) {
    for (const p of curve.points) {
      const ms = Date.parse(p.start);
      if (seen.has(ms)) problems.push(`${p.start} twice`);
      seen.set(ms, p.price);
    }
  }
  for (const [ms, price] of expected) {
    if (!seen.has(ms)) problems.push(`${toInstant(ms)} lost`);
    else if (seen.get(ms) !== price) problems.push(`${toInstant(ms)}: ${seen.get(ms)} instead of ${price}`);
  }
  for (const ms of seen.keys()) if (!expected.has(ms)) problems.push(`${toInstant(ms)} invented`);
  expect(problems.slice(0, 5), `seed ${seed}`).toEqual([]);
}

describe('normalisation never loses or duplicates an interval', () => {
  it(`ENTSO-E A03: ${CASES} documents with omitted repeats, 1–3 periods, DST-length days`, () => {
    for (let seed = 1; seed <= CASES; seed++) {
      const rnd = seededRandom(seed);
      const resolution = pick(rnd, [15, 30, 60] as const);
      const curveType = pick(rnd, ['A01', 'A03']);
      let startMs = Date.UTC(2024, 0, 1) + int(rnd, 0, 700) * DAY - pick(rnd, [1, 2]) * H;
      const expected = new Map<number, number>();
      const periods: string[] = [];
      for (let p = int(rnd, 1, 3); p > 0; p--) {
        // 23, 24 or 25 hours, or a random short period.
        const minutes = rnd() < 0.8 ? pick(rnd, [23, 24, 25]) * 60 : int(rnd, 1, 40) * resolution;
        const slots = minutes / resolution;
        const prices = priceSeries(rnd, slots);
        prices.forEach((price, k) => expected.set(startMs + k * resolution * MIN, price));
        const points = prices
          .map((price, k) => ({ position: k + 1, price }))
          .filter((pt, k) => curveType === 'A01' || k === 0 || prices[k - 1] !== pt.price)
          .map((pt) => `<Point><position>${pt.position}</position><price.amount>${pt.price}</price.amount></Point>`);
        const end = startMs + minutes * MIN;
        periods.push(`<Period><timeInterval><start>${toInstant(startMs).slice(0, 16)}Z</start><end>${toInstant(end).slice(0, 16)}Z</end></timeInterval><resolution>PT${resolution}M</resolution>${points.join('')}</Period>`);
        startMs = end;
      }
      const xml = `<Publication_MarketDocument><type>A44</type><TimeSeries><in_Domain.mRID>10YDK-1--------W</in_Domain.mRID><currency_Unit.name>EUR</currency_Unit.name><price_Measure_Unit.name>MWH</price_Measure_Unit.name><curveType>${curveType}</curveType>${shuffle(rnd, periods).join('')}</TimeSeries></Publication_MarketDocument>`;
      const curves = parseEntsoe(xml);
      expect(curves.map((c) => [c.zone, c.resolutionMinutes])).toEqual([['DK1', resolution]]);
      expectExactly(curves, expected, seed);
    }
  });

  it(`ERCOT: ${CASES} files of local Central time with offsets, across DST changes`, () => {
    for (let seed = 1; seed <= CASES; seed++) {
      const rnd = seededRandom(seed);
      // Start near a DST change half of the time.
      const anchor = rnd() < 0.5 ? pick(rnd, [Date.UTC(2022, 2, 13), Date.UTC(2022, 10, 6), Date.UTC(2023, 2, 12), Date.UTC(2023, 10, 5)]) : Date.UTC(2022, 0, 1) + int(rnd, 0, 700) * DAY;
      const fromMs = anchor - int(rnd, 0, 2) * DAY + 6 * H;
      const hours = int(rnd, 1, 72);
      const expected = new Map<number, number>();
      const rows: string[] = [];
      for (let h = 0; h < hours; h++) {
        const ms = fromMs + h * H;
        const price = Math.round((rnd() * 300 - 20) * 100) / 100;
        expected.set(ms, price);
        const offset = chicagoOffsetH(ms);
        rows.push(`${wallOf(ms, offset)}-0${-offset}:00,${price}`);
      }
      expectExactly(parseErcot(['Datetime,Price (USD/MWh)', ...(rnd() < 0.5 ? rows : shuffle(rnd, rows))].join('\n')), expected, seed);
    }
  });

  it(`DE-LU green-dcc: ${CASES} files with 24 rows per local day and missing days`, () => {
    for (let seed = 1; seed <= CASES; seed++) {
      const rnd = seededRandom(seed);
      const anchor = rnd() < 0.6 ? pick(rnd, [Date.UTC(2022, 2, 27), Date.UTC(2022, 9, 30), Date.UTC(2023, 2, 26), Date.UTC(2023, 9, 29)]) : Date.UTC(2022, 0, 1) + int(rnd, 0, 700) * DAY;
      const firstDay = anchor - int(rnd, 0, 2) * DAY;
      const days = int(rnd, 1, 4);
      const missing = days >= 3 && rnd() < 0.5 ? int(rnd, 1, days - 2) : -1;
      const expected = new Map<number, number>();
      const gapHours = new Set<number>();
      const lines = ['Datetime,Price (EUR/MWh)'];
      for (let d = 0; d < days; d++) {
        const dayMs = firstDay + d * DAY;
        // The day's UTC hours, from local midnight to the next local midnight, with their wall clock.
        const localMidnight = (ms: number) => ms - berlinOffsetH(ms - 2 * H) * H;
        const hoursOfDay: { ms: number; hour: number; price: number }[] = [];
        for (let ms = localMidnight(dayMs); ms < localMidnight(dayMs + DAY); ms += H) {
          hoursOfDay.push({ ms, hour: Number(wallOf(ms, berlinOffsetH(ms)).slice(11, 13)), price: Math.round((rnd() * 300 - 20) * 100) / 100 + 0 });
        }
        if (d === missing) {
          hoursOfDay.forEach((h) => gapHours.add(h.ms));
          continue;
        }
        // green-dcc's convention, rows 00…23: a skipped hour repeats the next one; a repeated hour appears
        // once, and its second pass gets the first pass's price (the documented fill).
        for (const h of hoursOfDay) expected.set(h.ms, hoursOfDay.find((other) => other.hour === h.hour)!.price);
        for (let hour = 0; hour < 24; hour++) {
          const row = hoursOfDay.find((h) => h.hour === hour) ?? hoursOfDay.find((h) => h.hour === hour + 1)!;
          lines.push(`${toInstant(dayMs).slice(0, 10)} ${String(hour).padStart(2, '0')}:00:00,${row.price}`);
        }
      }
      const { curves, gaps } = loadDeLuCsv(lines.join('\n'));
      expectExactly(curves, expected, seed);
      const reported = new Set<number>();
      for (const g of gaps) for (let ms = Date.parse(g.from); ms < Date.parse(g.to); ms += H) reported.add(ms);
      expect([...reported].sort(), `seed ${seed}: gaps`).toEqual([...gapHours].sort());
    }
  });

  it(`Nord Pool and Octopus: ${CASES} shuffled answers come out sorted and complete`, () => {
    for (let seed = 1; seed <= CASES; seed++) {
      const rnd = seededRandom(seed);
      const resolution = pick(rnd, [15, 60] as const);
      const fromMs = Date.UTC(2024, 0, 1) + int(rnd, 0, 700) * DAY - H;
      const n = int(rnd, 1, 100);
      const prices = priceSeries(rnd, n);
      const expected = new Map(prices.map((price, k) => [fromMs + k * resolution * MIN, price]));
      const entries = prices.map((price, k) => ({
        deliveryStart: toInstant(fromMs + k * resolution * MIN),
        deliveryEnd: toInstant(fromMs + (k + 1) * resolution * MIN),
        entryPerArea: { SE3: price, SE4: price + 1 },
      }));
      const nordPool = parseNordPool(JSON.stringify({ currency: 'EUR', multiAreaEntries: shuffle(rnd, entries) }), { zone: 'SE3' });
      expectExactly(nordPool, expected, seed);

      const halfHours = prices.map((price, k) => ({ value_exc_vat: price, valid_from: toInstant(fromMs + k * 30 * MIN), valid_to: toInstant(fromMs + (k + 1) * 30 * MIN) }));
      const octopus = parseOctopus(JSON.stringify({ results: shuffle(rnd, halfHours) }));
      const inGbpPerMWh = new Map(prices.map((price, k) => [fromMs + k * 30 * MIN, Math.round(price * 10 * 1e9) / 1e9]));
      expectExactly(octopus, inGbpPerMWh, seed);
    }
  });

  it(`mergeAtFinest: ${CASES} mixes of 15- and 60-minute days keep every quarter once`, () => {
    for (let seed = 1; seed <= CASES; seed++) {
      const rnd = seededRandom(seed);
      const dayStart = Date.UTC(2025, 8, 1) + int(rnd, 0, 60) * DAY;
      const days = int(rnd, 1, 4);
      const curves: PriceCurve[] = [];
      const expected = new Map<number, number>();
      for (let d = 0; d < days; d++) {
        const resolution = pick(rnd, [15, 60] as const);
        const prices = priceSeries(rnd, (24 * 60) / resolution);
        const start = dayStart + d * DAY;
        curves.push({ source: 't', zone: 'SE3', currency: 'EUR', unit: 'MWh', resolutionMinutes: resolution, points: prices.map((price, k) => ({ start: toInstant(start + k * resolution * MIN), price })) });
        prices.forEach((price, k) => {
          for (let q = 0; q < resolution / 15; q++) expected.set(start + k * resolution * MIN + q * 15 * MIN, price);
        });
      }
      const merged = mergeAtFinest(shuffle(rnd, curves), 'merge');
      if (curves.some((c) => c.resolutionMinutes === 15)) expect(merged.resolutionMinutes).toBe(15);
      if (merged.resolutionMinutes === 15) expectExactly([merged], expected, seed);
    }
  });
});
