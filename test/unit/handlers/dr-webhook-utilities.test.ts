import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHandler } from '../../../functions/handlers/dr-webhook.ts';
import { DR_PROGRAMS_ENV } from '../../../wiring/functions.ts';
import { httpEvent } from '../../support/http-event.ts';
import { MemoryGridEventStore, MemoryQuarantine } from '../../support/memory-stores.ts';
import { RecordingPublisher } from '../../support/recording-publisher.ts';
import { lambdaContext } from '../../support/sqs-event.ts';

const NOW = new Date('2026-11-24T17:00:00Z');
const GRID_CO = 'grid-co-token-0123456789abcdef';
const DEFAULT = 'default-token-0123456789abcdef';
const programs = [{ programId: 'winter-flex', utility: 'grid-co' }];

const notification = (id: string, programID: string) =>
  JSON.stringify({
    objectType: 'EVENT',
    operation: 'CREATE',
    object: { id, programID, modificationDateTime: '2026-11-24T16:00:00Z', intervalPeriod: { start: '2026-11-25T07:00:00Z', duration: 'PT2H' }, intervals: [{ id: 0, payloads: [{ type: 'SIMPLE', values: [1] }] }] },
  });
const dispatch = (dispatchId: string, programId?: string) =>
  JSON.stringify({ dispatchId, start: '2026-11-25T07:00:00Z', end: '2026-11-25T09:00:00Z', kW: 100, ...(programId ? { programId } : {}) });
const post = (path: string, token: string, body: string) => httpEvent('POST', path, { body, headers: { authorization: `Bearer ${token}` } });

describe('dr-webhook with several utilities', () => {
  const gridEvents = new MemoryGridEventStore();
  const quarantine = new MemoryQuarantine();
  const events = new RecordingPublisher();
  const handler = makeHandler({
    gridEvents,
    quarantine,
    events,
    clock: { now: () => NOW },
    tokens: { tokens: async () => [{ utility: 'grid-co', token: GRID_CO }, { utility: 'default', token: DEFAULT }] },
    vtnContact: null,
  });
  let saved: string | undefined;
  beforeAll(() => {
    saved = process.env[DR_PROGRAMS_ENV];
    process.env[DR_PROGRAMS_ENV] = JSON.stringify(programs);
  });
  afterAll(() => {
    if (saved === undefined) delete process.env[DR_PROGRAMS_ENV];
    else process.env[DR_PROGRAMS_ENV] = saved;
  });

  it('stores a utility’s events of its own programs, on either webhook', async () => {
    expect(await handler(post('/openadr3/callback', GRID_CO, notification('e-1', 'winter-flex')), lambdaContext)).toMatchObject({ statusCode: 200 });
    expect(await handler(post('/dispatch', GRID_CO, dispatch('d-1', 'winter-flex')), lambdaContext)).toMatchObject({ statusCode: 200 });
    expect(await handler(post('/dispatch', DEFAULT, dispatch('d-1')), lambdaContext)).toMatchObject({ statusCode: 200 });
    // The two utilities' dispatch ids cannot collide.
    expect([...gridEvents.items.keys()].sort()).toEqual(['dispatch-d-1', 'dispatch-grid-co-d-1', 'e-1']);
  });

  it('refuses with 403, storing and announcing nothing, another utility’s program or the fleet-wide dispatch', async () => {
    const before = { stored: gridEvents.items.size, published: events.of('GridEventReceived').length };
    for (const request of [
      post('/openadr3/callback', DEFAULT, notification('e-2', 'winter-flex')),
      post('/openadr3/callback', GRID_CO, notification('e-3', 'unowned')),
      post('/dispatch', GRID_CO, dispatch('d-2')),
      post('/dispatch', DEFAULT, dispatch('d-3', 'winter-flex')),
    ]) {
      const out = await handler(request, lambdaContext);
      expect(out.statusCode).toBe(403);
      expect(JSON.parse(out.body!).error).toMatch(/may not/);
    }
    expect(gridEvents.items.size).toBe(before.stored);
    expect(events.of('GridEventReceived')).toHaveLength(before.published);
    expect(quarantine.items).toEqual([]);
  });
});
