import fc from 'fast-check';

/**
 * Generators of bad input for property tests of document parsers: fully random text and JSON, and mutations of
 * real, valid documents (the fixtures), which reach far deeper into a parser than random text does. Every
 * mutation is drawn as plain numbers and strings and applied by a pure function, so fast-check can shrink a
 * failing case to the smallest edit of the real document.
 */

/** Values that break parsers: edge numbers, not-quite timestamps, separators, markup, empty, huge. */
const TRICKY_STRINGS = [
  '',
  ' ',
  '0',
  '-0',
  '1e400',
  '-1e400',
  'NaN',
  'Infinity',
  '1,5',
  '1.5.5',
  '0x10',
  '9007199254740993',
  'null',
  'true',
  '[]',
  '{}',
  '2024-10-27T02:00:00+02:00',
  '2024-10-27T01:00Z',
  '2024-13-01T00:00:00Z',
  '2024-02-30T00:00:00Z',
  '2023-03-26 02:00:00',
  '2022-11-06 01:00:00-05:00',
  '0000-01-01T00:00:00Z',
  '0001-01-01T00:00:00Z',
  '9999-12-31T23:45:00Z',
  '+275760-09-13T00:00:00Z',
  '2023-01-10T00:00:00+99:00',
  'PT15M',
  'PT60M',
  'PT1H',
  'P1DT1H',
  'P99999D',
  'PT999999H',
  '9024-10-08T22:00Z',
  '1024-10-07T22:00Z',
  'A03',
  'A01',
  'MWH',
  'EUR',
  'Eur/MWh',
  'eur',
  '°C',
  '°F',
  'wmoUnit:degF',
  'K',
  'DK1',
  '10YBE----------2',
  'zone with spaces',
  'Ω',
  '\u0000',
  '\uFEFF',
  '\r\n',
  '\n',
  ';',
  ',',
  '"',
  '<',
  '&',
  '&amp;',
  '&bogus;',
  '<![CDATA[',
  '<!DOCTYPE x>',
  'x'.repeat(2000),
];
const TRICKY_NUMBERS = [0, -0, 1, -1, 0.5, 15, 60, 900_000, 3_600_000, 1e21, -1e21, 1.7976931348623157e308, Number.MAX_SAFE_INTEGER, 8.64e15, 8.64e15 + 1, -8.64e15 - 1, 1672531200000, 1672531200001];

export const trickyString: fc.Arbitrary<string> = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...TRICKY_STRINGS) }, { weight: 2, arbitrary: fc.string({ maxLength: 12 }) }, { weight: 1, arbitrary: fc.string({ maxLength: 6, unit: 'grapheme' }) });

/** Any JSON value, biased towards the ones documents hold and parsers trip on. */
export const trickyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<unknown>(...TRICKY_NUMBERS, null, true, false, [], {}) },
  { weight: 3, arbitrary: trickyString },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.double().filter(Number.isFinite) },
  { weight: 1, arbitrary: fc.integer() },
);

// ---------------------------------------------------------------------------------------------- text

export interface TextMutation {
  kind: 'truncate' | 'insert' | 'delete' | 'replace' | 'digit' | 'dupLine' | 'dropLine' | 'swapLines' | 'replaceLine';
  a: number;
  b: number;
  text: string;
}

const textMutation: fc.Arbitrary<TextMutation> = fc.record({
  kind: fc.constantFrom<TextMutation['kind']>('truncate', 'insert', 'delete', 'replace', 'digit', 'digit', 'dupLine', 'dropLine', 'swapLines', 'replaceLine'),
  a: fc.nat(),
  b: fc.nat({ max: 40 }),
  text: trickyString,
});

