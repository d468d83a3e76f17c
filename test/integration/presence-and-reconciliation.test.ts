import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DynamoDeviceStateStore } from '../../functions/adapters/dynamodb/device-state-store.ts';
import type { DynamoDeviceStatusStore } from '../../functions/adapters/dynamodb/device-status-store.ts';
import type { DynamoPlanStore } from '../../functions/adapters/dynamodb/plan-store.ts';
import type { DynamoQuarantineStore } from '../../functions/adapters/dynamodb/quarantine-store.ts';
import { logger } from '../../functions/commons/observability.ts';
import { toPlanDocument } from '../../functions/domain/planning/plan-document.ts';
import { makeHandler as makeRecordPresence } from '../../functions/handlers/record-presence.ts';
import { makeHandler as makeReconcile } from '../../functions/handlers/reconcile-devices.ts';
import { generateFleet } from '../../local/fleet/generate-fleet.ts';
import type { LifecycleEvent } from '../../schemas/presence.ts';
import { startDynamoFixture, type DynamoFixture } from '../support/local-dynamo.ts';
import { RecordingPublisher } from '../support/recording-publisher.ts';
import { lambdaContext, sqsEvent } from '../support/sqs-event.ts';

const NOW = new Date('2023-01-10T12:10:00Z');
const clock = { now: () => NOW };
const at = (iso: string) => Date.parse(iso);
/** A lifecycle event as AWS IoT publishes it. */
const lifecycle = (clientId: string, eventType: 'connected' | 'disconnected', timestamp: number, versionNumber: number): LifecycleEvent => ({
  clientId,
  timestamp,
  eventType,
  sessionIdentifier: '00000000-0000-0000-0000-000000000000',
  principalIdentifier: '12345678901234567890123456789012',
  versionNumber,
  ...(eventType === 'disconnected' ? { clientInitiatedDisconnect: false, disconnectReason: 'MQTT_KEEP_ALIVE_TIMEOUT' } : { ipAddress: '192.0.2.1' }),
});

