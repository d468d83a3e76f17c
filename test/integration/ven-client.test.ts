import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDeviceRegistry } from '../../functions/adapters/dynamodb/device-registry.ts';
import type { DynamoGridEventStore } from '../../functions/adapters/dynamodb/grid-event-store.ts';
import type { DynamoQuarantineStore } from '../../functions/adapters/dynamodb/quarantine-store.ts';
import { DynamoTelemetryHistory } from '../../functions/adapters/dynamodb/telemetry-history.ts';
import { DynamoVenStateStore } from '../../functions/adapters/dynamodb/ven-state-store.ts';
import { HttpVtnClient } from '../../functions/adapters/openadr/vtn-client.ts';
import { recordVtnNotification } from '../../functions/adapters/openadr/vtn-contact.ts';
import { SecretsManagerVtnCredentials } from '../../functions/adapters/secrets/secrets-manager-vtn-credentials.ts';
import { storeEventObject } from '../../functions/domain/grid/store-event.ts';
import { makeHandler, type VenSyncPorts, type VenSyncResult } from '../../functions/handlers/ven-sync.ts';
import type { VtnCredentials } from '../../functions/ports/vtn-credentials.ts';
import { LocalEventBus } from '../../local/aws/event-bus.ts';
import { startLocalJsonServices, type LocalJsonServices } from '../../local/aws/json-protocol-server.ts';
import { generateFleet } from '../../local/fleet/generate-fleet.ts';
import { startOpenAdrVtnServer, type VtnStandIn } from '../../local/stand-ins/openadr-vtn-server.ts';
import { TELEMETRY_SCHEMA_V1, type TelemetryMessage } from '../../schemas/telemetry.ts';
import { startDynamoFixture, type DynamoFixture } from '../support/local-dynamo.ts';
import { RecordingPublisher } from '../support/recording-publisher.ts';
import { lambdaContext } from '../support/sqs-event.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const CLIENT_ID = 'ven-hearth';
const CLIENT_SECRET = 'ven-secret-0123456789';
const CALLBACK = 'https://hearth.example/openadr3/callback';
const WEBHOOK_TOKEN = 'utility-token-0123456789abcdef';
const FAST_HTTP = { timeoutMs: 5_000, attempts: 2, backoffMs: 5 };
const PROGRAMS = [
  { id: 'winter-flex', programName: 'Winter flex' },
  { id: 'summer-flex', programName: 'Summer flex' },
];

/** 17:00–19:00 Copenhagen on 2026-01-20: the load shed the reports are about. */
const E0 = Date.parse('2026-01-20T16:00:00Z');

const clock = { nowMs: E0 - 6 * HOUR, now: () => new Date(clock.nowMs) };

async function startVtn(extra: Partial<Parameters<typeof startOpenAdrVtnServer>[0]> = {}): Promise<VtnStandIn> {
  return startOpenAdrVtnServer({ now: clock.now, clients: { [CLIENT_ID]: CLIENT_SECRET }, programs: PROGRAMS, tokenTtlS: 3600, ...extra });
}
const credentialsOf = (vtn: VtnStandIn, extra: Partial<VtnCredentials> = {}): VtnCredentials => ({ vtnUrl: vtn.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, ...extra });

const shed = (id: string, startMs: number, intervals: number, extra: Record<string, unknown> = {}) => ({
  id,
  programID: 'winter-flex',
  eventName: id,
  intervalPeriod: { start: new Date(startMs).toISOString(), duration: 'PT1H' },
  payloadDescriptors: [{ objectType: 'EVENT_PAYLOAD_DESCRIPTOR', payloadType: 'SIMPLE' }],
  reportDescriptors: [{ payloadType: 'USAGE', readingType: 'DIRECT_READ', units: 'KWH', startInterval: -1, numIntervals: -1, historical: true, frequency: -1, repeat: 1 }],
  intervals: Array.from({ length: intervals }, (_, i) => ({ id: i, payloads: [{ type: 'SIMPLE', values: [1] }] })),
  ...extra,
});

