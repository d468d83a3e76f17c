import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHandler as makeIngest } from '../../../functions/handlers/ingest-telemetry.ts';
import type { DeviceState, DeviceStateStore, TelemetryHistory } from '../../../functions/ports/stores.ts';
import { generateFleet } from '../../../local/fleet/generate-fleet.ts';
import type { TelemetryMessage } from '../../../schemas/telemetry.ts';
import { startDynamoFixture, type DynamoFixture } from '../../support/local-dynamo.ts';
import { lambdaContext, sqsEvent } from '../../support/sqs-event.ts';
import { registerFleet } from './support/seed.ts';
import { CountingStateStore, expectedKeys, historyKeys, newestOf, telemetry } from './support/telemetry.ts';

/**
 * A Lambda that dies mid-batch (out of memory, its timeout, the runtime killed): it returns no partial batch
 * response, so SQS delivers the WHOLE batch again once the visibility timeout expires, including what was
 * already written. The crash is staged at a store: the first writes reach dynalite through the real adapters,
 * then every further call hangs as if the process had stopped; the invocation is abandoned, and a new container
 * (a fresh handler) gets the batch again. Each message must then be in history once (its key is device, time
 * and sequence) and each device's state must end at its newest message, moved by each message at most once.
 */
const NOW = new Date('2023-01-10T12:00:00Z');
const clock = { now: () => NOW };
const FROM = new Date('2023-01-10T00:00:00Z');
const never = new Promise<never>(() => {});

/** Lets `allowed` calls through, then hangs: the process is gone. `crashed` resolves once the allowed calls have settled. */
class Crash {
  private calls = 0;
  private readonly settled: Promise<unknown>[] = [];
  private signal!: () => void;
  readonly hit = new Promise<void>((resolve) => (this.signal = resolve));
  constructor(private readonly allowed: number) {}

  run<T>(call: () => Promise<T>): Promise<T> {
    if (this.calls++ >= this.allowed) {
      this.signal();
      return never;
    }
    const p = call();
    this.settled.push(p.catch(() => undefined));
    return p;
  }

  /** After the crash: what was sent before it has landed (or not); nothing more will be. */
  async crashed(): Promise<void> {
    await this.hit;
    await Promise.all(this.settled);
  }
}

/** History that writes the first `fraction` of a batch's messages, then the process dies. */
const historyCrashingAfter = (inner: TelemetryHistory, fraction: number, crash: Crash): TelemetryHistory => ({
  appendMany: async (messages, expiresAt) => {
    const cut = Math.floor(messages.length * fraction);
    await crash.run(() => inner.appendMany(messages.slice(0, cut), expiresAt));
    return crash.run(() => inner.appendMany(messages.slice(cut), expiresAt));
  },
  range: (...args) => inner.range(...args),
});

/** A state store whose first `crash.allowed` conditional writes land, then the process dies. */
const stateCrashingAfter = (inner: DeviceStateStore, crash: Crash): DeviceStateStore => ({
  advance: (m: TelemetryMessage, at: Date) => crash.run(() => inner.advance(m, at)),
  get: (id): Promise<DeviceState | undefined> => inner.get(id),
  getMany: (ids) => inner.getMany(ids),
});

