import * as z from 'zod';
import { PricesPublished, ReplanRequested } from '../../../schemas/events.ts';
import { explainIssues } from '../../../schemas/explain.ts';
import { PriceCurve } from '../../../schemas/price-curve.ts';
import { Tariff } from '../../../schemas/tariff.ts';

/**
 * An entry for test/infra/bundle-substitutes.test.ts: zod schemas of every kind Hearth writes, Hearth's own
 * among them, built and run over valid and invalid inputs. The test runs it bundled (without zod's JSON-Schema
 * modules) and unbundled, and expects the same results.
 */

const Reading = z
  .object({
    deviceId: z.string().min(3).max(12).regex(/^[a-z0-9-]+$/, 'lowercase letters, digits and "-" only'),
    at: z.iso.datetime({ offset: true }),
    day: z.iso.date(),
    owner: z.email().optional(),
    requestId: z.uuid(),
    callback: z.url().nullable(),
    roomC: z.number().min(-60).max(120),
    steps: z.int().positive().max(672),
    share: z.number().gt(0).lte(1).multipleOf(0.25),
    mode: z.enum(['heat', 'compute', 'off']).default('heat'),
    tags: z.array(z.string().trim().toLowerCase()).max(3).default([]),
  })
  .strict();

const Command = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('set'), powerW: z.number().nonnegative() }),
  z.object({ kind: z.literal('stop'), reason: z.string().min(1) }),
]);

const Loose = z.union([z.looseObject({ 'detail-type': z.string(), detail: z.unknown() }), z.object({ reason: z.string().min(1) }).strict()]);

const PerZone = z.record(z.enum(['DK1', 'DK2']), z.array(z.tuple([z.iso.datetime(), z.number().finite()])).min(1));
const Meta = z.record(z.string().max(8), z.union([z.string(), z.number(), z.boolean(), z.null()]));

const Window = z
  .object({ from: z.iso.datetime(), to: z.iso.datetime() })
  .transform(({ from, to }) => ({ from, to, minutes: (Date.parse(to) - Date.parse(from)) / 60_000 }))
  .refine((w) => w.minutes > 0, { message: 'to must come after from', path: ['to'] })
  .pipe(z.object({ from: z.string(), to: z.string(), minutes: z.int().max(48 * 60, 'at most two days') }));

const Csv = z
  .string()
  .transform((text) => text.split(',').map((part) => part.trim()))
  .pipe(z.array(z.coerce.number<string>().int()).min(2));

const Checked = z
  .object({ low: z.number(), high: z.number() })
  .superRefine((v, ctx) => {
    if (v.low > v.high) ctx.addIssue({ code: 'custom', message: `low ${v.low} above high ${v.high}`, path: ['low'] });
  });

const Tree: z.ZodType<{ name: string; children: unknown[] }> = z.lazy(() => z.object({ name: z.string().min(1), children: z.array(Tree).max(2) }));

const reading = {
  deviceId: 'heater-7',
  at: '2023-01-10T12:00:00+01:00',
  day: '2023-01-10',
  owner: 'someone@example.com',
  requestId: '3f1c2a9e-5b7d-4c1e-9f2a-1b2c3d4e5f60',
  callback: 'https://example.com/hook',
  roomC: 21.5,
  steps: 96,
  share: 0.75,
  tags: [' Attic ', 'NORTH'],
};

const catchAll = { periods: [{ from: '00:00', perKWh: 0.1 }] };
const tariff = { currency: 'DKK', supplierMarginPerKWh: 0.05, gridFee: [catchAll], taxes: [{ name: 'elafgift', perKWh: 0.7 }], vatRate: 0.25 };

