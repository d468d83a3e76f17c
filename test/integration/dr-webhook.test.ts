import { readFileSync } from 'node:fs';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoGridEventStore } from '../../functions/adapters/dynamodb/grid-event-store.ts';
import type { DynamoQuarantineStore } from '../../functions/adapters/dynamodb/quarantine-store.ts';
import { SecretsManagerTokenSource } from '../../functions/adapters/secrets/secrets-manager-token-source.ts';
import { makeHandler } from '../../functions/handlers/dr-webhook.ts';
import type { EventPublisher } from '../../functions/ports/event-publisher.ts';
import { LocalEventBus } from '../../local/aws/event-bus.ts';
import { startLocalJsonServices, type LocalJsonServices } from '../../local/aws/json-protocol-server.ts';
import { httpEvent } from '../support/http-event.ts';
import { startDynamoFixture, type DynamoFixture } from '../support/local-dynamo.ts';
import { lambdaContext } from '../support/sqs-event.ts';

const TOKEN = 'utility-token-0123456789abcdef';
const NOW = new Date('2026-11-24T17:00:00Z');
const fixture = (name: string) => readFileSync(new URL(`../fixtures/openadr3/${name}`, import.meta.url), 'utf8');
const auth = { authorization: `Bearer ${TOKEN}` };

const notification = (operation: string, event: Record<string, unknown>) =>
  JSON.stringify({ objectType: 'EVENT', operation, object: { id: 'evt-1', modificationDateTime: '2026-11-24T16:00:00Z', ...event } });

