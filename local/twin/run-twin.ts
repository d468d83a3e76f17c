import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDeviceRegistry } from '../../functions/adapters/dynamodb/device-registry.ts';
import { comfortAt } from '../../functions/domain/comfort/comfort-band.ts';
import { functions, OPENADR_CALLBACK_PATH } from '../../wiring/functions.ts';
import { localClient } from '../aws/dynamodb-local.ts';
import { generateFleet, SAMPLE_SITE } from '../fleet/generate-fleet.ts';
import { simulatedDeviceFor } from '../fleet/simulated-heater-device.ts';
import { startLocalStack } from '../runtime/local-stack.ts';
import type { SimulatedDevice } from '../simulator/simulated-device.ts';
import { apiGatewayEvent } from '../runtime/api-gateway-event.ts';
import { ActualConditions } from './actual-conditions.ts';
import { notificationOf, openAdrEventOf, type TwinDrEvent } from './dr-scenario.ts';

export interface TwinOptions {
  devices: number;
  days: number;
  from: Date;
  seed: number;
  /** Called after every simulated step with the share done, for a progress display. */
  onProgress?: (done: number) => void;
  /** A DR event a utility notifies during the run, through the DR webhook as its VTN would. */
  drEvent?: TwinDrEvent;
}

/** How the fleet met the DR event, measured on the simulated heaters (fleet draw in kW, mean over each span). */
export interface TwinDrOutcome {
  gridEventId: string;
  postedAt: string;
  window: { start: string; end: string };
  webhookStatus: number;
  /** The two hours before the window (pre-heat), the window, and the two hours after (the return). */
  fleetKW: { before: number; during: number; after: number };
  /** Highest fleet draw in the two hours after the window, and in the two hours before it. */
  peakKW: { before: number; after: number };
  /** K·h outside the comfort bands, fleet total, from two hours before the window to three hours after. */
  discomfortKh: number;
  /** The report the VEN posted to the utility's VTN after the event, summed by payload type; absent if none was posted. */
  report?: { resources: string[]; intervals: number; totals: Record<string, number> };
}

export interface DeviceOutcome {
  deviceId: string;
  energyKWh: number;
  energyCostEur: number;
  computeRevenueEur: number;
  netCostEur: number;
  discomfortKh: number;
  meanRoomC: number;
}

/** Per-step series for charts: the step's start time, and each device's state at the step's end. */
export interface TwinSeries {
  times: number[];
  priceEurPerMWh: number[];
  outdoorC: number[];
  devices: { deviceId: string; roomC: number[]; minC: number[]; maxC: number[]; powerW: number[] }[];
  /** Demand-response windows (epoch ms), for charts. */
  drWindows: { start: number; end: number }[];
}

export interface TwinResult {
  from: string;
  to: string;
  devices: DeviceOutcome[];
  series: TwinSeries;
  fleet: Omit<DeviceOutcome, 'deviceId' | 'meanRoomC'>;
  counts: { telemetryIngested: number; eventsDelivered: number; deadLetters: number; telemetryDeadLetters: number };
  dr?: TwinDrOutcome;
}

/** The bearer token the twin's utility presents on the local DR webhook. */
const TWIN_DR_TOKEN = 'twin-utility-token-0123456789';

const STEP_MS = 15 * 60_000;
const STEP_HOURS = 0.25;

/** The schedule inputs of the wiring, so the twin's first fetch asks exactly what the schedules will. */
const scheduleInput = (fn: 'fetchPrices' | 'fetchWeather') => {
  const trigger = functions[fn].triggers[0];
  return trigger.schedules[0].input;
};

/**
 * The local fleet twin: the whole stack on loopback, simulated heaters on MQTT, and the sample's real prices
 * and weather replayed on a virtual clock. Every 15 minutes: the schedules due fire (fetchers, hourly replan)
 * and their events run through the bus to the shadows; devices take in their plans; then each device runs
 * its firmware for the step, its room moves with the real outdoor temperature, and its telemetry goes
 * through the ingest handler. The bill is spot price × energy; revenue is compute energy × the device's rate.
 */
