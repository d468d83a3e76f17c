import { describe, expect, it } from 'vitest';
import { octopus, octopusUrl, parseOctopus } from '../../../../functions/adapters/prices/octopus.ts';
import { fixture, gapsIn } from '../../../support/fixtures.ts';

const REAL = fixture('octopus/octopus_agile.json');
type Rate = { value_exc_vat: number; value_inc_vat: number; valid_from: string; valid_to: string | null };
const edit = (change: (results: Rate[]) => Rate[] | void): string => {
  const body = JSON.parse(REAL) as { results: Rate[] };
  body.results = change(body.results) ?? body.results;
  return JSON.stringify(body);
};

describe('Octopus Agile unit rates JSON', () => {
  it('reads the real page: 145 half hours, newest first → ascending, p/kWh → GBP/MWh, negative rates kept', () => {
    const [curve] = parseOctopus(REAL);
    expect(curve).toMatchObject({ source: 'octopus', zone: 'GB', currency: 'GBP', unit: 'MWh', resolutionMinutes: 30 });
    expect(curve!.points).toHaveLength(145);
    expect(gapsIn(curve!.points, 30)).toEqual([]);
    expect(curve!.points[0]).toEqual({ start: '2026-08-02T16:00:00Z', price: 358.6 });
    // results[0]: 25.96 p/kWh excluding VAT.
    expect(curve!.points.at(-1)).toEqual({ start: '2026-08-05T16:00:00Z', price: 259.6 });
    expect(curve!.points.find((p) => p.start === '2026-08-05T13:00:00Z')!.price).toBe(-38.1);
    expect(octopus.parse(REAL, { zone: 'GB-C' })[0]!.zone).toBe('GB-C');
  });

  it('reads the UK autumn DST night as 50 half hours (derived from the real page)', () => {
    // 2025-10-26 in London runs 2025-10-25T23:00Z … 2025-10-26T24:00Z: 25 UTC hours.
    const autumn = edit((r) =>
      Array.from({ length: 50 }, (_, k) => ({
        ...r[k]!,
        valid_from: new Date(Date.parse('2025-10-25T23:00:00Z') + k * 1_800_000).toISOString().replace('.000', ''),
        valid_to: new Date(Date.parse('2025-10-25T23:30:00Z') + k * 1_800_000).toISOString().replace('.000', ''),
      })),
    );
    expect(parseOctopus(autumn)[0]!.points).toHaveLength(50);
  });

  describe('refuses malformed pages naming the rate', () => {
    it.each([
      ['a gap', edit((r) => void r.splice(7, 1)), /GB prices miss 30 minutes between results\[7\] \(2026-08-05T12:00:00Z\) and results\[6\] \(2026-08-05T13:00:00Z\)/],
      ['an open-ended rate', edit((r) => void (r[2]!.valid_to = null)), /results\[2\] runs 2026-08-05T15:00:00Z to null; expected a half hour/],
      ['an hourly rate', edit((r) => void (r[0]!.valid_to = '2026-08-05T17:00:00Z')), /results\[0\] runs .* expected a half hour/],
      ['a rate as text', edit((r) => void ((r[1] as unknown as Record<string, unknown>).value_exc_vat = '17.58')), /results\[1\] is invalid: value_exc_vat/],
      ['no rates', edit(() => []), /holds no rates/],
    ])('%s', (_name, text, message) => {
      expect(() => parseOctopus(text)).toThrow(message);
    });
  });

  it('fetches the regional Agile tariff for GB-<region>', async () => {
    const asked: string[] = [];
    const fetchImpl = (async (url: string) => {
      asked.push(url);
      return new Response(REAL, { status: 200 });
    }) as unknown as typeof fetch;
    const from = new Date('2026-08-04T00:00:00Z');
    const to = new Date('2026-08-05T00:00:00Z');
    const curve = await octopus.fetch!({ zone: 'GB-C', from, to }, { timeoutMs: 1000, fetchImpl });
    expect(asked).toEqual([octopusUrl('https://api.octopus.energy', 'AGILE-24-10-01', 'C', from, to)]);
    expect(asked[0]).toContain('/electricity-tariffs/E-1R-AGILE-24-10-01-C/standard-unit-rates/');
    expect(curve.points).toHaveLength(48);
    await expect(octopus.fetch!({ zone: 'GB', from, to }, { timeoutMs: 1 })).rejects.toThrow('Octopus Agile zones are GB-A … GB-P');
  });
});
