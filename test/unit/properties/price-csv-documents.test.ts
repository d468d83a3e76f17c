import fc from 'fast-check';
import { describe, it } from 'vitest';
import { caiso } from '../../../functions/adapters/prices/caiso.ts';
import { loadDeLuCsv } from '../../../functions/adapters/prices/de-lu-green-dcc.ts';
import { energiDataService } from '../../../functions/adapters/prices/energidataservice-source.ts';
import { ercot } from '../../../functions/adapters/prices/ercot.ts';
import { readPriceDocument } from '../../../functions/adapters/prices/load-price-file.ts';
import { fixture } from '../../support/fixtures.ts';
import { mutatedCells, mutatedText, randomDocument, RUNS } from './support/mutations.ts';
import { assertNoProblem, curveProblem, parseOptions, parseProblem } from './support/price-check.ts';

/**
 * Price files as text (Energi Data Service CSV download, the green-dcc ERCOT, CAISO and DE-LU files), and
 * the backtest loader that tells every price format apart (load-price-file.ts), 10,000 cases each: random
 * text, and edits of the real files in test/fixtures (a cell replaced, a line dropped, repeated, swapped or
 * replaced, a digit changed, text cut or inserted). Curves keep the PriceCurve promise, or the parse throws
 * a plain Error naming the file's format; never a crash.
 */
const EDS = ['energidataservice/DK2-2023-10-28_2023-10-29.csv', 'energidataservice/DK2-2023-03-25_2023-03-26.csv', 'energidataservice/SE4-2023-01-02.csv'].map(fixture);
const ERCOT = ['ercot/ERCOT-HB_HUBAVG-2022-11-06.csv', 'ercot/ERCOT-HB_HUBAVG-2022-03-12_2022-03-13.csv', 'ercot/ERCOT-HB_HUBAVG-2023-02-14.csv'].map(fixture);
const CAISO = ['caiso/CAISO-TH_NP15_GEN-APND-2022-03-13.csv', 'caiso/CAISO-TH_NP15_GEN-APND-2022-11-06.csv'].map(fixture);
const DE_LU = ['de-lu/DE-LU-2022-03-27.csv', 'de-lu/DE-LU-2022-10-30.csv', 'de-lu/DE-LU-2022-09-02_2022-09-04.csv'].map(fixture);
const ALL_FORMATS = [...EDS, ...ERCOT, ...CAISO, ...DE_LU, fixture('entsoe/BE_60M.xml'), fixture('nordpool/delivery_period_nl.json'), fixture('awattar/awattar.json')];

const documents = (texts: string[], delimiter: string) =>
  fc.oneof({ weight: 1, arbitrary: randomDocument }, { weight: 3, arbitrary: mutatedText(texts) }, { weight: 3, arbitrary: mutatedCells(texts, delimiter) });

describe('price files as text, property-based', () => {
  it.each([
    ['energidataservice CSV', EDS, ';', (d: string, o: Parameters<typeof energiDataService.parse>[1]) => energiDataService.parse(d, o), /^Energi Data Service (CSV|JSON)/],
    ['ercot', ERCOT, ',', (d: string, o: Parameters<typeof ercot.parse>[1]) => ercot.parse(d, o), /^ERCOT DAM price CSV/],
    ['caiso', CAISO, ',', (d: string, o: Parameters<typeof caiso.parse>[1]) => caiso.parse(d, o), /^CAISO DAM LMP CSV/],
  ] as const)('%s: curves that keep their promise, or an Error naming the source; never a crash', (_name, texts, delimiter, parse, names) => {
    fc.assert(
      fc.property(documents([...texts], delimiter), parseOptions, (document, options) => {
        assertNoProblem(
          parseProblem(() => parse(document, options), names),
          document,
        );
      }),
      RUNS,
    );
  });

  it('DE-LU green-dcc (a year file: holes split it, DST rows are noted): contiguous curves, or an Error naming the file', () => {
    fc.assert(
      fc.property(documents(DE_LU, ','), (document) => {
        assertNoProblem(
          parseProblem(
            () => loadDeLuCsv(document),
            /^DE-LU green-dcc price CSV/,
            (loaded) => curveProblem((loaded as ReturnType<typeof loadDeLuCsv>).curves, true),
          ),
          document,
        );
      }),
      RUNS,
    );
  });

  it('any price document, its format detected (the backtest and CLI loader): curves, or an Error naming the format or the document', () => {
    fc.assert(
      fc.property(documents(ALL_FORMATS, ','), (document) => {
        assertNoProblem(
          parseProblem(
            () => readPriceDocument(document),
            /^(price document|Energi Data Service|ERCOT DAM|CAISO DAM|DE-LU green-dcc|ENTSO-E A44|Nord Pool|aWATTar|Octopus)/,
            (loaded) => curveProblem((loaded as ReturnType<typeof readPriceDocument>).curves, true),
          ),
          document,
        );
      }),
      RUNS,
    );
  });
});