describe('presence and reconciliation against dynalite', () => {
  let db: DynamoFixture;
  let status: DynamoDeviceStatusStore;
  let states: DynamoDeviceStateStore;
  let plans: DynamoPlanStore;
  let quarantine: DynamoQuarantineStore;
  let presence: ReturnType<typeof makeRecordPresence>;
  const fleet = generateFleet(5, 2).map((h) => h.record);
  const [a, b, c, d] = fleet.map((r) => r.deviceId) as [string, string, string, string];

  beforeAll(async () => {
    db = await startDynamoFixture();
    const registry = db.stores.devices();
    for (const record of fleet) await registry.put(record);
    status = db.stores.deviceStatus();
    states = db.stores.deviceState();
    plans = db.stores.plans();
    quarantine = db.stores.quarantine();
    presence = makeRecordPresence({ devices: db.stores.knownDevices(), status, quarantine, clock });
  });
  afterAll(async () => db.close());

  const send = async (...events: (LifecycleEvent | string)[]) =>
    (await presence(sqsEvent(events.map((ev) => (typeof ev === 'string' ? ev : JSON.stringify(ev)))), lambdaContext)).batchItemFailures;
  const statusOf = async (id: string) => (await status.getMany([id])).get(id);

  it('connect → online; a disconnect delivered late (older timestamp) never overrides the newer connect', async () => {
    expect(await send(lifecycle(a, 'connected', at('2023-01-10T12:00:00Z'), 2))).toEqual([]);
    await send(lifecycle(a, 'disconnected', at('2023-01-10T11:59:00Z'), 1));
    expect(await statusOf(a)).toMatchObject({ online: true, lastConnectedAt: '2023-01-10T12:00:00.000Z' });
    await send(lifecycle(a, 'disconnected', at('2023-01-10T12:05:00Z'), 2));
    expect(await statusOf(a)).toMatchObject({ online: false, lastDisconnectedAt: '2023-01-10T12:05:00.000Z', disconnectReason: 'MQTT_KEEP_ALIVE_TIMEOUT' });
    // A duplicate of the connect changes nothing.
    await send(lifecycle(a, 'connected', at('2023-01-10T12:00:00Z'), 2));
    expect((await statusOf(a))?.online).toBe(false);
  });

  it('within one millisecond: a later connection wins by version; the disconnect of the same connection wins a tie', async () => {
    const t = at('2023-01-10T12:06:00Z');
    await send(lifecycle(b, 'disconnected', t, 3), lifecycle(b, 'connected', t, 4));
    expect((await statusOf(b))?.online).toBe(true);
    await send(lifecycle(c, 'connected', t, 5), lifecycle(c, 'disconnected', t, 5));
    expect((await statusOf(c))?.online).toBe(false);
  });

  it('ignores clients that are not registered devices and quarantines what is not a lifecycle event', async () => {
    expect(await send(lifecycle('iotconsole-1234', 'connected', at('2023-01-10T12:00:00Z'), 1), '{"clientId": 7}', 'oops')).toEqual([]);
    expect(await statusOf('iotconsole-1234')).toBeUndefined();
    const reasons = (await quarantine.list('presence')).map((q) => q.reason);
    expect(reasons).toHaveLength(2);
    expect(reasons.some((r) => /clientId/.test(r))).toBe(true);
  });

  it('reconciliation: counts devices by alignment, counts the silent, and replans only those a new plan would help', async () => {
    const start = new Date('2023-01-10T11:00:00Z');
    const planFor = (v: number, powerW: number) =>
      toPlanDocument({ v, start, stepS: 900, powerW: Array.from({ length: 192 }, () => powerW), fallback: { minC: 18, maxC: 21 } });
    const telemetry = (deviceId: string, over: Record<string, unknown>) => ({
      schema: 'hearth.telemetry/1' as const,
      deviceId,
      seq: 1,
      ts: '2023-01-10T12:05:00Z',
      roomC: 20.5,
      powerW: 800,
      planVersion: 3,
      mode: 'auto' as const,
      ...over,
    });
    for (const id of [a, b, c, d]) {
      await plans.put({ deviceId: id, plan: planFor(3, 800), createdAt: '2023-01-10T11:00:00Z', reason: 'test', policy: 'test' }, new Date('2023-02-01'));
      await status.recordDesiredPlan(id, 3, new Date('2023-01-10T11:01:00Z'));
    }
    // a: follows, but is disconnected since 12:05 (after its last telemetry, also 12:05) → offline.
    await states.advance(telemetry(a, { ts: '2023-01-10T12:04:00Z' }), NOW);
    // b: follows its plan. c: reconnected and draws 2000 W against 800 planned → diverged. d: still on v2 → lagging.
    await states.advance(telemetry(b, {}), NOW);
    await states.advance(telemetry(c, { powerW: 2000, ts: '2023-01-10T12:07:00Z' }), NOW);
    await states.advance(telemetry(d, { planVersion: 2 }), NOW);
    // The fifth device never reported → offline and silent.

    const events = new RecordingPublisher();
    const gridEvents = db.stores.gridEvents();
    const reconcile = makeReconcile({ devices: db.stores.devices(), states, status, plans, events, clock, gridEvents });
    const info = vi.spyOn(logger, 'info');
    const out = await reconcile({ reason: 'scheduled' }, lambdaContext);
    // Each device not following its plan gets a line of its own, with its id and the plan version it should execute.
    expect(info).toHaveBeenCalledWith('device not following its plan', expect.objectContaining({ deviceId: c, planVersion: 3, alignment: 'diverged' }));
    expect(info).toHaveBeenCalledWith('device not following its plan', expect.objectContaining({ deviceId: d, planVersion: 3, alignment: 'lagging' }));
    info.mockRestore();
    // Online: b, c, d (measured 800 + 2000 + 800 W); planned now: 800 W for each of the four with a plan; the fifth has none.
    const fleet = { online: 3, measuredKW: 3.6, plannedNowKW: 3.2, plansExpiringSoon: 1, oldestPlanAgeHours: 1.17 };
    expect(out).toEqual({ registered: 5, following: 1, lagging: 1, diverged: 1, offline: 2, silent: 1, replanned: 1, fleet, dr: [] });
    expect(events.of('ReplanRequested')).toEqual([{ reason: 'reconciliation', deviceIds: [c] }]);
  });
});
