import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DynamoGridEventStore } from '../../functions/adapters/dynamodb/grid-event-store.ts';
import { SecretsManagerTokenSource } from '../../functions/adapters/secrets/secrets-manager-token-source.ts';
import { makeHandler } from '../../functions/handlers/dr-webhook.ts';
import type { EventPublisher } from '../../functions/ports/event-publisher.ts';
import { LocalEventBus } from '../../local/aws/event-bus.ts';
import { startLocalJsonServices, type LocalJsonServices } from '../../local/aws/json-protocol-server.ts';
import { httpEvent } from '../support/http-event.ts';
import { startDynamoFixture, type DynamoFixture } from '../support/local-dynamo.ts';
import { lambdaContext } from '../support/sqs-event.ts';

const SECRET_ID = 'hearth/dr-token';
const OLD_TOKEN = 'utility-token-before-rotation-0001';
const NEW_TOKEN = 'utility-token-after-rotation-00002';
const NOW = new Date('2026-11-24T17:00:00Z');
const TOKEN_CACHE_MS = 5 * 60_000;

/** An OpenADR 3 notification of event `id` as the VTN sends it: the object as it is after `operation`. */
const notification = (id: string, operation: string, modified: string, shedLevel = 1) =>
  JSON.stringify({
    objectType: 'EVENT',
    operation,
    object: {
      id,
      programID: 'winter-flex',
      modificationDateTime: modified,
      intervalPeriod: { start: '2026-11-25T07:00:00Z', duration: 'PT2H' },
      intervals: [{ id: 0, payloads: [{ type: 'SIMPLE', values: [shedLevel] }] }],
    },
  });

/**
 * Requests captured and sent again — by an attacker, or by a VTN retrying — change nothing: the same
 * notification is a duplicate, an older version never overwrites a newer one, a cancellation is not undone by
 * replaying the event it cancelled, and a token taken out of the secret stops working once the cache expires.
 */
