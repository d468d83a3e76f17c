import { describe, expect, it } from 'vitest';
import { energiDataService } from '../../../../functions/adapters/prices/energidataservice-source.ts';
import { fixture } from '../../../support/fixtures.ts';

const CSV = fixture('energidataservice/DK2-2023-12-17.csv');

describe('Energi Data Service behind the price-source interface', () => {
  it('reads the CSV download and the JSON answer through one parse', () => {
    const [fromCsv] = energiDataService.parse(CSV);
    expect(fromCsv).toMatchObject({ source: 'energidataservice', zone: 'DK2', currency: 'EUR', resolutionMinutes: 60 });
    const json = JSON.stringify({
      dataset: 'Elspotprices',
      records: fromCsv!.points.map((p) => ({ HourUTC: p.start.slice(0, 19), PriceArea: 'DK2', SpotPriceEUR: p.price })),
    });
    expect(energiDataService.parse(json)).toEqual([fromCsv]);
  });

  it('picks a zone and refuses one the document does not hold', () => {
    expect(energiDataService.parse(CSV, { zone: 'DK2' })).toHaveLength(1);
    expect(() => energiDataService.parse(CSV, { zone: 'DK1' })).toThrow('Energi Data Service CSV holds no DK1 prices; it holds DK2 60-minute');
    expect(() => energiDataService.parse('{"records":[]}')).toThrow('Energi Data Service JSON holds no prices');
  });
});