export async function runTwin(options: TwinOptions): Promise<TwinResult> {
  const actual = new ActualConditions(SAMPLE_SITE.zone);
  const fromMs = options.from.getTime();
  const endMs = fromMs + options.days * 86_400_000;
  if (fromMs % STEP_MS !== 0) throw new Error('--from must fall on a 15-minute boundary');
  if (fromMs < actual.firstMs + 86_400_000 || endMs > actual.endMs) {
    throw new Error(
      `the window ${options.from.toISOString()} + ${options.days} d must lie inside the sample, from a day after ${new Date(actual.firstMs).toISOString()} to ${new Date(actual.endMs).toISOString()}`,
    );
  }

  const dr = options.drEvent;
  if (dr && (dr.postedAt.getTime() < fromMs || dr.start.getTime() + dr.durationMinutes * 60_000 > endMs || dr.postedAt >= dr.start)) {
    throw new Error('the DR event must be posted during the run, before it starts, and end before the run does');
  }
  const stack = await startLocalStack({ start: options.from, drToken: TWIN_DR_TOKEN, ...(dr ? { vtn: { programs: [dr.programId] } } : {}) });
  const fleet = generateFleet(options.devices, options.seed);
  const devices: SimulatedDevice[] = [];
  try {
    const doc = DynamoDBDocumentClient.from(localClient(stack.dynamo.endpoint));
    const registry = new DynamoDeviceRegistry(doc, stack.dynamo.tableNames.devices);
    for (const heater of fleet) await registry.put(heater.record);
    doc.destroy();

    for (const heater of fleet) {
      const device = simulatedDeviceFor(heater, stack.brokerUrl);
      await device.connect();
      devices.push(device);
    }
    await stack.flushPresence();

    const settle = async () => {
      await stack.flushShadows();
      await Promise.all(devices.map((d) => d.settle()));
    };

    // A fresh deployment fetches once and plans every device before the schedules take over.
    await stack.invoke('fetchPrices', scheduleInput('fetchPrices'));
    await stack.invoke('fetchWeather', scheduleInput('fetchWeather'));
    await stack.bus.drain();
    await stack.invoke('planDevices', { reason: 'startup' });
    await stack.bus.drain();
    await settle();

    const outcomes = fleet.map((h) => ({
      deviceId: h.record.deviceId,
      energyKWh: 0,
      energyCostEur: 0,
      computeRevenueEur: 0,
      netCostEur: 0,
      discomfortKh: 0,
      roomSum: 0,
    }));
    const series: TwinSeries = {
      times: [],
      priceEurPerMWh: [],
      outdoorC: [],
      devices: fleet.map((h) => ({ deviceId: h.record.deviceId, roomC: [], minC: [], maxC: [], powerW: [] })),
      drWindows: dr ? [{ start: dr.start.getTime(), end: dr.start.getTime() + dr.durationMinutes * 60_000 }] : [],
    };
    let webhookStatus: number | undefined;
    const postEvent = async (at: Date) => {
      // The utility's VTN holds the event (the VEN would find it there if the webhook failed) and notifies us.
      stack.vtn?.putEvent(openAdrEventOf(dr!));
      const response = (await stack.invoke(
        'drWebhook',
        apiGatewayEvent({
          method: 'POST',
          url: OPENADR_CALLBACK_PATH,
          headers: { authorization: `Bearer ${TWIN_DR_TOKEN}`, 'content-type': 'application/json' },
          body: notificationOf(dr!),
          at,
        }),
      )) as { statusCode: number; body: string };
      if (response.statusCode !== 200) throw new Error(`the DR webhook refused the twin's event: ${response.statusCode} ${response.body}`);
      webhookStatus = response.statusCode;
      await stack.bus.drain();
      await settle();
    };
    const steps = Math.round((endMs - fromMs) / STEP_MS);
    for (let i = 0; i < steps; i++) {
      const t = new Date(fromMs + i * STEP_MS);
      if (i > 0) {
        const previous = stack.clock.now();
        stack.clock.set(t);
        await stack.runSchedules(previous, t);
        await settle();
      }
      if (dr && webhookStatus === undefined && t >= dr.postedAt) await postEvent(t);
      const outdoorC = actual.outdoorC(t);
      const price = actual.priceEurPerKWh(t);
      const stepEnd = new Date(t.getTime() + STEP_MS);
      series.times.push(t.getTime());
      series.priceEurPerMWh.push(price * 1000);
      series.outdoorC.push(outdoorC);
      await Promise.all(
        devices.map(async (device, k) => {
          const before = device.totals;
          await device.step(t, outdoorC, STEP_HOURS);
          const after = device.totals;
          const o = outcomes[k]!;
          const heater = fleet[k]!.record;
          const kWh = after.energyKWh - before.energyKWh;
          o.energyKWh += kWh;
          o.energyCostEur += kWh * price;
          o.computeRevenueEur += (after.computeKWh - before.computeKWh) * heater.computeRevenuePerKWh;
          const band = comfortAt(heater.comfort, heater.timezone, stepEnd);
          o.discomfortKh += (Math.max(0, band.minC - device.roomC) + Math.max(0, device.roomC - band.maxC)) * STEP_HOURS;
          o.roomSum += device.roomC;
          const trace = series.devices[k]!;
          trace.roomC.push(device.roomC);
          trace.minC.push(band.minC);
          trace.maxC.push(band.maxC);
          trace.powerW.push((kWh / STEP_HOURS) * 1000);
        }),
      );
      await Promise.all(devices.map((d) => d.settle()));
      await stack.flushTelemetry();
      options.onProgress?.((i + 1) / steps);
    }

    const devicesOut: DeviceOutcome[] = outcomes.map(({ roomSum, ...o }) => ({
      ...o,
      netCostEur: o.energyCostEur - o.computeRevenueEur,
      meanRoomC: roomSum / steps,
    }));
    const sum = (k: 'energyKWh' | 'energyCostEur' | 'computeRevenueEur' | 'netCostEur' | 'discomfortKh') =>
      devicesOut.reduce((s, d) => s + d[k], 0);
    return {
      from: options.from.toISOString(),
      to: new Date(endMs).toISOString(),
      devices: devicesOut,
      series,
      fleet: {
        energyKWh: sum('energyKWh'),
        energyCostEur: sum('energyCostEur'),
        computeRevenueEur: sum('computeRevenueEur'),
        netCostEur: sum('netCostEur'),
        discomfortKh: sum('discomfortKh'),
      },
      counts: {
        telemetryIngested: stack.telemetry.received,
        eventsDelivered: stack.bus.delivered,
        deadLetters: stack.bus.deadLetters.length,
        telemetryDeadLetters: stack.telemetryDeadLetters.length,
      },
      ...(dr && webhookStatus !== undefined ? { dr: { ...drOutcome(dr, webhookStatus, series), ...reportOf(stack.vtn?.reports ?? [], dr.gridEventId) } } : {}),
    };
  } finally {
    await Promise.all(devices.map((d) => d.disconnect().catch(() => undefined)));
    await stack.close();
  }
}