/** One edit of a text: cut it, insert, delete or replace a span, change a digit, or move whole lines. */
export function applyText(doc: string, m: TextMutation): string {
  const n = doc.length;
  const at = n === 0 ? 0 : m.a % n;
  switch (m.kind) {
    case 'truncate':
      return doc.slice(0, at);
    case 'insert':
      return doc.slice(0, at) + m.text + doc.slice(at);
    case 'delete':
      return doc.slice(0, at) + doc.slice(at + 1 + m.b);
    case 'replace':
      return doc.slice(0, at) + m.text + doc.slice(at + 1 + m.b);
    case 'digit': {
      // A digit turned into another digit: a date, an hour, a position or a price that is still well-formed.
      const digits = [...doc.matchAll(/\d/g)];
      if (digits.length === 0) return doc;
      const index = digits[m.a % digits.length]!.index!;
      return doc.slice(0, index) + String((Number(doc[index]) + 1 + (m.b % 9)) % 10) + doc.slice(index + 1);
    }
    default: {
      const lines = doc.split('\n');
      const i = m.a % lines.length;
      const j = (m.a + 1 + m.b) % lines.length;
      if (m.kind === 'dupLine') lines.splice(i, 0, lines[i]!);
      else if (m.kind === 'dropLine') lines.splice(i, 1);
      else if (m.kind === 'swapLines') [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      else lines[i] = m.text;
      return lines.join('\n');
    }
  }
}

/** One to three text edits of one of the documents. */
export const mutatedText = (docs: readonly string[]): fc.Arbitrary<string> =>
  fc.tuple(fc.constantFrom(...docs), fc.array(textMutation, { minLength: 1, maxLength: 3 })).map(([doc, edits]) => edits.reduce(applyText, doc));

// ---------------------------------------------------------------------------------------------- CSV cells

/** A cell of a delimited text replaced: the row and column by index, the value tricky. */
export const mutatedCells = (docs: readonly string[], delimiter: string): fc.Arbitrary<string> =>
  fc
    .tuple(fc.constantFrom(...docs), fc.array(fc.tuple(fc.nat(), fc.nat(), trickyString), { minLength: 1, maxLength: 3 }))
    .map(([doc, edits]) => {
      const lines = doc.split('\n').map((l) => l.split(delimiter));
      for (const [row, col, value] of edits) {
        const line = lines[row % lines.length]!;
        line[col % line.length] = value;
      }
      return lines.map((l) => l.join(delimiter)).join('\n');
    });

// ---------------------------------------------------------------------------------------------- XML text nodes

/** The character data between two tags replaced (an element's value), or a whole element's line dropped or repeated. */
export const mutatedXmlValues = (docs: readonly string[]): fc.Arbitrary<string> =>
  fc.tuple(fc.constantFrom(...docs), fc.array(fc.tuple(fc.nat(), trickyString), { minLength: 1, maxLength: 3 })).map(([doc, edits]) => {
    let out = doc;
    for (const [n, value] of edits) {
      const nodes = [...out.matchAll(/>([^<]+)</g)].filter((m) => m[1]!.trim() !== '');
      if (nodes.length === 0) break;
      const node = nodes[n % nodes.length]!;
      const start = node.index! + 1;
      out = out.slice(0, start) + value + out.slice(start + node[1]!.length);
    }
    return out;
  });

// ---------------------------------------------------------------------------------------------- JSON trees

type Path = (string | number)[];

/** Every path into a JSON value (the root excluded), so a mutation can name one by index. */
export function jsonPaths(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : value && typeof value === 'object' ? Object.entries(value) : [];
  for (const [key, child] of entries) {
    out.push([...prefix, key]);
    jsonPaths(child, [...prefix, key], out);
  }
  return out;
}

export interface JsonMutation {
  kind: 'set' | 'delete' | 'duplicate' | 'swap' | 'nudge' | 'stringify';
  path: number;
  other: number;
  value: unknown;
}

const jsonMutation: fc.Arbitrary<JsonMutation> = fc.record({
  kind: fc.constantFrom<JsonMutation['kind']>('set', 'set', 'delete', 'duplicate', 'swap', 'nudge', 'nudge', 'stringify'),
  path: fc.nat(),
  other: fc.nat(),
  value: trickyJson,
});

const NUDGES = [1, -1, 1000, 60_000, -60_000, 900_000, -900_000, 3_600_000, 0.5];

const pathCache = new WeakMap<object, Path[]>();
/** The paths of an original document, computed once: edits name them by index. */
const pathsOf = (doc: unknown): Path[] => {
  if (!doc || typeof doc !== 'object') return [];
  let paths = pathCache.get(doc);
  if (!paths) pathCache.set(doc, (paths = jsonPaths(doc)));
  return paths;
};
const shallowCopy = (node: unknown): Record<string | number, unknown> =>
  (Array.isArray(node) ? [...node] : { ...(node as Record<string, unknown>) }) as Record<string | number, unknown>;

/**
 * One edit of a JSON document at one of `paths` (those of the original document): the containers along the
 * path are copied, nothing is changed in place. An edit whose path no longer exists (an earlier edit removed
 * it) changes nothing.
 */
export function applyJson(doc: unknown, m: JsonMutation, paths: readonly Path[] = pathsOf(doc)): unknown {
  if (paths.length === 0 || !doc || typeof doc !== 'object') return m.kind === 'set' ? m.value : doc;
  const path = paths[m.path % paths.length]!;
  const root = shallowCopy(doc);
  let parent = root;
  for (const key of path.slice(0, -1)) {
    const child = parent[key];
    if (!child || typeof child !== 'object') return root;
    parent = parent[key] = shallowCopy(child);
  }
  const key = path[path.length - 1]!;
  if (!(key in parent)) return root;
  const current = parent[key];
  switch (m.kind) {
    case 'set':
      parent[key] = m.value;
      break;
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      break;
    case 'duplicate':
      if (Array.isArray(parent)) parent.splice(key as number, 0, current);
      else parent[`${String(key)}_copy`] = current;
      break;
    case 'swap':
      if (Array.isArray(parent)) {
        const j = m.other % parent.length;
        [parent[key as number], parent[j]] = [parent[j], parent[key as number]];
      }
      break;
    case 'nudge':
      if (typeof current === 'number') parent[key] = current + NUDGES[m.other % NUDGES.length]!;
      else if (typeof current === 'string') parent[key] = applyText(current, { kind: 'digit', a: m.other, b: m.other % 9, text: '' });
      break;
    case 'stringify':
      parent[key] = typeof current === 'string' ? Number(current) : JSON.stringify(current);
      break;
  }
  return root;
}

/** One to three edits of one of the parsed documents, written back as JSON. */
export const mutatedJson = (docs: readonly unknown[]): fc.Arbitrary<string> =>
  fc
    .tuple(fc.constantFrom(...docs), fc.array(jsonMutation, { minLength: 1, maxLength: 3 }))
    .map(([doc, edits]) => {
      const paths = pathsOf(doc);
      return JSON.stringify(edits.reduce((d, m) => applyJson(d, m, paths), doc));
    });

/** Fully random input: text of any kind, or any JSON. */
export const randomDocument: fc.Arbitrary<string> = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ maxLength: 100, unit: 'binary' }), fc.jsonValue().map((v) => JSON.stringify(v)));