describe('VTN client against the local VTN', () => {
  let vtn: VtnStandIn;
  beforeAll(async () => {
    clock.nowMs = E0 - 6 * HOUR;
    vtn = await startVtn();
  });
  afterAll(() => vtn.close());

  it('gets a client-credentials token once and reuses it until shortly before it expires', async () => {
    const client = new HttpVtnClient(credentialsOf(vtn), () => clock.nowMs, FAST_HTTP);
    expect((await client.programs()).map((p) => p.id)).toEqual(['winter-flex', 'summer-flex']);
    await client.programs();
    const tokenCalls = () => vtn.calls('POST', '/auth/token');
    expect(tokenCalls()).toHaveLength(1);
    expect(tokenCalls()[0]!.query).toEqual({});
    expect(vtn.calls('GET', '/auth/server')).toHaveLength(1);
    clock.nowMs += 59 * MIN + 30_000; // inside the last minute of the hour-long token
    await client.programs();
    expect(tokenCalls()).toHaveLength(2);
  });

  it('on a 401 drops the token, gets a new one and tries once more', async () => {
    const client = new HttpVtnClient(credentialsOf(vtn), () => clock.nowMs, FAST_HTTP);
    await client.programs();
    const before = vtn.calls('POST', '/auth/token').length;
    vtn.revokeTokens();
    await expect(client.programs()).resolves.toHaveLength(2);
    expect(vtn.calls('POST', '/auth/token').length).toBe(before + 1);
    vtn.forceNext(2, { status: 401, body: '{"title":"Unauthorized"}', match: { method: 'GET', path: '/programs' } });
    await expect(client.programs()).rejects.toThrow(/VTN GET \/programs answered HTTP 401/);
  });

  it('names the token endpoint and the status when the credentials are refused', async () => {
    const client = new HttpVtnClient(credentialsOf(vtn, { clientSecret: 'wrong' }), () => clock.nowMs, FAST_HTTP);
    await expect(client.programs()).rejects.toThrow(/VTN token endpoint POST \/auth\/token answered HTTP 401: .*invalid_client/);
  });

  it('uses <vtnUrl>/auth/token when the VTN does not offer /auth/server, and a token URL from the secret as given', async () => {
    const quiet = await startVtn({ discovery: false });
    try {
      await new HttpVtnClient(credentialsOf(quiet), () => clock.nowMs, FAST_HTTP).programs();
      expect(quiet.calls('POST', '/auth/token')).toHaveLength(1);
      await new HttpVtnClient(credentialsOf(quiet, { tokenUrl: `${quiet.url}/auth/token` }), () => clock.nowMs, FAST_HTTP).programs();
      expect(quiet.calls('GET', '/auth/server')).toHaveLength(1);
    } finally {
      await quiet.close();
    }
  });

  it('reads every page of events (limit 50, skip) and a reference server’s snake_case', async () => {
    const snake = await startVtn({ snakeCase: true });
    try {
      for (let i = 0; i < 120; i++) snake.putEvent(shed(`e-${i}`, E0 + i * DAY, 1));
      const client = new HttpVtnClient(credentialsOf(snake), () => clock.nowMs, FAST_HTTP);
      const events = await client.events('winter-flex');
      expect(events).toHaveLength(120);
      expect(events[0]).toMatchObject({ id: 'e-0', programID: 'winter-flex', intervalPeriod: { duration: 'PT1H' } });
      expect(snake.calls('GET', '/events').map((r) => [r.query.skip, r.query.limit])).toEqual([
        ['0', '50'],
        ['50', '50'],
        ['100', '50'],
        ['120', '50'],
      ]);
      const created = await client.createSubscription({ clientName: 'c', programID: 'winter-flex', objectOperations: [{ objects: ['EVENT'], operations: ['CREATE'], callbackUrl: CALLBACK }] });
      expect(created.objectOperations[0]!.callbackUrl).toBe(CALLBACK);
    } finally {
      await snake.close();
    }
  });

  it('turns malformed answers into errors naming the call', async () => {
    const client = new HttpVtnClient(credentialsOf(vtn), () => clock.nowMs, FAST_HTTP);
    vtn.forceNext(1, { status: 200, body: '[{"id": "x"', match: { path: '/events' } });
    await expect(client.events('winter-flex')).rejects.toThrow(/VTN GET \/events did not answer JSON/);
    vtn.forceNext(1, { status: 200, body: '{"events": []}', match: { path: '/events' } });
    await expect(client.events('winter-flex')).rejects.toThrow(/VTN GET \/events answered an unexpected body: \(root\)/);
    vtn.forceNext(1, { status: 200, body: '[{"programName": "no id"}]', match: { path: '/programs' } });
    await expect(client.programs()).rejects.toThrow(/VTN GET \/programs \[0\] answered an unexpected body: id/);
    vtn.forceNext(1, { status: 201, body: '{"created": true}', match: { method: 'POST', path: '/reports' } });
    await expect(client.createReport({ eventID: 'e', clientName: 'c', resources: [] })).rejects.toThrow(/VTN POST \/reports answered an unexpected body/);
    vtn.forceNext(1, { status: 400, body: '{"title":"Bad Request","detail":"eventID is required"}', match: { method: 'POST', path: '/reports' } });
    await expect(client.createReport({})).rejects.toThrow(/VTN POST \/reports answered HTTP 400: .*eventID is required/);
  });
});

