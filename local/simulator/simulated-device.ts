import { connectAsync, type MqttClient } from 'mqtt';
import { computePowerW } from '../../functions/domain/planning/power-levels.ts';
import { check } from '../../schemas/explain.ts';
import type { RoomModel } from '../../schemas/device.ts';
import { Capabilities, PlanDocument, type ConfigDocument, type PowerLevel } from '../../schemas/shadow.ts';
import { TELEMETRY_SCHEMA_V1, TelemetryMessage } from '../../schemas/telemetry.ts';
import { PLAN_SHADOW, parseShadowTopic, shadowTopic, telemetryTopic } from '../../wiring/topics.ts';
import { decidePower, type FirmwareDecision, type FirmwareState } from './firmware.ts';
import { SimulatedRoom } from './simulated-room.ts';

export interface SimulatedDeviceOptions {
  deviceId: string;
  /** e.g. mqtt://127.0.0.1:1883 */
  brokerUrl: string;
  levels: readonly PowerLevel[];
  /** The room's TRUE parameters. */
  room: RoomModel;
  initialRoomC: number;
  config: ConfigDocument;
  /** The band the device keeps before its first plan arrives. */
  fallback: PlanDocument['fallback'];
  /** How long settle() waits for its echo before failing; 10 s unless told. */
  settleTimeoutMs?: number;
  /** Where failures inside message handling go; console.error unless told. */
  onError?: (error: unknown) => void;
}

export interface DeviceTotals {
  energyKWh: number;
  computeKWh: number;
}

/** What the reference firmware reports as its version in the classic shadow. */
export const SIMULATOR_FIRMWARE = 'hearth-reference-sim/1';

/** Longest error text put into the reported state, which counts against the shadow's 8 KB. */
const MAX_REPORTED_ERROR_CHARS = 500;

/** A private echo topic: see settle(). */
export const pingTopic = (deviceId: string): string => `hearth/sim/${deviceId}/ping`;

/**
 * A simulated heater on MQTT, running the reference firmware against a simulated room.
 *
 * Plans arrive on the `plan` named shadow: `update/delta` (state = the changed fields), `update/documents`
 * (current.state.desired) and `get/accepted` (state.desired, the answer to the `get` published on every
 * connect, so a device that was offline catches up). Versions only move forward: a plan whose `v` is not
 * above the one held is ignored, which also absorbs the duplicates the three topics deliver. A delta without
 * `v` carries no new plan (desired and reported agree on `v`) and is ignored too.
 *
 * A newer plan is validated with the PlanDocument schema. Valid: it is adopted and `{ v }` is reported (with
 * `error: null`, which deletes the field, when a rejection was outstanding). Invalid: the held plan stays,
 * and `{ v: <held v, 0 when none>, error: '<why>' }` is reported once per rejected document.
 *
 * Message handlers run one at a time, in arrival order, through a promise chain.
 */
export class SimulatedDevice {
  readonly deviceId: string;
  private readonly options: SimulatedDeviceOptions;
  private readonly room: SimulatedRoom;
  private client: MqttClient | undefined;
  private inbox: Promise<void> = Promise.resolve();
  private readonly pendingPings = new Map<string, { resolve: () => void; reject: (error: Error) => void }>();
  private pingCounter = 0;
  private heldPlan: PlanDocument | undefined;
  /** The last refused offer, as JSON: refusing it again would feed the loop report → documents → report. */
  private rejectedOffer: string | undefined;
  private rejectionOutstanding = false;
  private firmwareState: FirmwareState = { heating: false };
  private seq = 0;
  private energyKWh = 0;
  private computeKWh = 0;
  private lastDecisionMade: FirmwareDecision | undefined;

