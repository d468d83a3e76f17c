import { describe, expect, it } from 'vitest';
import { childText, localName, parseXml } from '../../../../functions/adapters/xml/strict-xml.ts';

describe('parseXml', () => {
  it('reads elements, attributes, text, entities, CDATA and comments', () => {
    const root = parseXml(
      `<?xml version="1.0" encoding="utf-8"?>\n<!-- c --><ns:a x="1 &amp; 2" y='&#x41;'>\n  <b>one &lt; two</b><b><![CDATA[<raw>]]></b><c/>\n</ns:a>\n`,
      'doc',
    );
    expect(localName(root)).toBe('a');
    expect(root.attributes).toEqual({ x: '1 & 2', y: 'A' });
    expect(root.children.map((c) => [c.name, c.text, c.line])).toEqual([
      ['b', 'one < two', 3],
      ['b', '<raw>', 3],
      ['c', '', 3],
    ]);
    expect(() => childText(root, 'b', 'doc')).toThrow('doc: <a> at line 2 has 2 <b> elements; expected one');
  });

  it.each([
    ['a mismatched end tag', '<a><b></a>', 'doc: line 1, column 7: </a> closes <b> opened at line 1'],
    ['an unclosed element', '<a>\n<b>', 'doc: line 2, column 4: <b> (line 2) is not closed'],
    ['an unknown entity', '<a>&nbsp;</a>', 'unknown entity &nbsp;'],
    ['a bare ampersand', '<a>fish & chips</a>', '"&" must start an entity'],
    ['a DOCTYPE', '<!DOCTYPE a [<!ENTITY x "y">]><a/>', 'a DOCTYPE is not accepted'],
    ['a second root', '<a/><b/>', 'content after the root element'],
    ['an unquoted attribute', '<a x=1/>', 'attribute x of <a> is not quoted'],
    ['a repeated attribute', '<a x="1" x="2"/>', 'attribute x repeats in <a>'],
    ['text only', 'hello', 'expected the root element'],
    ['nothing', '  ', 'the document is empty'],
    ['a truncated document', '<a><b>1</b', 'expected ">" after </b'],
  ])('refuses %s with its position', (_name, text, message) => {
    expect(() => parseXml(text, 'doc')).toThrow(message);
  });
});
