import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import * as powertools from '@aws-lambda-powertools/jmespath';
import { PowertoolsFunctions as PowertoolsFunctionsOfPowertools } from '@aws-lambda-powertools/jmespath/functions';
import { correlationPaths } from '@aws-lambda-powertools/logger/correlationId';
import * as esbuild from 'esbuild';
import * as fc from 'fast-check';
import type Mnemonist from 'mnemonist/lru-cache.js';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultProvider } from '../../lib/bundle-substitutes/env-credentials.ts';
import { PowertoolsFunctions, search } from '../../lib/bundle-substitutes/jmespath.ts';
import LRUCache from '../../lib/bundle-substitutes/lru-cache.ts';
import { EventStreamSerde, eventStreamSerdeProvider } from '../../lib/bundle-substitutes/no-event-streams.ts';
import { JSON_SCHEMA_UNAVAILABLE } from '../../lib/bundle-substitutes/zod-json-schema.ts';
import { createStandardJSONSchemaMethod, createToJSONSchemaMethod } from '../../lib/bundle-substitutes/zod-to-json-schema.ts';
import { BUNDLE_FILE, esbuildOptions } from '../../lib/bundling.ts';
import { REPO_ROOT } from '../../lib/repo-root.ts';
import { ZOD_JSON_SCHEMA_STUBS } from '../../lib/zod-without-json-schema.ts';
import { conversions, probe } from './support/zod-probe.ts';

/** What the Lambda bundles run in place of a package (lib/bundling.ts), held to the package's behaviour. */

const cjs = createRequire(import.meta.url);
/** CommonJS (`module.exports = LRUCache`), which its typings describe as a default export. */
const MnemonistLRUCache = cjs('mnemonist/lru-cache') as typeof Mnemonist.default;

describe('jmespath substitute', () => {
  /** Every expression the bundles search with: the logger's correlation paths, and once-per-event's idempotency key. */
  const paths = [...new Set([...Object.values(correlationPaths), 'id'])];
  /** As the idempotency package and the logger call it. */
  const theirs = (expression: string, data: unknown) => powertools.search(expression, data as never, { customFunctions: new PowertoolsFunctionsOfPowertools() });

  /** Events with each path's fields present, absent, or of the wrong kind, at every level. */
  const leaf = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 }));
  const along = (fields: readonly string[]): fc.Arbitrary<unknown> =>
    fields.length === 0
      ? leaf
      : fc.oneof(
          along(fields.slice(1)).map((inner) => ({ [fields[0]!]: inner })),
          fc.dictionary(fc.string({ maxLength: 3 }), leaf, { maxKeys: 2 }),
          leaf,
        );
  const fieldsOf = (path: string) => path.match(/"[^"]*"|[^.]+/g)!.map((f) => (f.startsWith('"') ? (JSON.parse(f) as string) : f));

  it.each(paths)('reads %s as Powertools does', (path) => {
    fc.assert(
      fc.property(along(fieldsOf(path)), (event) => {
        expect(search(path, event, { customFunctions: new PowertoolsFunctions() })).toEqual(theirs(path, event));
      }),
    );
  });

  it('refuses, naming it, any JMESPath that is not a chain of field names', () => {
    const data = { a: [{ b: 'x' }], body: '{}' };
    for (const expression of ['a[0]', 'a[*].b', 'a | [0]', 'length(a)', 'powertools_json(body)', '@', '`1`', 'a || body', "body == '{}'", '*.b', '{x: body}', '[a, body]']) {
      expect(() => theirs(expression, data), expression).not.toThrow();
      expect(() => search(expression, data), expression).toThrow(`JMESPath expression '${expression}' is not a chain of field names`);
    }
  });

  it('refuses what is no JMESPath at all', () => {
    for (const expression of ['', 'a.', '.a', 'a..b', '"a']) {
      expect(() => theirs(expression, {}), expression).toThrow();
      expect(() => search(expression, {}), expression).toThrow(/is not a chain of field names/);
    }
  });
});

describe('lru-cache substitute', () => {
  type Op = { op: 'set'; key: number; value: number } | { op: 'get' | 'peek' | 'has'; key: number } | { op: 'clear' };
  const key = fc.integer({ min: 0, max: 7 });
  const op: fc.Arbitrary<Op> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ op: fc.constant('set' as const), key, value: fc.integer() }) },
    { weight: 4, arbitrary: fc.record({ op: fc.constantFrom('get' as const, 'peek' as const, 'has' as const), key }) },
    { weight: 1, arbitrary: fc.constant({ op: 'clear' as const }) },
  );

  it('keeps and evicts what mnemonist keeps and evicts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(op, { maxLength: 60 }), (capacity, ops) => {
        const ours = new LRUCache<number, number>(capacity);
        const theirs = new MnemonistLRUCache<number, number>(capacity);
        for (const step of ops) {
          if (step.op === 'set') {
            ours.set(step.key, step.value);
            theirs.set(step.key, step.value);
          } else if (step.op === 'clear') {
            ours.clear();
            theirs.clear();
          } else {
            expect(ours[step.op](step.key)).toEqual(theirs[step.op](step.key));
          }
          expect(ours.size).toBe(theirs.size);
        }
        for (let k = 0; k <= 7; k++) expect(ours.peek(k)).toEqual(theirs.peek(k));
      }),
    );
  });

  it('refuses a capacity that is not positive', () => {
    expect(() => new LRUCache(0)).toThrow();
  });
});

