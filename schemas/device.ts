import * as z from 'zod';
import { Celsius, DeviceId, Zone } from './primitives.ts';
import { ComfortPeriod, FallbackBand, PowerLevel } from './shadow.ts';
import { Tariff } from './tariff.ts';
import { WeatherCell } from './weather-forecast.ts';

/** A name that can become part of an IoT thing group name (`[a-zA-Z0-9:_-]`, 128 at most in all). */
const GroupKey = z.string().min(1).max(64).regex(/^[a-zA-Z0-9:_-]+$/, 'letters, digits, ":", "_" and "-" only (part of an IoT thing group name)');

/** The 1R1C room model: heat loss coefficient, thermal capacity and heat from other sources. */
export const RoomModel = z
  .object({
    uaWPerK: z.number().positive().max(2000),
    capacityKWhPerK: z.number().positive().max(100),
    otherHeatW: z.number().min(0).max(10_000),
  })
  .strict();
export type RoomModel = z.infer<typeof RoomModel>;

/** A heater in the registry: where it is, what it can do, how its room behaves, what its household wants. */
export const DeviceRecord = z
  .object({
    deviceId: DeviceId,
    siteId: z.string().min(1).max(128),
    zone: Zone,
    weatherCellId: z.string().min(1).max(64),
    weatherCell: WeatherCell,
    timezone: z.string().min(1).max(64),
    levels: z.array(PowerLevel).min(1).max(16),
    room: RoomModel,
    comfort: z.array(ComfortPeriod).min(1).max(24),
    fallback: FallbackBand,
    /** Compute revenue per kWh of compute power, in the price currency, when no revenue curve is published. */
    computeRevenuePerKWh: z.number().min(0).max(10),
    safety: z.object({ maxRoomC: Celsius, maxChipC: Celsius }).strict(),
    /** The demand-response program the household enrolled in, if any; becomes the thing group `dr-<id>`. */
    drProgramId: GroupKey.optional(),
    /** The distribution feeder the site hangs on, if known; becomes the thing group `feeder-<id>`. */
    feederId: GroupKey.optional(),
    /** What the household pays on top of spot; absent: planned at spot price. */
    tariff: Tariff.optional(),
  })
  .strict();
export type DeviceRecord = z.infer<typeof DeviceRecord>;
