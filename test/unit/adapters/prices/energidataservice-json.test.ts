import { describe, expect, it } from 'vitest';
import { dayAheadPricesUrl, fetchDayAheadPrices, parseEnergiDataServiceJson } from '../../../../functions/adapters/prices/energidataservice.ts';
import { dayAheadDocument, elspotDocument } from '../../../support/eds-json-documents.ts';
import { fixture } from '../../../support/fixtures.ts';

/** Real rows of the EDS CSV download as JSON answers (test/support/eds-json-documents.ts). */
const AUTUMN = fixture('energidataservice/DK2-2023-10-28_2023-10-29.csv');
const SPRING = fixture('energidataservice/DK2-2023-03-25_2023-03-26.csv');

describe('parseEnergiDataServiceJson', () => {
  it('reads Elspotprices: hourly, sorted ascending, the autumn DST day without duplicates', () => {
    const [curve, ...others] = parseEnergiDataServiceJson(elspotDocument(AUTUMN));
    expect(others).toEqual([]);
    expect(curve).toMatchObject({ zone: 'DK2', resolutionMinutes: 60, currency: 'EUR', unit: 'MWh' });
    expect(curve!.points).toHaveLength(49);
    expect(curve!.points[0]).toEqual({ start: '2023-10-27T22:00:00Z', price: 75.019997 });
    expect(curve!.points.at(-1)).toEqual({ start: '2023-10-29T22:00:00Z', price: 24.59 });
  });

  it('reads DayAheadPrices: 15-minute resolution detected from the spacing, the spring DST day', () => {
    const [curve] = parseEnergiDataServiceJson(dayAheadDocument(SPRING));
    expect(curve!.resolutionMinutes).toBe(15);
    expect(curve!.points).toHaveLength(47 * 4);
    const starts = curve!.points.map((p) => Date.parse(p.start));
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBe(15 * 60_000);
  });

  it('recognises the dataset from the records when the envelope does not say', () => {
    const { records } = elspotDocument(AUTUMN);
    expect(parseEnergiDataServiceJson({ records })[0]!.resolutionMinutes).toBe(60);
  });

  it('gives no curve for an answer without records', () => {
    expect(parseEnergiDataServiceJson({ total: 0, dataset: 'DayAheadPrices', records: [] })).toEqual([]);
  });

  it('gives one curve per zone', () => {
    const doc = elspotDocument(AUTUMN);
    doc.records.push({ ...doc.records[0]!, PriceArea: 'SE4', SpotPriceEUR: -2.5 });
    expect(parseEnergiDataServiceJson(doc).map((c) => [c.zone, c.points.length])).toEqual([
      ['DK2', 49],
      ['SE4', 1],
    ]);
  });

  describe('refuses malformed documents, naming the dataset and the record', () => {
    const broken = (edit: (records: Record<string, unknown>[]) => void) => {
      const doc = dayAheadDocument(SPRING);
      edit(doc.records as unknown as Record<string, unknown>[]);
      return doc;
    };
    it.each([
      ['not an object', 'nonsense', /Energi Data Service JSON is invalid: \(root\)/],
      ['no records', { dataset: 'DayAheadPrices' }, /records: Invalid input: expected array/],
      ['another dataset', { dataset: 'CO2Emis', records: [] }, /dataset CO2Emis; expected Elspotprices or DayAheadPrices/],
      ['a null price', broken((r) => (r[3]!.DayAheadPriceEUR = null)), /DayAheadPrices JSON: records\[3\] is invalid: DayAheadPriceEUR: Invalid input: expected number, received null/],
      ['a price as text', broken((r) => (r[5]!.DayAheadPriceEUR = '12,5')), /records\[5\] is invalid: DayAheadPriceEUR/],
      ['a bad timestamp', broken((r) => (r[7]!.TimeUTC = '2023-03-26 25:00')), /records\[7\]\.TimeUTC is not a timestamp: "2023-03-26 25:00"/],
      ['a repeated interval', broken((r) => (r[2]!.TimeUTC = r[1]!.TimeUTC)), /records\[(1|2)\] and records\[(1|2)\] both give the DK2 price at 2023-03-26T21:30:00Z/],
      ['a hole', broken((r) => r.splice(4, 1)), /DK2 prices miss 15 minutes between records\[4\] \(2023-03-26T20:30:00Z\) and records\[3\] \(2023-03-26T21:00:00Z\)/],
    ])('%s', (_name, doc, message) => {
      expect(() => parseEnergiDataServiceJson(doc)).toThrow(message);
    });
  });
});

describe('fetchDayAheadPrices', () => {
  it('asks DayAheadPrices in Danish wall-clock time, filtered by zone, ascending, with a sufficient limit', () => {
    const winter = dayAheadPricesUrl('https://api.energidataservice.dk/', 'DK2', Date.parse('2023-01-10T00:00:00Z'), Date.parse('2023-01-12T00:00:00Z'));
    expect(winter).toBe(
      'https://api.energidataservice.dk/dataset/DayAheadPrices?start=2023-01-10T01%3A00&end=2023-01-12T01%3A00' +
        '&filter=%7B%22PriceArea%22%3A%5B%22DK2%22%5D%7D&sort=TimeUTC%20asc&limit=200',
    );
    const summer = new URL(dayAheadPricesUrl('http://x', 'DK1', Date.parse('2025-10-01T00:00:00Z'), Date.parse('2025-10-03T00:00:00Z')));
    expect(summer.searchParams.get('start')).toBe('2025-10-01T02:00');
    expect(summer.searchParams.get('filter')).toBe('{"PriceArea":["DK1"]}');
  });

  const answering = (body: unknown) => {
    const urls: string[] = [];
    const impl = (async (url: string) => {
      urls.push(url);
      return new Response(JSON.stringify(body), { status: 200 });
    }) as unknown as typeof fetch;
    return { impl, urls };
  };
  const window = { from: new Date('2023-03-26T00:00:00Z'), to: new Date('2023-03-27T00:00:00Z') };

  it('asks an hour more on each side and cuts the answer to the window in UTC', async () => {
    const { impl, urls } = answering(dayAheadDocument(SPRING));
    const curve = await fetchDayAheadPrices({ baseUrl: 'http://eds', zone: 'DK2', ...window, fetchImpl: impl, timeoutMs: 1000 });
    expect(new URL(urls[0]!).searchParams.get('start')).toBe('2023-03-26T00:00');
    expect(curve.points[0]!.start).toBe('2023-03-26T00:00:00Z');
    expect(curve.points.at(-1)!.start).toBe('2023-03-26T21:45:00Z');
  });

  it('fails clearly when the limit cut the answer short or the window holds no price', async () => {
    const cut = { ...dayAheadDocument(SPRING), total: 10_000 };
    await expect(fetchDayAheadPrices({ baseUrl: 'http://eds', zone: 'DK2', ...window, fetchImpl: answering(cut).impl, timeoutMs: 1000 })).rejects.toThrow(
      /holds 188 of 10000 records; the limit cut it short/,
    );
    const empty = { total: 0, dataset: 'DayAheadPrices', records: [] };
    await expect(fetchDayAheadPrices({ baseUrl: 'http://eds', zone: 'DK2', ...window, fetchImpl: answering(empty).impl, timeoutMs: 1000 })).rejects.toThrow(
      'Energi Data Service DayAheadPrices for DK2: no prices between 2023-03-26T00:00:00Z and 2023-03-27T00:00:00Z',
    );
  });
});
