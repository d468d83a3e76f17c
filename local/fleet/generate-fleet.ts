import type { DeviceRecord } from '../../schemas/device.ts';
import type { ComfortPeriod, ConfigDocument, PowerLevel } from '../../schemas/shadow.ts';
import { seededRandom } from './seeded-random.ts';

/**
 * Hashprice over the sample window (2023-01-02 … 2023-02-12), derived from the network data as block subsidy
 * per day ÷ network hash rate, averaged: 0.0709 USD per TH/s per day (fees excluded, so 2–5 % low).
 * EUR/USD 1.075 is an assumption for early 2023, not a measured rate. Revenue per kWh of compute then
 * follows from each heater's efficiency: one TH/s for a day draws efficiency × 24 / 1000 kWh.
 */
export const SAMPLE_HASHPRICE_USD_PER_TH_DAY = 0.0709;
export const ASSUMED_USD_PER_EUR = 1.075;

export const revenuePerKWhEur = (efficiencyJPerTH: number): number =>
  SAMPLE_HASHPRICE_USD_PER_TH_DAY / ((efficiencyJPerTH * 24) / 1000) / ASSUMED_USD_PER_EUR;

/** The sample's place: DK2 prices with Malmö weather (≈25 km from Copenhagen). */
export const SAMPLE_SITE = {
  zone: 'DK2',
  timezone: 'Europe/Copenhagen',
  weatherCell: { id: 'malmo', lat: 55.57, lon: 12.94 },
} as const;

/** A compute heater with a mining board in three steps and a resistive boost element that earns nothing. */
const LEVELS: PowerLevel[] = [
  { powerW: 0, computeW: 0 },
  { powerW: 400, computeW: 400 },
  { powerW: 800, computeW: 800 },
  { powerW: 1200, computeW: 1200 },
  { powerW: 2000, computeW: 1200 },
];

const SCHEDULES: ComfortPeriod[][] = [
  // home all day
  [
    { from: '06:30', minC: 20, maxC: 23 },
    { from: '22:30', minC: 17.5, maxC: 23 },
  ],
  // out during the day: a setback from 08:30 to 16:30
  [
    { from: '06:00', minC: 20.5, maxC: 23 },
    { from: '08:30', minC: 18, maxC: 23 },
    { from: '16:30', minC: 20.5, maxC: 23 },
    { from: '23:00', minC: 17, maxC: 23 },
  ],
  // a warm room kept steady
  [{ from: '00:00', minC: 21, maxC: 24 }],
];

/** Every sample heater is enrolled in one demand-response program, its sites spread over three feeders. */
export const SAMPLE_DR_PROGRAM = 'winter-flex';
const SAMPLE_FEEDERS = 3;

export interface SimulatedHeater {
  record: DeviceRecord;
  config: ConfigDocument;
  initialRoomC: number;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** `count` heaters with varied rooms, efficiencies and comfort schedules, the same for the same seed. */
export function generateFleet(count: number, seed = 1): SimulatedHeater[] {
  const random = seededRandom(seed);
  const between = (lo: number, hi: number) => lo + (hi - lo) * random();
  return Array.from({ length: count }, (_, i) => {
    const deviceId = `heater-${String(i + 1).padStart(3, '0')}`;
    const comfort = SCHEDULES[i % SCHEDULES.length]!;
    const efficiencyJPerTH = round(between(24, 38), 1);
    const record: DeviceRecord = {
      deviceId,
      siteId: `site-${String(i + 1).padStart(3, '0')}`,
      zone: SAMPLE_SITE.zone,
      weatherCellId: SAMPLE_SITE.weatherCell.id,
      weatherCell: { ...SAMPLE_SITE.weatherCell },
      timezone: SAMPLE_SITE.timezone,
      levels: LEVELS,
      room: {
        uaWPerK: round(between(35, 75), 1),
        capacityKWhPerK: round(between(1.5, 4), 2),
        otherHeatW: round(between(80, 250), 0),
      },
      comfort,
      fallback: { minC: 18, maxC: 21 },
      computeRevenuePerKWh: round(revenuePerKWhEur(efficiencyJPerTH), 4),
      safety: { maxRoomC: 27, maxChipC: 85 },
      drProgramId: SAMPLE_DR_PROGRAM,
      feederId: `F${(i % SAMPLE_FEEDERS) + 1}`,
    };
    const config: ConfigDocument = { mode: 'auto', timezone: record.timezone, comfort, safety: record.safety };
    return { record, config, initialRoomC: round(between(18.5, 21), 1) };
  });
}
