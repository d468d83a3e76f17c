import type { DeviceRecord } from '../../schemas/device.ts';
import type { PlanDocument } from '../../schemas/shadow.ts';
import type { TelemetryMessage } from '../../schemas/telemetry.ts';

export interface DeviceRegistry {
  get(deviceId: string): Promise<DeviceRecord | undefined>;
  put(device: DeviceRecord): Promise<void>;
  listAll(): Promise<DeviceRecord[]>;
  listByZone(zone: string): Promise<DeviceRecord[]>;
  listByWeatherCell(cellId: string): Promise<DeviceRecord[]>;
}

export interface DeviceState extends TelemetryMessage {
  receivedAt: string;
}

export interface DeviceStateStore {
  /** Moves a device's latest state forward; `stale` when a newer or equal message was applied before. */
  advance(message: TelemetryMessage, receivedAt: Date): Promise<'applied' | 'stale'>;
  get(deviceId: string): Promise<DeviceState | undefined>;
}

export interface TelemetryHistory {
  /** Appends a message once; `duplicate` when the same device, time and sequence was stored before. */
  append(message: TelemetryMessage, expiresAt: Date): Promise<'stored' | 'duplicate'>;
  range(deviceId: string, from: Date, to: Date): Promise<TelemetryMessage[]>;
}

export interface StoredPlan {
  deviceId: string;
  plan: PlanDocument;
  createdAt: string;
  reason: string;
  policy: string;
}

export interface PlanStore {
  latest(deviceId: string): Promise<StoredPlan | undefined>;
  /** Stores a new version; `exists` when that version was stored before (a retried delivery). */
  put(plan: StoredPlan, expiresAt: Date): Promise<'stored' | 'exists'>;
}

/** A day of one series (prices of a zone, forecast of a cell), with a hash of its content. */
export interface MarketDay<T> {
  series: string;
  day: string;
  hash: string;
  updatedAt: string;
  payload: T;
}

export interface MarketDataStore {
  /** Stores a day unless the same content is there; says whether it was new, changed or unchanged. */
  putDay<T>(day: MarketDay<T>, expiresAt?: Date): Promise<'new' | 'changed' | 'unchanged'>;
  getDays<T>(series: string, fromDay: string, toDay: string): Promise<MarketDay<T>[]>;
}

export interface GridEventRecord {
  gridEventId: string;
  programId: string;
  modifiedAt: string;
  cancelled: boolean;
  receivedAt: string;
  /** The event as the utility sent it (normalised JSON). */
  event: Record<string, unknown>;
}

export interface GridEventStore {
  /** Stores an event if it is new or modified later than the stored one. */
  upsert(record: GridEventRecord): Promise<'new' | 'updated' | 'unchanged'>;
  get(gridEventId: string): Promise<GridEventRecord | undefined>;
  listAll(): Promise<GridEventRecord[]>;
}

export interface QuarantineStore {
  /** Keeps a refused input with the reason, so a bad message is never silently dropped. */
  put(source: string, at: Date, reason: string, raw: string): Promise<void>;
  list(source: string): Promise<{ at: string; reason: string; raw: string }[]>;
}