describe('env-credentials substitute', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('gives the credentials Lambda puts in the environment', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'ASIAEXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
    vi.stubEnv('AWS_SESSION_TOKEN', 'token');
    await expect(defaultProvider()()).resolves.toMatchObject({ accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' });
  });

  it('fails without them', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', '');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', '');
    await expect(defaultProvider()()).rejects.toThrow(/environment variable credentials/);
  });
});

describe('no-event-streams substitute', () => {
  it('fails loudly if an operation ever needs an event stream', () => {
    expect(() => eventStreamSerdeProvider()).toThrow(/event streams are not bundled/);
    expect(() => new EventStreamSerde()).toThrow(/event streams are not bundled/);
  });
});

describe('zod JSON-Schema stand-ins', () => {
  const zodCore = join(dirname(cjs.resolve('zod/package.json')), 'v4', 'core');
  const stubs = Object.entries(ZOD_JSON_SCHEMA_STUBS);

  it.each(stubs)('%s: exports what zod\'s module exports, each a function', async (module, stub) => {
    const real = (await import(pathToFileURL(join(zodCore, `${module}.js`)).href)) as Record<string, unknown>;
    const ours = (await import(pathToFileURL(join(REPO_ROOT, stub)).href)) as Record<string, unknown>;
    expect(Object.keys(ours).sort()).toEqual(Object.keys(real).sort());
    for (const [name, value] of Object.entries(ours)) expect(typeof value, name).toBe('function');
  });

  it.each(stubs)('%s: throws when a conversion runs', async (_module, stub) => {
    const ours = (await import(pathToFileURL(join(REPO_ROOT, stub)).href)) as Record<string, () => unknown>;
    for (const [name, run] of Object.entries(ours)) {
      if (name === 'createToJSONSchemaMethod' || name === 'createStandardJSONSchemaMethod') continue;
      expect(run, name).toThrow(JSON_SCHEMA_UNAVAILABLE);
    }
  });

  it('makes converters as a schema is built or read, which throw only when run', () => {
    const toJSONSchema = createToJSONSchemaMethod();
    const input = createStandardJSONSchemaMethod();
    expect(toJSONSchema).toThrow(JSON_SCHEMA_UNAVAILABLE);
    expect(input).toThrow(JSON_SCHEMA_UNAVAILABLE);
  });
});

describe('zod in a bundle, without its JSON-Schema modules', () => {
  const entry = 'test/infra/support/zod-probe.ts';
  /** Runs the bundle in a plain `node`, as Lambda would. */
  const RUN = `
const { probe, conversions } = await import(process.argv[1]);
process.stdout.write(JSON.stringify({ probe: probe(), conversions: conversions() }));
`;
  let dir: string;
  let read: string[];
  let bundled: { probe: ReturnType<typeof probe>; conversions: ReturnType<typeof conversions> };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hearth-zod-probe-'));
    const result = await esbuild.build({ ...esbuildOptions(entry, dir), metafile: true, logLevel: 'error' });
    read = Object.keys(result.metafile.inputs);
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', RUN, pathToFileURL(join(dir, BUNDLE_FILE)).href], { encoding: 'utf8' });
    bundled = JSON.parse(stdout) as typeof bundled;
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is built from the stand-ins: zod\'s conversion modules are not even read', () => {
    expect(read.filter((path) => /node_modules\/zod\/v4\/core\/(?:to-json-schema|json-schema-processors)\./.test(path))).toEqual([]);
    expect(read).toEqual(expect.arrayContaining(Object.values(ZOD_JSON_SCHEMA_STUBS)));
  });

  it('parses as the unbundled code does: the same values, issues and messages', () => {
    const unbundled = probe();
    expect(Object.keys(bundled.probe)).toEqual(Object.keys(unbundled));
    for (const [name, outcomes] of Object.entries(unbundled)) expect(bundled.probe[name], name).toEqual(outcomes);
  });

  it('throws on every way into JSON Schema, which the unbundled code takes', () => {
    for (const [way, converted] of Object.entries(conversions())) expect(converted, way).not.toHaveProperty('threw');
    expect(bundled.conversions).toEqual({
      toJSONSchema: { threw: JSON_SCHEMA_UNAVAILABLE },
      'z.toJSONSchema': { threw: JSON_SCHEMA_UNAVAILABLE },
      '~standard.jsonSchema': { threw: JSON_SCHEMA_UNAVAILABLE },
      minLength: { threw: expect.stringMatching(new RegExp(`^${JSON_SCHEMA_UNAVAILABLE}, nor are the bounds .*minLength`)) },
    });
  });
});
