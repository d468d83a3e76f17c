import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { command as prices } from '../../../cli/commands/prices.ts';
import { PRICE_SOURCE_IDS } from '../../../functions/adapters/prices/sources.ts';
import { fixture } from '../../support/fixtures.ts';
import { cliHarness } from './support/cli-run.ts';
import { mutatedCells, mutatedText, randomDocument, RUNS, trickyString } from './support/mutations.ts';

/**
 * `hearth prices parse --source S [--zone Z] [--resolution R] FILE`, 10,000 cases: the real price documents in
 * test/fixtures (mostly with their own source, edited or not), random files, and good and bad options. The
 * command prints one curve as JSON, or fails with an Error naming the source and the position (cli/main.ts:
 * `hearth prices: …`, exit 2); never a crash.
 */
const PRICE_FILES: [string, string, string][] = [
  ['entsoe/BE_60M.xml', 'entsoe', '\n'],
  ['nordpool/delivery_period_nl.json', 'nordpool', ','],
  ['awattar/awattar.json', 'awattar', ','],
  ['energidataservice/DK2-2023-12-17.csv', 'energidataservice', ';'],
  ['ercot/ERCOT-HB_HUBAVG-2022-11-06.csv', 'ercot', ','],
  ['caiso/CAISO-TH_NP15_GEN-APND-2022-03-13.csv', 'caiso', ','],
].map(([path, source, delimiter]) => [fixture(path!), source!, delimiter!]);

describe('hearth prices input, property-based', () => {
  const cli = cliHarness();

  it('hearth prices parse --source S FILE: one curve as JSON, or an Error naming the source and position', async () => {
    // Mostly a document with its own source, edited or not; sometimes any text, or any source.
    const files = fc.oneof(
      { weight: 1, arbitrary: fc.tuple(randomDocument, fc.constantFrom(...PRICE_SOURCE_IDS)) },
      {
        weight: 6,
        arbitrary: fc
          .constantFrom(...PRICE_FILES)
          .chain(([doc, source, delimiter]) =>
            fc.tuple(fc.oneof(fc.constant(doc), mutatedText([doc]), mutatedCells([doc], delimiter)), fc.oneof({ weight: 4, arbitrary: fc.constant(source) }, { weight: 1, arbitrary: fc.oneof(fc.constantFrom(...PRICE_SOURCE_IDS), trickyString) })),
          ),
      },
    );
    const options = fc.record({
      zone: fc.option(fc.oneof(fc.constantFrom('BE', 'NL', 'DK2', 'AT', 'GB-C'), trickyString), { nil: undefined, freq: 3 }),
      resolution: fc.option(fc.oneof(fc.constantFrom('15', '30', '60'), trickyString), { nil: undefined, freq: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(files, options, async ([text, source], o) => {
        writeFileSync(cli.input(), text);
        const args = ['parse', `--source=${source}`, ...(o.zone === undefined ? [] : [`--zone=${o.zone}`]), ...(o.resolution === undefined ? [] : [`--resolution=${o.resolution}`]), cli.input()];
        const { code, stdout } = await cli.run(prices, args);
        if (code !== 0) return;
        const curve = JSON.parse(stdout) as { zone: string; currency: string; unit: string; resolutionMinutes: number; points: { start: string; price: number }[] };
        expect(Object.keys(curve)).toEqual(['zone', 'currency', 'unit', 'resolutionMinutes', 'points']);
        expect(curve.points.length).toBeGreaterThan(0);
      }),
      RUNS,
    );
  });
});
