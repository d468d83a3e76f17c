import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeHandler } from '../../../functions/handlers/dr-webhook.ts';
import { httpEvent } from '../../support/http-event.ts';
import { MemoryGridEventStore, MemoryQuarantine } from '../../support/memory-stores.ts';
import { RecordingPublisher } from '../../support/recording-publisher.ts';
import { lambdaContext } from '../../support/sqs-event.ts';

const TOKEN = 'utility-token-0123456789abcdef';
const event = { id: 'evt-1', programID: 'p1', modificationDateTime: '2026-11-24T16:00:00Z', intervalPeriod: { start: '2026-11-25T16:00:00Z', duration: 'PT2H' }, intervals: [{ id: 0, payloads: [{ type: 'SIMPLE', values: [1] }] }] };
const notification = { objectType: 'EVENT', operation: 'CREATE', object: event };

const mutatedNotification = fc.oneof(
  fc.record({ key: fc.constantFrom('objectType', 'operation', 'object'), value: fc.jsonValue() }).map(({ key, value }) => ({ ...notification, [key]: value })),
  fc.record({ key: fc.constantFrom(...Object.keys(event), 'targets', 'priority', 'eventName'), value: fc.jsonValue() }).map(({ key, value }) => ({
    ...notification,
    object: { ...event, [key]: value },
  })),
);
const bodies = fc.oneof(
  fc.string({ maxLength: 400 }),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  mutatedNotification.map((n) => JSON.stringify(n)),
  mutatedNotification.map((n) => JSON.stringify(JSON.stringify(n))),
);
const authorization = fc.oneof(fc.constant(`Bearer ${TOKEN}`), fc.string({ maxLength: 60 }), fc.constant(undefined));

describe('DR webhook input, property-based', () => {
  it('always answers with a status and a reason, never throws, and stores only authenticated valid events', async () => {
    await fc.assert(
      fc.asyncProperty(bodies, authorization, async (body, auth) => {
        const gridEvents = new MemoryGridEventStore();
        const handler = makeHandler({
          gridEvents,
          quarantine: new MemoryQuarantine(),
          events: new RecordingPublisher(),
          clock: { now: () => new Date('2026-11-24T17:00:00Z') },
          tokens: { tokens: async () => [{ utility: 'default', token: TOKEN }] },
        });
        const out = await handler(httpEvent('POST', '/openadr3/callback', { body, headers: auth === undefined ? {} : { authorization: auth } }), lambdaContext);
        expect([200, 400, 401, 403, 413]).toContain(out.statusCode);
        if (out.statusCode !== 200) expect(JSON.parse(out.body as string).error.length).toBeGreaterThan(5);
        if (auth !== `Bearer ${TOKEN}`) expect(gridEvents.items.size).toBe(0);
      }),
      { numRuns: 10_000 },
    );
  });
});