describe('dr-webhook', () => {
  let db: DynamoFixture;
  let services: LocalJsonServices;
  let published: unknown[];
  let handler: ReturnType<typeof makeHandler>;
  let gridEvents: DynamoGridEventStore;
  let quarantine: DynamoQuarantineStore;

  beforeAll(async () => {
    db = await startDynamoFixture();
    services = await startLocalJsonServices({
      bus: new LocalEventBus(async () => undefined, () => NOW),
      secrets: { 'hearth/dr-token': JSON.stringify({ tokens: [TOKEN] }) },
    });
    published = [];
    const events: EventPublisher = { publish: async (_type, details) => void published.push(...details) };
    gridEvents = db.stores.gridEvents();
    quarantine = db.stores.quarantine();
    const secrets = new SecretsManagerClient({ endpoint: services.endpoint, region: 'local', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
    handler = makeHandler({ gridEvents, quarantine, events, clock: { now: () => NOW }, tokens: new SecretsManagerTokenSource(secrets, 'hearth/dr-token') });
  });
  afterAll(async () => {
    await services.close();
    await db.close();
  });

  it('answers the subscription handshake with the echo value', async () => {
    const out = await handler(httpEvent('GET', '/openadr3/callback/echo', { query: { echo: 'abc123' } }), lambdaContext);
    expect(out).toMatchObject({ statusCode: 200, body: 'abc123' });
  });

  it('refuses a missing or wrong token and stores nothing', async () => {
    const body = notification('CREATE', JSON.parse(fixture('event-simple-load-shed.json')));
    expect((await handler(httpEvent('POST', '/openadr3/callback', { body }), lambdaContext)).statusCode).toBe(401);
    const wrong = { authorization: 'Bearer not-the-token-at-all-xxxxxxxx' };
    expect((await handler(httpEvent('POST', '/openadr3/callback', { body, headers: wrong }), lambdaContext)).statusCode).toBe(403);
    expect(await gridEvents.listAll()).toEqual([]);
  });

  it('stores every spec example event once and emits GridEventReceived once', async () => {
    const examples = ['event-simple-load-shed.json', 'event-capacity-limit.json', 'event-price-ghg.json', 'event-price-with-usage-report-request.json', 'event-load-control-dispatch-setpoint.json'];
    for (const [i, name] of examples.entries()) {
      const body = JSON.stringify({ objectType: 'EVENT', operation: 'CREATE', object: { ...JSON.parse(fixture(name)), id: `ex-${i}` } });
      const first = await handler(httpEvent('POST', '/openadr3/callback', { body, headers: auth }), lambdaContext);
      expect(first.statusCode, name).toBe(200);
      const again = await handler(httpEvent('POST', '/openadr3/callback', { body, headers: auth }), lambdaContext);
      expect(JSON.parse(again.body as string).status).toBe('duplicate');
    }
    expect(published).toHaveLength(examples.length);
    expect((await gridEvents.listAll()).length).toBe(examples.length);
  });

  it('accepts the spec notification example (3.0 POST operation) and ignores non-event objects', async () => {
    const out = await handler(httpEvent('POST', '/openadr3/callback', { body: fixture('notification-program-create.json'), headers: auth }), lambdaContext);
    expect(out.statusCode).toBe(200);
    expect(JSON.parse(out.body as string)).toEqual({ status: 'ignored', objectType: 'PROGRAM' });
  });

  it('unwraps a notification JSON-encoded twice', async () => {
    const body = JSON.stringify(notification('UPDATE', { programID: 'p1', modificationDateTime: '2026-11-24T16:30:00Z', intervals: [] }));
    const out = await handler(httpEvent('POST', '/openadr3/callback', { body, headers: auth }), lambdaContext);
    expect(JSON.parse(out.body as string)).toEqual({ status: 'stored', id: 'evt-1' });
  });

  it('accepts what a reference VTN sends: snake_case, nulls, space-separated UTC, JSON-encoded twice', async () => {
    const inner = {
      object_type: 'EVENT',
      operation: 'UPDATE',
      object: {
        id: 'ref-1',
        created_date_time: '2026-11-24 17:32:55',
        modification_date_time: '2026-11-24 17:32:55',
        program_id: 'p-ref',
        event_name: null,
        targets: null,
        interval_period: { start: '2026-11-25 16:00:00', duration: 'PT2H', randomize_start: null },
        intervals: [{ id: 0, interval_period: null, payloads: [{ type: 'IMPORT_CAPACITY_LIMIT', values: [40.5] }] }],
      },
    };
    const out = await handler(httpEvent('POST', '/openadr3/callback', { body: JSON.stringify(JSON.stringify(inner)), headers: auth }), lambdaContext);
    expect(JSON.parse(out.body as string)).toEqual({ status: 'stored', id: 'ref-1' });
    const stored = await gridEvents.get('ref-1');
    expect(stored).toMatchObject({ programId: 'p-ref', modifiedAt: '2026-11-24T17:32:55.000Z', cancelled: false });
  });

  it('treats DELETE and a rewrite to zero length as cancellation', async () => {
    const body = (operation: string, modified: string, duration: string) =>
      JSON.stringify({ objectType: 'EVENT', operation, object: { id: 'c-1', programID: 'p', modificationDateTime: modified, intervalPeriod: { start: '2026-11-25T16:00:00Z', duration }, intervals: [{ id: 0, payloads: [{ type: 'SIMPLE', values: [1] }] }] } });
    await handler(httpEvent('POST', '/openadr3/callback', { body: body('CREATE', '2026-11-24T10:00:00Z', 'PT2H'), headers: auth }), lambdaContext);
    expect((await gridEvents.get('c-1'))?.cancelled).toBe(false);
    await handler(httpEvent('POST', '/openadr3/callback', { body: body('UPDATE', '2026-11-24T11:00:00Z', 'PT0S'), headers: auth }), lambdaContext);
    expect((await gridEvents.get('c-1'))?.cancelled).toBe(true);
    await handler(httpEvent('POST', '/openadr3/callback', { body: body('DELETE', '2026-11-24T12:00:00Z', 'PT2H'), headers: auth }), lambdaContext);
    expect((await gridEvents.get('c-1'))?.cancelled).toBe(true);
  });

  it('answers 400 naming the problem for malformed bodies and stores no event', async () => {
    const before = (await gridEvents.listAll()).length;
    const cases: [string, RegExp][] = [
      ['{oops', /not valid JSON/],
      [JSON.stringify({ objectType: 'EVENT', operation: 'SMASH', object: {} }), /operation/],
      [notification('CREATE', { intervals: [] }), /programID/],
      [notification('CREATE', { programID: 'p', intervals: [{ id: 'x', payloads: [] }] }), /intervals\.0\.id/],
      [notification('CREATE', { programID: 'p', modificationDateTime: 'yesterday', intervals: [] }), /not a date-time/],
      [notification('CREATE', { programID: 'p', intervalPeriod: { start: '2026-11-25T16:00:00Z', duration: '2 hours' }, intervals: [{ id: 0, payloads: [] }] }), /not an ISO-8601 duration/],
    ];
    for (const [body, reason] of cases) {
      const out = await handler(httpEvent('POST', '/openadr3/callback', { body, headers: auth }), lambdaContext);
      expect(out.statusCode, body).toBe(400);
      expect(JSON.parse(out.body as string).error).toMatch(reason);
    }
    expect((await gridEvents.listAll()).length).toBe(before);
    expect((await quarantine.list('dr-webhook')).length).toBe(cases.length);
  });

  it('refuses an oversized body with 413', async () => {
    const body = notification('CREATE', { programID: 'p', intervals: [], eventName: 'x'.repeat(70_000) });
    expect((await handler(httpEvent('POST', '/openadr3/callback', { body, headers: auth }), lambdaContext)).statusCode).toBe(413);
  });
});

describe('plain JSON dispatch webhook', () => {
  let db: DynamoFixture;
  let handler: ReturnType<typeof makeHandler>;
  let gridEvents: DynamoGridEventStore;
  const published: unknown[] = [];

  beforeAll(async () => {
    db = await startDynamoFixture();
    gridEvents = db.stores.gridEvents();
    handler = makeHandler({
      gridEvents,
      quarantine: db.stores.quarantine(),
      events: { publish: async (_t, details) => void published.push(...details) },
      clock: { now: () => NOW },
      tokens: { tokens: async () => [{ utility: 'default', token: TOKEN }] },
    });
  });
  afterAll(async () => db.close());

  const dispatch = (over: Record<string, unknown> = {}) =>
    JSON.stringify({ dispatchId: 'd-42', start: '2026-11-25T16:00:00Z', end: '2026-11-25T18:00:00Z', kW: 250, ...over });
  const post = (body: string) => handler(httpEvent('POST', '/dispatch', { body, headers: auth }), lambdaContext);

  it('stores a dispatch once however often it is retried, then accepts its cancellation once', async () => {
    expect(JSON.parse((await post(dispatch())).body as string)).toEqual({ status: 'stored', id: 'dispatch-d-42' });
    expect(JSON.parse((await post(dispatch())).body as string).status).toBe('duplicate');
    const stored = await gridEvents.get('dispatch-d-42');
    expect(stored?.event).toMatchObject({ intervalPeriod: { start: '2026-11-25T16:00:00Z', duration: 'PT7200S' }, intervals: [{ payloads: [{ type: 'IMPORT_CAPACITY_LIMIT', values: [250] }] }] });
    expect(JSON.parse((await post(dispatch({ cancelled: true }))).body as string).status).toBe('stored');
    expect(JSON.parse((await post(dispatch({ cancelled: true }))).body as string).status).toBe('duplicate');
    expect(JSON.parse((await post(dispatch())).body as string).status).toBe('duplicate');
    expect((await gridEvents.get('dispatch-d-42'))?.cancelled).toBe(true);
    expect(published).toHaveLength(2);
  });

  it('refuses malformed dispatches with the field at fault, and unauthenticated ones', async () => {
    const cases: [string, RegExp][] = [
      [dispatch({ kW: -1 }), /kW/],
      [dispatch({ end: '2026-11-25T15:00:00Z' }), /end must be after start/],
      [dispatch({ dispatchId: 'a b' }), /dispatchId/],
      [dispatch({ surprise: 1 }), /surprise/],
      ['[]', /dispatch is invalid/],
    ];
    for (const [body, reason] of cases) {
      const out = await post(body);
      expect(out.statusCode, body).toBe(400);
      expect(JSON.parse(out.body as string).error).toMatch(reason);
    }
    const noToken = await handler(httpEvent('POST', '/dispatch', { body: dispatch({ dispatchId: 'd-43' }) }), lambdaContext);
    expect(noToken.statusCode).toBe(401);
    expect(await gridEvents.get('dispatch-d-43')).toBeUndefined();
  });
});
