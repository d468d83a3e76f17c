import { createRequire } from 'node:module';
import * as powertools from '@aws-lambda-powertools/logger/correlationId';
import * as fc from 'fast-check';
import type Mnemonist from 'mnemonist/lru-cache.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { correlationPaths, search } from '../../lib/bundle-substitutes/correlation-id.ts';
import { defaultProvider } from '../../lib/bundle-substitutes/env-credentials.ts';
import LRUCache from '../../lib/bundle-substitutes/lru-cache.ts';
import { EventStreamSerde, eventStreamSerdeProvider } from '../../lib/bundle-substitutes/no-event-streams.ts';

/** What the Lambda bundles run in place of a package (lib/bundling.ts), held to the package's behaviour. */

/** CommonJS (`module.exports = LRUCache`), which its typings describe as a default export. */
const MnemonistLRUCache = createRequire(import.meta.url)('mnemonist/lru-cache') as typeof Mnemonist.default;

describe('correlation-id substitute', () => {
  it('has the same paths as Powertools', () => {
    expect(correlationPaths).toEqual(powertools.correlationPaths);
  });

  const paths = [...new Set(Object.values(correlationPaths))];
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
        expect(search(path, event)).toEqual(powertools.search(path, event as never));
      }),
    );
  });

  it('refuses what is not a chain of field names', () => {
    for (const expression of ['', 'a.', '.a', 'a..b', 'a[0]', 'a | b', 'a.b[*]', 'length(a)']) expect(() => search(expression, {}), expression).toThrow();
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
