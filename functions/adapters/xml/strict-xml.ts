/**
 * A small, strict XML reader for the data documents Hearth reads (ENTSO-E market documents): elements,
 * attributes, text, comments, CDATA and the five predefined entities plus character references. Anything
 * else — a DOCTYPE (and with it entity expansion), an unknown entity, a mismatched or unclosed tag, a second
 * root — is refused with its line and column, so a truncated or foreign answer never parses as "no prices".
 * Not a general XML parser: namespaces are kept as written, and no validation against a schema is done.
 */
export interface XmlElement {
  /** The tag as written, prefix included (`Publication_MarketDocument`, `ns:Point`). */
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own character data (not its children's), entities decoded. */
  text: string;
  /** 1-based position of the start tag, for error messages. */
  line: number;
  column: number;
}

export class XmlSyntaxError extends Error {
  constructor(what: string, line: number, column: number, problem: string) {
    super(`${what}: line ${line}, column ${column}: ${problem}`);
    this.name = 'XmlSyntaxError';
  }
}

const NAME = /[A-Za-z_][\w.:-]*/y;
/** Names and references quoted in a message are cut here: a 2 KB tag name must not make a 2 KB message. */
const MAX_NAME_IN_MESSAGE = 60;
const short = (name: string): string => (name.length > MAX_NAME_IN_MESSAGE ? `${name.slice(0, MAX_NAME_IN_MESSAGE)}…` : name);
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The tag's name without a namespace prefix: documents are matched by local name. */
export const localName = (element: XmlElement): string => element.name.slice(element.name.indexOf(':') + 1);

export function parseXml(text: string, what: string): XmlElement {
  const src = text.replace(/^\uFEFF/, '');
  let i = 0;
  // Line starts, so an offset becomes line:column only when an error or an element needs it.
  const lineStarts = [0];
  for (let k = 0; k < src.length; k++) if (src.charCodeAt(k) === 10) lineStarts.push(k + 1);
  const where = (offset: number): { line: number; column: number } => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo]! + 1 };
  };
  const fail = (problem: string, at = i): never => {
    const { line, column } = where(at);
    throw new XmlSyntaxError(what, line, column, problem);
  };

  const decode = (raw: string, at: number): string =>
    raw.replace(/&([^;&\s]*);?/g, (whole, ref: string) => {
      if (!whole.endsWith(';')) fail(`"&" must start an entity such as &amp;`, at);
      if (ref in PREDEFINED) return PREDEFINED[ref]!;
      const code = /^#x[0-9a-fA-F]+$/.test(ref) ? parseInt(ref.slice(2), 16) : /^#\d+$/.test(ref) ? Number(ref.slice(1)) : NaN;
      if (!Number.isInteger(code) || code < 1 || code > 0x10ffff) fail(`unknown entity &${short(ref)};`, at);
      return String.fromCodePoint(code);
    });

  const readName = (): string => {
    NAME.lastIndex = i;
    const m = NAME.exec(src);
    if (!m) fail('expected a name');
    i += m![0].length;
    return m![0];
  };
  const skipSpace = () => {
    while (i < src.length && /\s/.test(src[i]!)) i++;
  };
  const expect = (literal: string, problem: string) => {
    if (!src.startsWith(literal, i)) fail(problem);
    i += literal.length;
  };
  /** Comments and processing instructions between markup; DOCTYPE is refused. */
  const skipMisc = (allowDeclaration: boolean): boolean => {
    if (src.startsWith('<!--', i)) {
      const end = src.indexOf('-->', i + 4);
      if (end < 0) fail('unclosed comment');
      i = end + 3;
      return true;
    }
    if (src.startsWith('<?', i)) {
      if (!allowDeclaration && src.startsWith('<?xml', i)) fail('an XML declaration may only open the document');
      const end = src.indexOf('?>', i + 2);
      if (end < 0) fail('unclosed processing instruction');
      i = end + 2;
      return true;
    }
    if (src.startsWith('<!DOCTYPE', i)) fail('a DOCTYPE is not accepted in a data document');
    return false;
  };

  const readElement = (): XmlElement => {
    const start = where(i);
    expect('<', 'expected "<"');
    const name = readName();
    const element: XmlElement = { name, attributes: {}, children: [], text: '', ...start };
    for (;;) {
      const before = i;
      skipSpace();
      if (src.startsWith('/>', i)) {
        i += 2;
        return element;
      }
      if (src[i] === '>') {
        i++;
        break;
      }
      if (i === before) fail(`expected whitespace, ">" or "/>" in <${short(name)}>`);
      const attrAt = i;
      const attr = readName();
      skipSpace();
      expect('=', `attribute ${short(attr)} of <${short(name)}> has no "="`);
      skipSpace();
      const quote = src[i];
      if (quote !== '"' && quote !== "'") fail(`attribute ${short(attr)} of <${short(name)}> is not quoted`);
      const end = src.indexOf(quote!, i + 1);
      if (end < 0) fail(`attribute ${short(attr)} of <${short(name)}> is not closed`);
      const raw = src.slice(i + 1, end);
      if (raw.includes('<')) fail(`attribute ${short(attr)} of <${short(name)}> contains "<"`);
      if (attr in element.attributes) fail(`attribute ${short(attr)} repeats in <${short(name)}>`, attrAt);
      element.attributes[attr] = decode(raw, i);
      i = end + 1;
    }
    let text = '';
    for (;;) {
      if (i >= src.length) fail(`<${short(name)}> (line ${start.line}) is not closed`);
      if (src.startsWith('</', i)) {
        const closeAt = i;
        i += 2;
        const closing = readName();
        if (closing !== name) fail(`</${short(closing)}> closes <${short(name)}> opened at line ${start.line}`, closeAt);
        skipSpace();
        expect('>', `expected ">" after </${short(closing)}`);
        element.text = text;
        return element;
      }
      if (src.startsWith('<![CDATA[', i)) {
        const end = src.indexOf(']]>', i);
        if (end < 0) fail('unclosed CDATA section');
        text += src.slice(i + 9, end);
        i = end + 3;
      } else if (src[i] === '<') {
        if (!skipMisc(false)) element.children.push(readElement());
      } else {
        const next = src.indexOf('<', i);
        const end = next < 0 ? src.length : next;
        text += decode(src.slice(i, end), i);
        i = end;
      }
    }
  };

  if (src.startsWith('<?xml', i)) skipMisc(true);
  for (;;) {
    skipSpace();
    if (!skipMisc(false)) break;
  }
  if (i >= src.length) fail('the document is empty');
  if (src[i] !== '<') fail('expected the root element');
  const root = readElement();
  for (;;) {
    skipSpace();
    if (i >= src.length) return root;
    if (!skipMisc(false)) fail('content after the root element');
  }
}

/** The direct children named `name` (local name). */
export const childrenNamed = (element: XmlElement, name: string): XmlElement[] => element.children.filter((c) => localName(c) === name);

/** The one direct child named `name`, or undefined; two of them are an error. */
export function optionalChild(element: XmlElement, name: string, what: string): XmlElement | undefined {
  const found = childrenNamed(element, name);
  if (found.length > 1) throw new Error(`${what}: <${short(localName(element))}> at line ${element.line} has ${found.length} <${name}> elements; expected one`);
  return found[0];
}

/** The trimmed text of the one direct child named `name`; missing or empty is an error naming the line. */
export function childText(element: XmlElement, name: string, what: string): string {
  const child = optionalChild(element, name, what);
  const value = child?.text.trim();
  if (!child || !value) throw new Error(`${what}: <${short(localName(element))}> at line ${element.line} has no <${name}>`);
  return value;
}
