import fc from 'fast-check';
import { describe, it } from 'vitest';
import { awattar } from '../../../functions/adapters/prices/awattar.ts';
import { energiDataService } from '../../../functions/adapters/prices/energidataservice-source.ts';
import { nordPool } from '../../../functions/adapters/prices/nordpool.ts';
import { octopus } from '../../../functions/adapters/prices/octopus.ts';
import type { PriceSourceAdapter } from '../../../functions/adapters/prices/price-source.ts';
import { dayAheadDocument, elspotDocument } from '../../support/eds-json-documents.ts';
import { fixture } from '../../support/fixtures.ts';
import { mutatedJson, mutatedText, randomDocument, RUNS } from './support/mutations.ts';
import { assertNoProblem, parseOptions, parseProblem } from './support/price-check.ts';

/**
 * Price documents in JSON (Energi Data Service, Nord Pool, aWATTar, Octopus), 10,000 cases per source:
 * fully random text and JSON, and one to three edits of the real documents in test/fixtures (as text, and as
 * JSON trees: a value replaced, removed, repeated, swapped or nudged). Each parse answers curves that keep
 * the PriceCurve promise (schema, sorted, no hole, no repeat) or throws a plain Error naming the source.
 *
 * No verbatim EDS JSON answer is public (test/fixtures/README.md): the EDS documents are built here from the
 * real rows of the EDS CSV fixtures (test/support/eds-json-documents.ts).
 */
const EDS_DOCUMENTS = [elspotDocument(fixture('energidataservice/DK2-2023-10-28_2023-10-29.csv')), elspotDocument(fixture('energidataservice/SE4-2023-01-02.csv')), dayAheadDocument(fixture('energidataservice/DK2-2023-12-17.csv'))];

/**
 * The longer documents cut to their first entries (still the real entries, in their order): a parse of 24
 * entries goes as deep as one of 150, and 10,000 of them fit the time a unit test may take.
 */
const firstEntries = (text: string, field: string, count: number) => {
  const doc = JSON.parse(text) as Record<string, unknown[]>;
  return JSON.stringify({ ...doc, [field]: doc[field]!.slice(0, count), ...('count' in doc ? { count } : {}) }, null, 2);
};

interface Case {
  adapter: PriceSourceAdapter;
  /** Names every refusal: the adapter's `what`, or the name of its dataset. */
  names: RegExp;
  texts: string[];
}

const CASES: Case[] = [
  { adapter: energiDataService, names: /^Energi Data Service /, texts: EDS_DOCUMENTS.map((d) => firstEntries(JSON.stringify(d), 'records', 40)) },
  { adapter: nordPool, names: /^Nord Pool Data Portal JSON/, texts: [fixture('nordpool/delivery_period_nl.json'), firstEntries(fixture('nordpool/indices_15.json'), 'multiIndexEntries', 32)] },
  { adapter: awattar, names: /^aWATTar marketdata JSON/, texts: [fixture('awattar/awattar.json')] },
  { adapter: octopus, names: /^Octopus Energy unit rates JSON/, texts: [firstEntries(fixture('octopus/octopus_agile.json'), 'results', 24)] },
];

describe('price documents in JSON, property-based', () => {
  it.each(CASES.map((c) => [c.adapter.id, c] as const))('%s: curves that keep their promise, or an Error naming the source; never a crash', (_id, { adapter, names, texts }) => {
    const trees = texts.map((t) => JSON.parse(t) as unknown);
    const documents = fc.oneof(
      { weight: 1, arbitrary: randomDocument },
      { weight: 2, arbitrary: mutatedText(texts) },
      { weight: 4, arbitrary: mutatedJson(trees) },
    );
    fc.assert(
      fc.property(documents, parseOptions, (document, options) => {
        assertNoProblem(
          parseProblem(() => adapter.parse(document, options), names),
          document,
        );
      }),
      RUNS,
    );
  });
});