interface Fixture {
  db: DynamoFixture;
  services: LocalJsonServices;
  vtn: VtnStandIn;
  published: RecordingPublisher;
  gridEvents: DynamoGridEventStore;
  quarantine: DynamoQuarantineStore;
  venState: DynamoVenStateStore;
  ports: Partial<VenSyncPorts>;
  webhookToken: { value: string };
  /** One scheduled run against a configured VTN. */
  run(): Promise<Synced>;
}

type Synced = Extract<VenSyncResult, { status: 'synced' }>;

async function startFixture(): Promise<Fixture> {
  const db = await startDynamoFixture();
  const vtn = await startVtn();
  const services = await startLocalJsonServices({
    bus: new LocalEventBus(async () => undefined, clock.now),
    secrets: {
      'hearth/vtn': JSON.stringify({ vtnUrl: vtn.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, clientName: 'hearth-ven', callbackUrl: CALLBACK }),
      'hearth/vtn-placeholder': '{}',
    },
  });
  const secrets = new SecretsManagerClient({ endpoint: services.endpoint, region: 'local', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
  const published = new RecordingPublisher();
  const gridEvents = db.stores.gridEvents();
  const quarantine = db.stores.quarantine();
  const venState = new DynamoVenStateStore(db.doc, db.tableNames.venState);
  const webhookToken = { value: WEBHOOK_TOKEN };
  const clients = new Map<string, HttpVtnClient>();
  const ports: Partial<VenSyncPorts> = {
    clock,
    credentials: new SecretsManagerVtnCredentials(secrets, 'hearth/vtn', () => clock.nowMs),
    vtnFor: (c) => clients.get(c.vtnUrl) ?? clients.set(c.vtnUrl, new HttpVtnClient(c, () => clock.nowMs, FAST_HTTP)).get(c.vtnUrl)!,
    webhookTokens: { tokens: async () => [{ utility: 'default', token: webhookToken.value }] },
    configuredPrograms: () => ['winter-flex', 'summer-flex', 'autumn-flex'],
    venState,
    gridEvents,
    quarantine,
    events: published,
    devices: db.stores.devices(),
    telemetry: db.stores.telemetryHistory(),
  };
  const handler = makeHandler(ports);
  return {
    db,
    services,
    vtn,
    published,
    gridEvents,
    quarantine,
    venState,
    ports,
    webhookToken,
    run: async () => {
      const result = (await handler({ reason: 'scheduled' }, lambdaContext)) as VenSyncResult;
      if (result.status !== 'synced') throw new Error(`expected a sync, got ${result.status}`);
      return result;
    },
  };
}

async function stopFixture(f: Fixture): Promise<void> {
  await f.vtn.close();
  await f.services.close();
  await f.db.close();
}

describe('ven-sync: subscriptions and polling', () => {
  let f: Fixture;
  beforeAll(async () => {
    clock.nowMs = E0 - 6 * HOUR;
    f = await startFixture();
  });
  afterAll(() => stopFixture(f));

  it('does nothing without a configured VTN (no secret, or the empty placeholder), and says so', async () => {
    const secrets = new SecretsManagerClient({ endpoint: f.services.endpoint, region: 'local', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
    for (const id of ['hearth/absent', 'hearth/vtn-placeholder']) {
      const idle = makeHandler({ ...f.ports, credentials: new SecretsManagerVtnCredentials(secrets, id, () => clock.nowMs) });
      expect(await idle({}, lambdaContext)).toEqual({ status: 'not-configured' });
    }
    expect(f.vtn.requests).toEqual([]);
  });

  it('registers one subscription per program, adopting one of ours that exists, and only once', async () => {
    const direct = new HttpVtnClient(credentialsOf(f.vtn), () => clock.nowMs, FAST_HTTP);
    await direct.createSubscription({
      clientName: 'hearth-ven',
      programID: 'summer-flex',
      objectOperations: [{ objects: ['EVENT'], operations: ['CREATE', 'UPDATE', 'DELETE'], callbackUrl: CALLBACK, bearerToken: WEBHOOK_TOKEN }],
    });
    const first = await f.run();
    expect(first).toMatchObject({ status: 'synced', programIds: ['winter-flex', 'summer-flex'], subscriptions: { 'winter-flex': 'created', 'summer-flex': 'adopted' } });
    expect(f.vtn.calls('POST', '/subscriptions')).toHaveLength(2); // the test's own, and winter-flex
    expect(f.vtn.calls('POST', '/subscriptions')[1]!.body).toEqual({
      clientName: 'hearth-ven',
      programID: 'winter-flex',
      objectOperations: [{ objects: ['EVENT'], operations: ['CREATE', 'UPDATE', 'DELETE'], callbackUrl: CALLBACK, bearerToken: WEBHOOK_TOKEN }],
    });

    const lookups = f.vtn.calls('GET', '/subscriptions').length;
    expect((await f.run()).subscriptions).toEqual({ 'winter-flex': 'kept', 'summer-flex': 'kept' });
    expect(f.vtn.calls('GET', '/subscriptions')).toHaveLength(lookups);
    clock.nowMs += 61 * MIN;
    expect((await f.run()).subscriptions).toEqual({ 'winter-flex': 'kept', 'summer-flex': 'kept' });
    expect(f.vtn.calls('GET', '/subscriptions').length).toBeGreaterThan(lookups);
    expect(f.vtn.calls('POST', '/subscriptions')).toHaveLength(2);
  });

  it('updates the subscriptions when the webhook token is rotated', async () => {
    f.webhookToken.value = 'rotated-token-0123456789abcdef';
    expect((await f.run()).subscriptions).toEqual({ 'winter-flex': 'updated', 'summer-flex': 'updated' });
    expect(f.vtn.subscriptions.map((s) => (s.objectOperations as { bearerToken: string }[])[0]!.bearerToken)).toEqual(['rotated-token-0123456789abcdef', 'rotated-token-0123456789abcdef']);
    expect(f.vtn.calls('POST', '/subscriptions')).toHaveLength(2);
  });

  it('polls while no notification arrives, storing each event once through the webhook’s path', async () => {
    f.vtn.putEvent(shed('evt-a', E0, 2));
    f.vtn.putEvent(shed('evt-b', E0 + DAY, 1));
    f.published.clear();
    const result = await f.run();
    expect(result.poll).toMatchObject({ polled: true, fetched: 2, stored: 2, duplicates: 0, invalid: 0 });
    expect(f.published.of('GridEventReceived').map((d) => [d.gridEventId, d.cancelled])).toEqual([
      ['evt-a', false],
      ['evt-b', false],
    ]);
    expect(await f.gridEvents.get('evt-a')).toMatchObject({ programId: 'winter-flex', cancelled: false });

    expect((await f.run()).poll).toMatchObject({ polled: true, stored: 0, duplicates: 2 });
    expect(f.published.of('GridEventReceived')).toHaveLength(2);
  });

  it('stops polling while the webhook delivers, and starts again when it goes quiet', async () => {
    const polls = f.vtn.calls('GET', '/events').length;
    await recordVtnNotification(clock.now(), f.venState);
    expect((await f.run()).poll).toMatchObject({ polled: false });
    clock.nowMs += 29 * MIN;
    await f.run();
    expect(f.vtn.calls('GET', '/events')).toHaveLength(polls);
    clock.nowMs += 2 * MIN;
    expect((await f.run()).poll).toMatchObject({ polled: true });
  });

  it('cancels an event deleted at the VTN while the webhook was down', async () => {
    f.vtn.deleteEvent('evt-b');
    f.published.clear();
    expect((await f.run()).poll).toMatchObject({ polled: true, cancelledAsDeleted: 1 });
    expect(await f.gridEvents.get('evt-b')).toMatchObject({ cancelled: true });
    expect(f.published.of('GridEventReceived')).toEqual([expect.objectContaining({ gridEventId: 'evt-b', cancelled: true })]);
  });

  it('stores nothing from a malformed answer, and quarantines an invalid event with the reason', async () => {
    f.vtn.putEvent(shed('evt-c', E0 + 2 * DAY, 1));
    const before = (await f.gridEvents.listAll()).length;
    f.vtn.forceNext(1, { status: 200, body: '[{"id": "evt-c"', match: { path: '/events' } });
    await expect(f.run()).rejects.toThrow(/poll: VTN GET \/events did not answer JSON/);
    expect(await f.gridEvents.listAll()).toHaveLength(before);

    f.vtn.putEvent({ id: 'evt-bad', programID: 'winter-flex', intervals: [{ id: 'zero', payloads: [] }] });
    expect((await f.run()).poll).toMatchObject({ polled: true, stored: 1, invalid: 1 });
    expect(await f.gridEvents.get('evt-c')).toBeDefined();
    expect(await f.quarantine.list('vtn-poll')).toEqual([expect.objectContaining({ reason: expect.stringMatching(/^event is invalid: GET \/events\?programID=winter-flex \[\d\]\.intervals\.0\.id/) })]);
  });
});

describe('ven-sync: a report after each ended event', () => {
  let f: Fixture;
  const fleet = generateFleet(3, 1).map((h, i) => ({ ...h.record, drProgramId: i < 2 ? 'winter-flex' : 'other' }));

  /**
   * 1 kW around the clock on every day; on 2026-01-20 2 kW of pre-heat 16:00–17:00 local, then heater-001 draws
   * 300 W and 500 W in the two event hours and heater-002 nothing; 400 W in the later events.
   */
  const powerW = (deviceId: string, t: number): number => {
    if (t >= E0 && t < E0 + HOUR) return deviceId === 'heater-001' ? 300 : 0;
    if (t >= E0 + HOUR && t < E0 + 2 * HOUR) return deviceId === 'heater-001' ? 500 : 0;
    if (t >= E0 - HOUR && t < E0) return 2000;
    if ([1, 2, 3].some((d) => t >= E0 + d * DAY && t < E0 + d * DAY + HOUR)) return 400;
    return 1000;
  };

  beforeAll(async () => {
    clock.nowMs = E0 - 6 * HOUR;
    f = await startFixture();
    const devices = new DynamoDeviceRegistry(f.db.doc, f.db.tableNames.devices);
    for (const d of fleet) await devices.put(d);
    const messages: TelemetryMessage[] = [];
    for (const d of fleet.slice(0, 2)) {
      let seq = 0;
      for (let t = E0 - 15 * DAY; t <= E0 + 4 * DAY; t += 15 * MIN) {
        messages.push({ schema: TELEMETRY_SCHEMA_V1, deviceId: d.deviceId, seq: seq++, ts: new Date(t).toISOString(), roomC: 21, powerW: powerW(d.deviceId, t) });
      }
    }
    const { failed } = await new DynamoTelemetryHistory(f.db.doc, f.db.tableNames.telemetryHistory).appendMany(messages, () => new Date(E0 + 400 * DAY));
    expect(failed).toEqual([]);
    f.vtn.putEvent(shed('evt-shed', E0, 2));
    f.vtn.putEvent(shed('evt-2', E0 + DAY, 1));
    f.vtn.putEvent(shed('evt-3', E0 + 2 * DAY, 1));
    f.vtn.putEvent(shed('evt-quiet', E0 + 3 * DAY, 1, { reportDescriptors: null }));
    await f.run(); // polls and stores the events
  });
  afterAll(() => stopFixture(f));

  const reportsFor = (eventID: string) => f.vtn.reports.filter((r) => r.eventID === eventID);
  const values = (report: Record<string, unknown>, resource: string) =>
    (report.resources as { resourceName: string; intervals: { id: number; payloads: { type: string; values: unknown[] }[] }[] }[])
      .find((r) => r.resourceName === resource)!
      .intervals.map((i) => Object.fromEntries(i.payloads.map((p) => [p.type, p.values[0]])));

  it('reports nothing before an event has ended and its telemetry had time to arrive', async () => {
    clock.nowMs = E0 + 2 * HOUR + 29 * MIN;
    expect((await f.run()).reports).toEqual([]);
    expect(f.vtn.calls('POST', '/reports')).toEqual([]);
  });

  it('posts the report once: USAGE per interval per device, summed exactly from telemetry, and the 10-of-10 baseline', async () => {
    clock.nowMs = E0 + 2 * HOUR + 31 * MIN;
    expect((await f.run()).reports).toEqual([{ gridEventId: 'evt-shed', status: 'posted', reportId: expect.any(String), adopted: false }]);
    const [report] = reportsFor('evt-shed');
    expect(report).toMatchObject({ eventID: 'evt-shed', clientName: 'hearth-ven', clientID: CLIENT_ID });
    expect((report!.resources as { resourceName: string }[]).map((r) => r.resourceName)).toEqual(['heater-001', 'heater-002']);
    // Baseline: 1 kW on the 10 days before; same-day ratio 1 (1 kW 13:00–16:00 local; the 2 kW pre-heat hour is left out).
    expect(values(report!, 'heater-001')).toEqual([
      { USAGE: 0.3, DATA_QUALITY: 'OK', BASELINE: 1, X_BASELINE_DAYS: 10 },
      { USAGE: 0.5, DATA_QUALITY: 'OK', BASELINE: 1, X_BASELINE_DAYS: 10 },
    ]);
    expect(values(report!, 'heater-002')).toEqual([
      { USAGE: 0, DATA_QUALITY: 'OK', BASELINE: 1, X_BASELINE_DAYS: 10 },
      { USAGE: 0, DATA_QUALITY: 'OK', BASELINE: 1, X_BASELINE_DAYS: 10 },
    ]);
    expect((await f.venState.reportEntries(['evt-shed'])).get('evt-shed')).toMatchObject({ status: 'posted', attempts: 1, detail: { devices: 2, usageKWh: 0.8, baselineKWh: 4, fewestBaselineDays: 10 } });

    clock.nowMs += 5 * MIN;
    expect((await f.run()).reports).toEqual([]);
    expect(reportsFor('evt-shed')).toHaveLength(1);
  });

  it('retries a post the VTN failed on the next run', async () => {
    clock.nowMs = E0 + DAY + HOUR + 31 * MIN;
    f.vtn.forceNext(1, { status: 503, body: '{"title":"Service Unavailable"}', match: { method: 'POST', path: '/reports' } });
    expect((await f.run()).reports).toEqual([{ gridEventId: 'evt-2', status: 'failed', error: expect.stringMatching(/VTN POST \/reports answered HTTP 503/), attempt: 1 }]);
    expect(reportsFor('evt-2')).toEqual([]);
    expect((await f.venState.reportEntries(['evt-2'])).get('evt-2')).toMatchObject({ status: 'failed', attempts: 1 });

    clock.nowMs += 5 * MIN;
    expect((await f.run()).reports).toEqual([expect.objectContaining({ gridEventId: 'evt-2', status: 'posted', adopted: false })]);
    // The day of evt-shed is no baseline day for evt-2: its 10 days are the 10 before that.
    expect(values(reportsFor('evt-2')[0]!, 'heater-001')).toEqual([{ USAGE: 0.4, DATA_QUALITY: 'OK', BASELINE: 1, X_BASELINE_DAYS: 10 }]);
  });

  it('does not post twice when the VTN accepted a report but its answer was lost', async () => {
    clock.nowMs = E0 + 2 * DAY + HOUR + 31 * MIN;
    f.vtn.forceNext(1, { status: 502, body: 'Bad Gateway', match: { method: 'POST', path: '/reports' }, afterHandling: true });
    expect((await f.run()).reports).toEqual([expect.objectContaining({ gridEventId: 'evt-3', status: 'failed' })]);
    expect(reportsFor('evt-3')).toHaveLength(1);
    clock.nowMs += 5 * MIN;
    expect((await f.run()).reports).toEqual([{ gridEventId: 'evt-3', status: 'posted', reportId: reportsFor('evt-3')[0]!.id, adopted: true }]);
    expect(reportsFor('evt-3')).toHaveLength(1);
  });

  it('sends no report for an event without reportDescriptors, and remembers that', async () => {
    clock.nowMs = E0 + 3 * DAY + HOUR + 31 * MIN;
    expect((await f.run()).reports).toEqual([{ gridEventId: 'evt-quiet', status: 'not-requested', reason: expect.stringMatching(/no reportDescriptors/) }]);
    clock.nowMs += 5 * MIN;
    expect((await f.run()).reports).toEqual([]);
    expect(reportsFor('evt-quiet')).toEqual([]);
  });
});

describe('the VEN state in DynamoDB', () => {
  let db: DynamoFixture;
  let state: DynamoVenStateStore;
  beforeAll(async () => {
    db = await startDynamoFixture();
    state = new DynamoVenStateStore(db.doc, db.tableNames.venState);
  });
  afterAll(() => db.close());

  it('lets one run claim a report; another only once the claim lapsed or the post failed; never once posted', async () => {
    const t = new Date(E0);
    expect(await state.claimReport('e1', t, 10 * MIN)).toBe(1);
    expect(await state.claimReport('e1', new Date(E0 + 5 * MIN), 10 * MIN)).toBeUndefined();
    expect(await state.claimReport('e1', new Date(E0 + 11 * MIN), 10 * MIN)).toBe(2);
    await state.settleReport({ gridEventId: 'e1', status: 'failed', attempts: 2, updatedAt: new Date(E0 + 12 * MIN).toISOString(), lastError: 'VTN POST /reports answered HTTP 503' });
    expect(await state.claimReport('e1', new Date(E0 + 13 * MIN), 10 * MIN)).toBe(3);
    await state.settleReport({ gridEventId: 'e1', status: 'posted', attempts: 3, updatedAt: new Date(E0 + 14 * MIN).toISOString(), reportId: 'rep-1' });
    // A late run that failed does not reopen it.
    await state.settleReport({ gridEventId: 'e1', status: 'failed', attempts: 2, updatedAt: new Date(E0 + 15 * MIN).toISOString(), lastError: 'late' });
    expect(await state.claimReport('e1', new Date(E0 + DAY), 10 * MIN)).toBeUndefined();
    expect((await state.reportEntries(['e1', 'e2'])).get('e1')).toEqual({ gridEventId: 'e1', status: 'posted', attempts: 3, updatedAt: new Date(E0 + 14 * MIN).toISOString(), reportId: 'rep-1' });
  });

  it('stores an event without time stamps once, comparing what DynamoDB gives back by content', async () => {
    const gridEvents = db.stores.gridEvents();
    const published = new RecordingPublisher();
    const ports = { gridEvents, quarantine: db.stores.quarantine(), events: published, quarantineSource: 'vtn-poll', raw: '{}' };
    const event = { zeta: { b: 1, a: [2, { y: 1, x: 0 }] }, id: 'no-stamp', programID: 'winter-flex', intervalPeriod: { start: '2026-01-21T16:00:00Z', duration: 'PT1H' }, intervals: [{ id: 0, payloads: [{ type: 'SIMPLE', values: [1] }] }] };
    expect(await storeEventObject(event, 'UPDATE', { ...ports, now: new Date(E0) })).toMatchObject({ status: 'stored', change: 'new' });
    expect(await storeEventObject(event, 'UPDATE', { ...ports, now: new Date(E0 + 5 * MIN) })).toEqual({ status: 'duplicate', gridEventId: 'no-stamp' });
    expect(await storeEventObject({ ...event, eventName: 'changed' }, 'UPDATE', { ...ports, now: new Date(E0 + 10 * MIN) })).toMatchObject({ status: 'stored', change: 'updated' });
    expect(published.of('GridEventReceived')).toHaveLength(2);
  });

  it('moves the last notification time only forward', async () => {
    await recordVtnNotification(new Date(E0), state);
    await recordVtnNotification(new Date(E0 - HOUR), state);
    await state.pollDone(new Date(E0 + MIN));
    expect(await state.contact()).toEqual({ lastNotificationAt: new Date(E0).toISOString(), lastPollAt: new Date(E0 + MIN).toISOString() });
  });
});