/** Each schema with the inputs it is run over. */
const CASES: [string, z.ZodType, unknown[]][] = [
  [
    'object with string formats, numbers, enums and defaults',
    Reading,
    [
      reading,
      { ...reading, owner: undefined, callback: null, mode: 'compute' },
      { ...reading, deviceId: 'X', at: '2023-01-10T12:00:00', day: '2023-02-30', owner: 'nobody', requestId: 'abc', callback: 'not a url' },
      { ...reading, roomC: 200, steps: 0.5, share: 0.3, mode: 'boost', tags: ['a', 'b', 'c', 'd'], extra: true },
      { ...reading, roomC: '21', steps: Number.NaN, share: 0 },
      null,
      [],
    ],
  ],
  ['discriminated union', Command, [{ kind: 'set', powerW: 800 }, { kind: 'stop', reason: '' }, { kind: 'pause' }, { kind: 'set', powerW: -1 }, 'set']],
  ['union of a loose and a strict object', Loose, [{ 'detail-type': 'X', detail: { a: 1 }, id: 'e-1' }, { reason: 'hourly' }, { reason: '' }, { reason: 'hourly', extra: 1 }, {}]],
  [
    'records of tuples and of scalars',
    PerZone,
    [{ DK1: [['2023-01-10T00:00:00Z', 12.5]] }, { DK3: [['2023-01-10T00:00:00Z', 1]] }, { DK2: [] }, { DK1: [['yesterday', Number.POSITIVE_INFINITY]] }],
  ],
  ['record with bounded keys', Meta, [{ a: 1, b: 'x', c: null, d: false }, { 'far-too-long-key': 1 }, { a: {} }]],
  ['transform, refine and pipe', Window, [{ from: '2023-01-10T00:00:00Z', to: '2023-01-10T06:00:00Z' }, { from: '2023-01-10T06:00:00Z', to: '2023-01-10T00:00:00Z' }, { from: '2023-01-10T00:00:00Z', to: '2023-01-14T00:00:00Z' }]],
  ['transform into a coercing pipe', Csv, ['1, 2,3', '1', '1,x', 4]],
  ['superRefine', Checked, [{ low: 1, high: 2 }, { low: 3, high: 2 }, { low: 'a' }]],
  ['lazy recursion', Tree, [{ name: 'a', children: [{ name: 'b', children: [] }] }, { name: 'a', children: [{ name: '', children: [1] }] }]],
  [
    "Hearth's PricesPublished",
    PricesPublished,
    [
      { zone: 'DK2', source: 'entsoe', from: '2023-01-10T00:00:00Z', to: '2023-01-11T00:00:00Z', resolutionMinutes: 60 },
      { zone: 'DK 2', source: '', from: '2023-01-10', to: 'tomorrow', resolutionMinutes: 7.5, extra: 1 },
    ],
  ],
  ["Hearth's ReplanRequested", ReplanRequested, [{ reason: 'hourly' }, { reason: 'dr', deviceIds: ['ok-1', 'not ok'], gridEventId: '' }]],
  [
    "Hearth's PriceCurve",
    PriceCurve,
    [
      { source: 'entsoe', zone: 'DK2', currency: 'EUR', unit: 'MWh', resolutionMinutes: 15, points: [{ start: '2023-01-10T00:00:00Z', price: 42.1 }] },
      { source: 'entsoe', zone: 'DK2', currency: 'eur', unit: 'kWh', resolutionMinutes: 20, points: [] },
    ],
  ],
  ["Hearth's Tariff (a refinement)", Tariff, [tariff, { ...tariff, gridFee: [{ ...catchAll, months: [1, 13] }] }, { ...tariff, vatRate: 2, gridFee: [{ ...catchAll, weekdays: [1] }] }]],
];

type Outcome = { ok: true; data: unknown } | { ok: false; explained: string; issues: unknown; pretty: string };

/** Every case's outcomes: the parsed value, or the explained error and the issues themselves; plain JSON. */
export function probe(): Record<string, { parse: Outcome[]; standard: unknown[] }> {
  const results: Record<string, { parse: Outcome[]; standard: unknown[] }> = {};
  for (const [name, schema, inputs] of CASES) {
    const parse = inputs.map((input): Outcome => {
      const r = schema.safeParse(input);
      return r.success ? { ok: true, data: r.data } : { ok: false, explained: explainIssues(r.error), issues: r.error.issues, pretty: z.prettifyError(r.error) };
    });
    // The Standard Schema face, which reads `~standard` (where zod makes the JSON-Schema converters).
    const standard = inputs.map((input) => schema['~standard'].validate(input));
    results[name] = JSON.parse(JSON.stringify({ parse, standard })) as { parse: Outcome[]; standard: unknown[] };
  }
  return results;
}

/** What each way into JSON Schema gives: the schema, or the message it throws. */
export function conversions(): Record<string, unknown> {
  const attempt = (run: () => unknown): unknown => {
    try {
      return run();
    } catch (e) {
      return { threw: (e as Error).message };
    }
  };
  const schema = z.object({ name: z.string().min(2) });
  return {
    toJSONSchema: attempt(() => schema.toJSONSchema()),
    'z.toJSONSchema': attempt(() => z.toJSONSchema(schema)),
    '~standard.jsonSchema': attempt(() => schema['~standard'].jsonSchema.input({ target: 'draft-2020-12' })),
    minLength: attempt(() => z.string().min(2).minLength),
  };
}
