import fc from 'fast-check';
import { describe, it } from 'vitest';
import { entsoe } from '../../../functions/adapters/prices/entsoe.ts';
import { parseXml, XmlSyntaxError } from '../../../functions/adapters/xml/strict-xml.ts';
import { fixture } from '../../support/fixtures.ts';
import { mutatedText, mutatedXmlValues, randomDocument, refusalProblem, RUNS } from './support/mutations.ts';
import { assertNoProblem, parseOptions, parseProblem } from './support/price-check.ts';

/**
 * ENTSO-E A44 XML (functions/adapters/prices/entsoe.ts over the strict XML reader), 10,000 cases: random
 * text, random markup, and edits of the two real documents in test/fixtures/entsoe (an element's value
 * replaced, a line dropped, repeated or swapped, text cut or inserted), plus the API's acknowledgement
 * document (its shape as test/unit/adapters/prices/entsoe.test.ts has it). Curves keep the PriceCurve promise
 * or the parse throws an Error (or XmlSyntaxError) naming the document; never a crash, never a hang.
 */
const DOCUMENTS = [
  fixture('entsoe/BE_60M.xml'),
  fixture('entsoe/BE_60M_15M_mix.xml'),
  `<?xml version="1.0" encoding="UTF-8"?>
<Acknowledgement_MarketDocument xmlns="urn:iec62325.351:tc57wg16:451-1:acknowledgementdocument:7:0">
  <mRID>1</mRID>
  <Reason><code>999</code><text>No matching data found for Data item Day-ahead Prices [12.1.D]</text></Reason>
</Acknowledgement_MarketDocument>`,
];

/** Small well-formed-looking markup: names and text from the A44 vocabulary, nested at random. */
const markup: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('64.98', '1', 'PT60M', 'A03', '2024-10-07T22:00Z', '', '&amp;', '<![CDATA[x]]>', '<!-- c -->'),
    fc
      .tuple(fc.constantFrom('Publication_MarketDocument', 'type', 'TimeSeries', 'Period', 'timeInterval', 'start', 'end', 'resolution', 'Point', 'position', 'price.amount', 'in_Domain.mRID', 'currency_Unit.name', 'price_Measure_Unit.name', 'curveType', 'x:Point'), fc.array(tie('node'), { maxLength: 4 }))
      .map(([name, children]) => `<${name}>${children.join('')}</${name}>`),
  ),
})).node;

describe('ENTSO-E A44 XML, property-based', () => {
  it('curves that keep their promise, or an Error naming the document; never a crash', () => {
    const documents = fc.oneof(
      { weight: 1, arbitrary: randomDocument },
      { weight: 1, arbitrary: markup },
      { weight: 3, arbitrary: mutatedText(DOCUMENTS) },
      { weight: 4, arbitrary: mutatedXmlValues(DOCUMENTS) },
    );
    fc.assert(
      fc.property(documents, parseOptions, (document, options) => {
        assertNoProblem(
          parseProblem(() => entsoe.parse(document, options), /^ENTSO-E A44 XML/),
          document,
        );
      }),
      RUNS,
    );
  });

  it('the XML reader alone: an element tree or an XmlSyntaxError with line and column; never another error', () => {
    fc.assert(
      fc.property(fc.oneof(randomDocument, markup, mutatedText(DOCUMENTS)), (document) => {
        try {
          parseXml(document, 'doc');
        } catch (e) {
          const problem = e instanceof XmlSyntaxError ? (/^doc: line \d+, column \d+: /.test(e.message) ? undefined : `no position: ${e.message}`) : refusalProblem(e, /^$/);
          assertNoProblem(problem, document);
        }
      }),
      RUNS,
    );
  });
});