// ---------------------------------------------------------------------------------------------- the property

/**
 * What a parser may do with any input: answer, or throw a plain `Error` (the adapters' documented error type;
 * `allowed` adds subclasses such as XmlSyntaxError) whose message names the source (`names`) and is short
 * enough to read. A TypeError, RangeError, SyntaxError or ZodError escaping is a crash; so is a non-Error.
 * Returns the problem, or undefined when the outcome is acceptable.
 */
export function refusalProblem(e: unknown, names: RegExp, allowed: readonly (abstract new (...args: never[]) => Error)[] = []): string | undefined {
  if (!(e instanceof Error)) return `threw a non-Error: ${String(e)}`;
  const documented = e.constructor === Error || allowed.some((type) => e instanceof type);
  if (!documented) return `threw ${e.constructor.name} (${e.name}): ${e.message}\n${e.stack?.split('\n').slice(1, 4).join('\n')}`;
  if (!names.test(e.message)) return `the message does not name the source: ${JSON.stringify(e.message.slice(0, 300))}`;
  if (e.message.length > MAX_MESSAGE) return `the message is ${e.message.length} characters long: ${JSON.stringify(e.message.slice(0, 200))}…`;
  return undefined;
}

/** An error message is read by a person (a CLI user, an alarm): long quotes of the input make it unreadable. */
export const MAX_MESSAGE = 1000;

/** fast-check settings shared by the input property tests. */
export const RUNS = { numRuns: 10_000 } as const;
