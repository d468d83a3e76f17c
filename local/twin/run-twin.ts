import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDeviceRegistry } from '../../functions/adapters/dynamodb/device-registry.ts';
import { comfortAt } from '../../functions/domain/comfort/comfort-band.ts';
import { functions } from '../../wiring/functions.ts';
import { localClient } from '../aws/dynamodb-local.ts';
import { generateFleet, SAMPLE_SITE } from '../fleet/generate-fleet.ts';
import { simulatedDeviceFor } from '../fleet/simulated-heater-device.ts';
import { startLocalStack } from '../runtime/local-stack.ts';
import type { SimulatedDevice } from '../simulator/simulated-device.ts';
import { ActualConditions } from './actual-conditions.ts';

export interface TwinOptions {
  devices: number;
  days: number;
  from: Date;
  seed: number;
  /** Called after every simulated step with the share done, for a progress display. */
  onProgress?: (done: number) => void;
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
}

export interface TwinResult {
  from: string;
  to: string;
  devices: DeviceOutcome[];
  series: TwinSeries;
  fleet: Omit<DeviceOutcome, 'deviceId' | 'meanRoomC'>;
  counts: { telemetryIngested: number; eventsDelivered: number; deadLetters: number; telemetryDeadLetters: number };
}

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

  const stack = await startLocalStack({ start: options.from });
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
    };
  } finally {
    await Promise.all(devices.map((d) => d.disconnect().catch(() => undefined)));
    await stack.close();
  }
}
