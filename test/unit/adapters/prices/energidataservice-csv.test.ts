import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEnergiDataServiceCsv } from '../../../../functions/adapters/prices/energidataservice-csv.ts';
import type { PriceCurve } from '../../../../schemas/price-curve.ts';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
const SAMPLE = read('../../../../data/samples/prices/DK2-2023-01-02_2023-02-12.csv');
const SPRING = read('../../../fixtures/energidataservice/DK2-2023-03-25_2023-03-26.csv');
const AUTUMN = read('../../../fixtures/energidataservice/DK2-2023-10-28_2023-10-29.csv');
const NEGATIVE = read('../../../fixtures/energidataservice/DK2-2023-12-17.csv');
const WITH_SECONDS = read('../../../fixtures/energidataservice/SE4-2023-01-02.csv');
const HEADER = 'HourUTC;HourDK;PriceArea;SpotPriceDKK;SpotPriceEUR';

function expectContiguousHours(curve: PriceCurve) {
  const starts = curve.points.map((p) => Date.parse(p.start));
  for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBe(3_600_000);
}

describe('parseEnergiDataServiceCsv', () => {
  it('reads the six-week DK2 sample: hourly, ascending, EUR/MWh, UTC', () => {
    const [curve, ...others] = parseEnergiDataServiceCsv(SAMPLE);
    expect(others).toEqual([]);
    expect(curve).toMatchObject({ source: 'energidataservice', zone: 'DK2', currency: 'EUR', unit: 'MWh', resolutionMinutes: 60 });
    expect(curve!.points).toHaveLength(42 * 24);
    // The file is newest first; the first line is HourUTC 2023-02-12 22:00, price 16,160000.
    expect(curve!.points[0]).toEqual({ start: '2023-01-01T23:00:00Z', price: 57.91 });
    expect(curve!.points.at(-1)).toEqual({ start: '2023-02-12T22:00:00Z', price: 16.16 });
    expectContiguousHours(curve!);
  });

  it('reads the `YYYY-MM-DD HH:MM:SS` download vintage', () => {
    const [curve] = parseEnergiDataServiceCsv(WITH_SECONDS);
    expect(curve!.zone).toBe('SE4');
    expect(curve!.points).toHaveLength(24);
    expect(curve!.points[0]!.start).toBe('2023-01-01T23:00:00Z');
  });

  it('gets the spring DST day right: 23 Danish hours, no hole in UTC', () => {
    const [curve] = parseEnergiDataServiceCsv(SPRING);
    expect(curve!.points).toHaveLength(24 + 23);
    expectContiguousHours(curve!);
    expect(curve!.points.at(-1)!.start).toBe('2023-03-26T21:00:00Z');
  });

  it('gets the autumn DST day right: HourDK 02:00 twice, HourUTC unique, 25 Danish hours', () => {
    expect(AUTUMN.split('\n').filter((l) => l.includes(';2023-10-29 02:00;'))).toHaveLength(2);
    const [curve] = parseEnergiDataServiceCsv(AUTUMN);
    expect(curve!.points).toHaveLength(24 + 25);
    expectContiguousHours(curve!);
    expect(curve!.points.find((p) => p.start === '2023-10-29T00:00:00Z')!.price).toBe(25.34);
    expect(curve!.points.find((p) => p.start === '2023-10-29T01:00:00Z')!.price).toBe(22.35);
  });

  it('keeps negative prices', () => {
    const [curve] = parseEnergiDataServiceCsv(NEGATIVE);
    expect(Math.min(...curve!.points.map((p) => p.price))).toBe(-1.11);
    expect(curve!.points.find((p) => p.start === '2023-12-17T05:00:00Z')!.price).toBe(-0.01);
  });

  it('gives one curve per zone, zones sorted', () => {
    const text = `${HEADER}\n2023-01-02 00:00;2023-01-02 01:00;SE4;1,0;2,5\n2023-01-02 00:00;2023-01-02 01:00;DK2;1,0;3\n`;
    expect(parseEnergiDataServiceCsv(text).map((c) => [c.zone, c.points[0]!.price])).toEqual([
      ['DK2', 3],
      ['SE4', 2.5],
    ]);
  });

  it('accepts CRLF line ends and a byte-order mark', () => {
    const text = `\uFEFF${HEADER}\r\n2023-01-02 01:00;x;DK2;1,0;2,5\r\n2023-01-02 00:00;x;DK2;1,0;2\r\n`;
    expect(parseEnergiDataServiceCsv(text)[0]!.points).toHaveLength(2);
  });

  describe('refuses malformed files, naming the file and the line', () => {
    const lines = SPRING.trimEnd().split('\n');
    const body = (rows: string[]) => [lines[0], ...rows].join('\n');

    it.each([
      ['a wrong header', 'Time;Price\n2023-01-01 00:00;1', /test\.csv: line 1 has no HourUTC or TimeUTC column/],
      ['a price that is not a number', body([lines[1]!, lines[2]!.replace(/;[^;]*$/, ';abc')]), /test\.csv: line 3 EUR price is not a number: "abc"/],
      ['an empty price', body([lines[1]!.replace(/;[^;]*$/, ';')]), /line 2 EUR price is not a number: ""/],
      ['a bad timestamp', body([lines[1]!.replace(/^[^;]*/, '2023-13-40 00:00')]), /line 2 HourUTC is not a timestamp: "2023-13-40 00:00"/],
      ['a missing field', body([lines[1]!.split(';').slice(0, 4).join(';')]), /line 2 has 4 fields; the header has 5/],
      ['a repeated hour', body([lines[1]!, lines[2]!, lines[1]!]), /line 2 and line 4 both give the DK2 price at 2023-03-26T21:00:00Z/],
      ['a missing hour', body([lines[1]!, lines[3]!]), /DK2 prices miss 60 minutes between line 3 \(2023-03-26T19:00:00Z\) and line 2 \(2023-03-26T21:00:00Z\)/],
      ['no data', lines[0]!, /holds no prices/],
    ])('%s', (_name, text, message) => {
      expect(() => parseEnergiDataServiceCsv(text, 'test.csv')).toThrow(message);
    });
  });
});