describe('a Lambda crashing mid-batch: SQS redelivers the whole batch', () => {
  let db: DynamoFixture;
  const fleet = generateFleet(10, 21);
  const ids = fleet.map((h) => h.record.deviceId);
  let counting: CountingStateStore;
  const sent: string[] = [];

  const stores = () => ({
    devices: db.stores.knownDevices(),
    history: db.stores.telemetryHistory(),
    quarantine: db.stores.quarantine(),
    clock,
  });
  /** A new container: a fresh handler on the real stores, state writes counted across every delivery. */
  const freshContainer = () => makeIngest({ ...stores(), state: counting });
  const stateOf = (id: string) => db.stores.deviceState().get(id);
  const quarantined = async (raw: string) => (await db.stores.quarantine().list('telemetry')).filter((q) => q.raw === raw);

  /** Three messages per device over `minutes`, shuffled as SQS may deliver them, plus one malformed record. */
  const batch = (firstMinute: number) => {
    const at = (m: number) => `2023-01-10T${String(8 + Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00Z`;
    const bodies = ids.flatMap((id, d) => [0, 1, 2].map((k) => telemetry(id, firstMinute + k, at(firstMinute + k), { powerW: (k + d) % 2 ? 1500 : 0, roomC: 19 + k / 2 })));
    bodies.sort((a, b) => (a.length * 31 + a.charCodeAt(40)) % 7 - (b.length * 31 + b.charCodeAt(40)) % 7);
    return [...bodies, `{"deviceId":"${ids[0]}","seq":${firstMinute},"broken"`];
  };
  const valid = (bodies: string[]) => bodies.filter((b) => !b.includes('"broken"'));

  /** The crashed invocation never answers; the test moves on once the crash has happened. */
  const crashWith = async (handler: ReturnType<typeof makeIngest>, event: SQSEvent, crash: Crash) => {
    let answered = false;
    void handler(event, lambdaContext).then(() => (answered = true));
    await crash.crashed();
    expect(answered).toBe(false);
  };

  const expectEachOnce = async (bodies: string[]) => {
    sent.push(...valid(bodies));
    expect(await historyKeys(db.stores.telemetryHistory(), ids, FROM, NOW)).toEqual(expectedKeys(sent, ids));
    for (const [id, newest] of newestOf(sent)) expect(await stateOf(id), id).toMatchObject({ seq: newest.seq, ts: newest.ts });
    expect(counting.appliedTwice()).toEqual([]);
  };

  beforeAll(async () => {
    db = await startDynamoFixture();
    await registerFleet(db.doc, db, fleet);
    counting = new CountingStateStore(db.stores.deviceState());
  });
  afterAll(async () => db?.close());

  it('dies after half the history is written: the whole batch again stores every message once and moves each state once', async () => {
    const bodies = batch(0);
    const crash = new Crash(1);
    const crashing = makeIngest({ ...stores(), history: historyCrashingAfter(stores().history, 0.5, crash), state: counting });
    await crashWith(crashing, sqsEvent(bodies), crash);
    // Half the messages are in history, no state moved yet (state writes come after history).
    const partial = [...(await historyKeys(stores().history, ids, FROM, NOW)).values()].flat();
    expect(partial.length).toBe(Math.floor((bodies.length - 1) / 2));
    expect(counting.applied.size).toBe(0);

    const out = await freshContainer()(sqsEvent(bodies), lambdaContext);
    expect(out.batchItemFailures).toEqual([]);
    await expectEachOnce(bodies);
    // The malformed record is quarantined with its reason, once: the redelivery carries the same message id.
    expect(await quarantined(bodies.at(-1)!)).toHaveLength(1);
    expect((await quarantined(bodies.at(-1)!))[0]!.reason).toMatch(/^telemetry is not valid JSON/);
  });

  it('dies after some state writes: the redelivery finds those states already moved and moves the others', async () => {
    const bodies = batch(10);
    const crash = new Crash(4);
    const crashing = makeIngest({ ...stores(), state: stateCrashingAfter(counting, crash) });
    const appliedBefore = counting.applied.size;
    await crashWith(crashing, sqsEvent(bodies), crash);
    // Four of the ten devices' states moved before the process died.
    expect(counting.applied.size - appliedBefore).toBe(4);

    const out = await freshContainer()(sqsEvent(bodies), lambdaContext);
    expect(out.batchItemFailures).toEqual([]);
    await expectEachOnce(bodies);
  });

  it('the crashed batch redelivered after a newer batch went through: states never move back', async () => {
    const older = batch(20);
    const newer = batch(30);
    const crash = new Crash(0);
    await crashWith(makeIngest({ ...stores(), history: historyCrashingAfter(stores().history, 0.5, crash), state: counting }), sqsEvent(older), crash);
    expect((await freshContainer()(sqsEvent(newer), lambdaContext)).batchItemFailures).toEqual([]);
    const afterNewer = await Promise.all(ids.map(stateOf));

    expect((await freshContainer()(sqsEvent(older), lambdaContext)).batchItemFailures).toEqual([]);
    expect(await Promise.all(ids.map(stateOf))).toEqual(afterNewer);
    await expectEachOnce([...older, ...newer]);
  });

  it('two containers given the same batch at once (its visibility timeout ran out mid-run): each message applied once', async () => {
    const bodies = batch(40);
    const [a, b] = await Promise.all([freshContainer()(sqsEvent(bodies), lambdaContext), freshContainer()(sqsEvent(bodies), lambdaContext)]);
    expect([a.batchItemFailures, b.batchItemFailures]).toEqual([[], []]);
    await expectEachOnce(bodies);
  });
});