describe('dr-webhook: replayed requests', () => {
  let db: DynamoFixture;
  let services: LocalJsonServices;
  const secrets: Record<string, string> = {};
  let published: { gridEventId: string; cancelled: boolean }[];
  /** Publishes that fail before this many more have been attempted (EventBridge unreachable). */
  let failingPublishes = 0;
  let gridEvents: DynamoGridEventStore;
  let clockMs = NOW.getTime();
  let handler: ReturnType<typeof makeHandler>;
  const post = (body: string, token = NEW_TOKEN) =>
    handler(httpEvent('POST', '/openadr3/callback', { body, headers: { authorization: `Bearer ${token}` } }), lambdaContext);
  const statusOf = (out: { body?: string }) => (JSON.parse(out.body as string) as { status: string }).status;

  beforeAll(async () => {
    db = await startDynamoFixture();
    secrets[SECRET_ID] = JSON.stringify({ tokens: [NEW_TOKEN, OLD_TOKEN] });
    services = await startLocalJsonServices({ bus: new LocalEventBus(async () => undefined, () => NOW), secrets });
    const events: EventPublisher = {
      publish: async (_type, details) => {
        if (failingPublishes > 0) {
          failingPublishes--;
          throw new Error('EventBridge is unreachable');
        }
        published.push(...(details as unknown as typeof published));
      },
    };
    gridEvents = db.stores.gridEvents();
    const client = new SecretsManagerClient({ endpoint: services.endpoint, region: 'local', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
    handler = makeHandler({
      gridEvents,
      quarantine: db.stores.quarantine(),
      events,
      clock: { now: () => NOW },
      tokens: new SecretsManagerTokenSource(client, SECRET_ID, () => clockMs, TOKEN_CACHE_MS),
    });
  });
  beforeEach(() => {
    published = [];
  });
  afterAll(async () => {
    await services.close();
    await db.close();
  });

  it('the same notification sent again is a duplicate: stored once, announced once', async () => {
    const body = notification('replay-1', 'CREATE', '2026-11-24T16:00:00Z');
    expect(statusOf(await post(body))).toBe('stored');
    for (let i = 0; i < 3; i++) expect(statusOf(await post(body))).toBe('duplicate');
    expect(published).toHaveLength(1);
  });

  it('an older version replayed after a newer one changes nothing', async () => {
    const older = notification('replay-2', 'CREATE', '2026-11-24T15:00:00Z', 1);
    const newer = notification('replay-2', 'UPDATE', '2026-11-24T16:00:00Z', 2);
    await post(older);
    await post(newer);
    expect(statusOf(await post(older))).toBe('duplicate');
    const stored = await gridEvents.get('replay-2');
    expect(stored?.modifiedAt).toBe('2026-11-24T16:00:00.000Z');
    expect(JSON.stringify(stored?.event)).toContain('"values":[2]');
    expect(published.map((p) => p.gridEventId)).toEqual(['replay-2', 'replay-2']);
  });

  it('a DELETE carrying the last modification time cancels, and replaying the event does not bring it back', async () => {
    const created = notification('replay-3', 'CREATE', '2026-11-24T16:00:00Z');
    await post(created);
    expect(statusOf(await post(notification('replay-3', 'DELETE', '2026-11-24T16:00:00Z')))).toBe('stored');
    expect((await gridEvents.get('replay-3'))?.cancelled).toBe(true);
    expect(statusOf(await post(created))).toBe('duplicate');
    expect(statusOf(await post(notification('replay-3', 'DELETE', '2026-11-24T16:00:00Z')))).toBe('duplicate');
    expect((await gridEvents.get('replay-3'))?.cancelled).toBe(true);
    expect(published).toEqual([expect.objectContaining({ gridEventId: 'replay-3', cancelled: false }), expect.objectContaining({ gridEventId: 'replay-3', cancelled: true })]);
  });

  it('an event stored whose announcement failed is announced when the VTN sends it again, and only then', async () => {
    const body = notification('replay-6', 'CREATE', '2026-11-24T16:00:00Z');
    failingPublishes = 1;
    // The function fails, so API Gateway answers 5xx and the VTN sends the notification again.
    await expect(post(body)).rejects.toThrow('EventBridge is unreachable');
    expect(await gridEvents.get('replay-6')).toMatchObject({ announced: false });
    expect(published).toEqual([]);

    expect(statusOf(await post(body))).toBe('duplicate');
    expect(published).toEqual([expect.objectContaining({ gridEventId: 'replay-6', cancelled: false })]);
    expect(await gridEvents.get('replay-6')).toMatchObject({ announced: true });
    expect(statusOf(await post(body))).toBe('duplicate');
    expect(published).toHaveLength(1);
  });

  it('a dispatch stored whose announcement failed is announced on its retry', async () => {
    const dispatch = JSON.stringify({ dispatchId: 'd-replay', start: '2026-11-25T16:00:00Z', end: '2026-11-25T18:00:00Z', kW: 250 });
    const send = () => handler(httpEvent('POST', '/dispatch', { body: dispatch, headers: { authorization: `Bearer ${NEW_TOKEN}` } }), lambdaContext);
    failingPublishes = 1;
    await expect(send()).rejects.toThrow('EventBridge is unreachable');
    expect(published).toEqual([]);
    expect(statusOf(await send())).toBe('duplicate');
    expect(statusOf(await send())).toBe('duplicate');
    expect(published).toEqual([expect.objectContaining({ gridEventId: 'dispatch-d-replay', cancelled: false })]);
  });

  it('a token removed from the secret is refused once the cached tokens expire, and nothing it sends is stored', async () => {
    expect(statusOf(await post(notification('replay-4', 'CREATE', '2026-11-24T16:00:00Z'), OLD_TOKEN))).toBe('stored');
    secrets[SECRET_ID] = JSON.stringify({ tokens: [NEW_TOKEN] });
    clockMs += TOKEN_CACHE_MS + 1;
    const replayed = await post(notification('replay-5', 'CREATE', '2026-11-24T16:00:00Z'), OLD_TOKEN);
    expect(replayed.statusCode).toBe(403);
    expect(await gridEvents.get('replay-5')).toBeUndefined();
    expect(statusOf(await post(notification('replay-5', 'CREATE', '2026-11-24T16:00:00Z')))).toBe('stored');
  });
});