  constructor(options: SimulatedDeviceOptions) {
    this.options = options;
    this.deviceId = options.deviceId;
    this.room = new SimulatedRoom(options.room, options.initialRoomC);
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  get plan(): PlanDocument | undefined {
    return this.heldPlan;
  }

  get totals(): DeviceTotals {
    return { energyKWh: this.energyKWh, computeKWh: this.computeKWh };
  }

  get roomC(): number {
    return this.room.roomC;
  }

  get chipC(): number {
    return this.room.chipC;
  }

  get lastDecision(): FirmwareDecision | undefined {
    return this.lastDecisionMade;
  }

  /**
   * Connects with a clean session, subscribes to the plan shadow, asks for the current plan and reports its
   * capabilities (power levels, firmware) in the classic shadow.
   */
  async connect(): Promise<void> {
    if (this.client) throw new Error(`device ${this.deviceId} is already connected`);
    // Reconnecting is the caller's decision (reconnect()), so the client keeps no retry timer of its own.
    const client = await connectAsync(
      this.options.brokerUrl,
      { clientId: this.deviceId, protocolVersion: 4, clean: true, reconnectPeriod: 0, connectTimeout: 10_000 },
      false,
    );
    // Small MQTT packets on loopback otherwise wait on Nagle's algorithm and delayed ACKs (≈40 ms each).
    (client.stream as { setNoDelay?: (noDelay: boolean) => void }).setNoDelay?.(true);
    client.on('message', (topic, payload) => this.enqueue(client, topic, payload));
    client.on('error', (error) => this.reportError(error));
    client.on('close', () => this.onClose(client));
    this.client = client;
    const planTopic = (op: 'update' | 'get', response: 'delta' | 'documents' | 'accepted') => shadowTopic(this.deviceId, PLAN_SHADOW, op, response);
    await client.subscribeAsync({
      [planTopic('update', 'delta')]: { qos: 1 },
      [planTopic('update', 'documents')]: { qos: 1 },
      [planTopic('get', 'accepted')]: { qos: 1 },
      [pingTopic(this.deviceId)]: { qos: 1 },
    });
    await client.publishAsync(shadowTopic(this.deviceId, PLAN_SHADOW, 'get'), '{}', { qos: 1 });
    const capabilities = Capabilities.parse({ levels: this.options.levels, firmware: SIMULATOR_FIRMWARE });
    await client.publishAsync(shadowTopic(this.deviceId, undefined, 'update'), JSON.stringify({ state: { reported: capabilities } }), { qos: 1 });
  }

  /** Finishes the messages already received, then closes the session; nothing is left running. */
  async disconnect(): Promise<void> {
    const client = this.client;
    if (!client) return;
    client.removeAllListeners('message');
    await this.inbox;
    this.client = undefined;
    this.failPendingPings(new Error(`device ${this.deviceId} disconnected`));
    await client.endAsync();
    client.removeAllListeners();
  }

  async reconnect(): Promise<void> {
    await this.disconnect();
    await this.connect();
  }

  /**
   * Resolves once every message the broker delivered to this device before the call has been handled, so a
   * runtime on a virtual clock can move time on. It publishes a nonce to its own echo topic: the broker
   * delivers to one client in order, and handlers run in order, so the echo is handled after all of them.
   */
  async settle(): Promise<void> {
    const client = this.requireClient();
    const nonce = `${++this.pingCounter}`;
    const timeoutMs = this.options.settleTimeoutMs ?? 10_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const echoed = new Promise<void>((resolve, reject) => {
      this.pendingPings.set(nonce, { resolve, reject });
      timer = setTimeout(() => {
        this.pendingPings.delete(nonce);
        reject(new Error(`device ${this.deviceId}: no echo within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    try {
      await client.publishAsync(pingTopic(this.deviceId), nonce, { qos: 1 });
      await echoed;
    } finally {
      clearTimeout(timer);
      this.pendingPings.delete(nonce);
    }
  }

  /**
   * One interval of `dtHours` from `nowUtc`: the firmware decides on the room and chip temperatures measured at
   * `nowUtc`, that power is held while the room moves to the end of the interval, and one telemetry message
   * describing `nowUtc` (measurements and the power chosen) is published. Stamping the start keeps `ts` from
   * running ahead of the caller's clock. Offline, the device still heats; the message is returned, not sent.
   */
  async step(nowUtc: Date, outdoorC: number, dtHours: number): Promise<TelemetryMessage> {
    const measuredRoomC = this.room.roomC;
    const measuredChipC = this.room.chipC;
    const decision = decidePower({
      now: nowUtc,
      ...(this.heldPlan ? { plan: this.heldPlan } : {}),
      config: this.options.config,
      fallback: this.options.fallback,
      levels: this.options.levels,
      roomC: measuredRoomC,
      chipC: measuredChipC,
      state: this.firmwareState,
    });
    this.firmwareState = decision.state;
    this.lastDecisionMade = decision;
    const computeW = computePowerW(this.options.levels, decision.powerW);
    this.room.advance(decision.powerW, outdoorC, dtHours);
    this.energyKWh += (decision.powerW / 1000) * dtHours;
    this.computeKWh += (computeW / 1000) * dtHours;

    const message = TelemetryMessage.parse({
      schema: TELEMETRY_SCHEMA_V1,
      deviceId: this.deviceId,
      seq: this.seq++,
      ts: nowUtc.toISOString(),
      roomC: round(measuredRoomC, 3),
      powerW: decision.powerW,
      computeW,
      outdoorC: round(outdoorC, 2),
      chipC: round(measuredChipC, 2),
      ...(decision.appliedPlanVersion !== undefined ? { planVersion: decision.appliedPlanVersion } : {}),
      mode: decision.mode,
    });
    if (this.client?.connected) await this.client.publishAsync(telemetryTopic(this.deviceId), JSON.stringify(message), { qos: 1 });
    return message;
  }

  private enqueue(client: MqttClient, topic: string, payload: Buffer): void {
    this.inbox = this.inbox.then(() => this.handle(client, topic, payload)).catch((error: unknown) => this.reportError(error));
  }

  private async handle(client: MqttClient, topic: string, payload: Buffer): Promise<void> {
    const text = payload.toString('utf8');
    if (topic === pingTopic(this.deviceId)) {
      this.pendingPings.get(text)?.resolve();
      return;
    }
    const shadow = parseShadowTopic(topic);
    if (!shadow || shadow.shadowName !== PLAN_SHADOW) return;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      this.reportError(new Error(`device ${this.deviceId}: ${topic} carried no JSON`));
      return;
    }
    const offered = offeredPlan(shadow.response, body);
    if (offered !== undefined) await this.consider(client, offered);
  }

  private async consider(client: MqttClient, offered: Record<string, unknown>): Promise<void> {
    const heldV = this.heldPlan?.v ?? 0;
    const v = offered['v'];
    if (typeof v === 'number' && v <= heldV) return;
    const fingerprint = JSON.stringify(offered);
    if (fingerprint === this.rejectedOffer) return;
    const checked = check(PlanDocument, offered);
    if (checked.ok) {
      this.heldPlan = checked.value;
      this.rejectedOffer = undefined;
      await this.reportPlanState(client, { v: checked.value.v, ...(this.rejectionOutstanding ? { error: null } : {}) });
      this.rejectionOutstanding = false;
    } else {
      this.rejectedOffer = fingerprint;
      this.rejectionOutstanding = true;
      const error = `plan ${typeof v === 'number' ? `v${v} ` : ''}rejected: ${checked.error}`.slice(0, MAX_REPORTED_ERROR_CHARS);
      await this.reportPlanState(client, { v: heldV, error });
    }
  }

  private async reportPlanState(client: MqttClient, reported: { v: number; error?: string | null }): Promise<void> {
    await client.publishAsync(shadowTopic(this.deviceId, PLAN_SHADOW, 'update'), JSON.stringify({ state: { reported } }), { qos: 1 });
  }

  private onClose(client: MqttClient): void {
    if (this.client !== client) return;
    // The broker went away; without a retry timer this client is finished, so free it for reconnect().
    this.client = undefined;
    this.failPendingPings(new Error(`device ${this.deviceId} lost its connection`));
    client.end(true);
  }

  private failPendingPings(error: Error): void {
    for (const ping of this.pendingPings.values()) ping.reject(error);
    this.pendingPings.clear();
  }

  private requireClient(): MqttClient {
    if (!this.client) throw new Error(`device ${this.deviceId} is not connected`);
    return this.client;
  }

  private reportError(error: unknown): void {
    (this.options.onError ?? console.error)(error);
  }
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The plan a shadow message offers, by where each response topic keeps it; undefined when it offers none. */
function offeredPlan(response: string | undefined, body: unknown): Record<string, unknown> | undefined {
  if (!isObject(body)) return undefined;
  let offered: unknown;
  if (response === 'delta') {
    offered = body['state'];
    if (isObject(offered) && !('v' in offered)) return undefined;
  } else if (response === 'documents') {
    const current = body['current'];
    offered = isObject(current) && isObject(current['state']) ? current['state']['desired'] : undefined;
  } else if (response === 'accepted') {
    offered = isObject(body['state']) ? body['state']['desired'] : undefined;
  }
  return isObject(offered) ? offered : undefined;
}

function round(x: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(x * scale) / scale;
}