/** The fleet's measured draw and comfort around the event, from the run's per-step series. */
function drOutcome(event: TwinDrEvent, webhookStatus: number, series: TwinSeries): TwinDrOutcome {
  const start = event.start.getTime();
  const end = start + event.durationMinutes * 60_000;
  const fleetKW = series.times.map((_, i) => series.devices.reduce((s, d) => s + d.powerW[i]!, 0) / 1000);
  const stepsIn = (from: number, to: number) => series.times.flatMap((t, i) => (t >= from && t < to ? [i] : []));
  const mean = (idx: number[]) => (idx.length ? idx.reduce((s, i) => s + fleetKW[i]!, 0) / idx.length : 0);
  const max = (idx: number[]) => Math.max(0, ...idx.map((i) => fleetKW[i]!));
  const twoHours = 2 * 3_600_000;
  const before = stepsIn(start - twoHours, start);
  const after = stepsIn(end, end + twoHours);
  const around = stepsIn(start - twoHours, end + 1.5 * twoHours);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  let discomfort = 0;
  for (const d of series.devices) {
    for (const i of around) discomfort += (Math.max(0, d.minC[i]! - d.roomC[i]!) + Math.max(0, d.roomC[i]! - d.maxC[i]!)) * STEP_HOURS;
  }
  return {
    gridEventId: event.gridEventId,
    postedAt: event.postedAt.toISOString(),
    window: { start: new Date(start).toISOString(), end: new Date(end).toISOString() },
    webhookStatus,
    fleetKW: { before: round(mean(before)), during: round(mean(stepsIn(start, end))), after: round(mean(after)) },
    peakKW: { before: round(max(before)), after: round(max(after)) },
    discomfortKh: round(discomfort),
  };
}

/** The VEN's report of the event as the VTN received it, its values summed per payload type. */
function reportOf(reports: readonly Record<string, unknown>[], gridEventId: string): Pick<TwinDrOutcome, 'report'> {
  const report = reports.find((r) => r.eventID === gridEventId);
  if (!report) return {};
  const resources = (report.resources ?? []) as { resourceName: string; intervals?: { payloads?: { type: string; values: unknown[] }[] }[] }[];
  const totals: Record<string, number> = {};
  let intervals = 0;
  for (const resource of resources) {
    for (const interval of resource.intervals ?? []) {
      intervals++;
      for (const payload of interval.payloads ?? []) {
        const sum = payload.values.reduce<number>((s, v) => s + (typeof v === 'number' ? v : 0), 0);
        if (payload.values.some((v) => typeof v === 'number')) totals[payload.type] = Math.round(((totals[payload.type] ?? 0) + sum) * 1000) / 1000;
      }
    }
  }
  return { report: { resources: resources.map((r) => r.resourceName), intervals, totals } };
}
