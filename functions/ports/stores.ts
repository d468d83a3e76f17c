import type { DeviceRecord } from '../../schemas/device.ts';
import type { PlanDocument } from '../../schemas/shadow.ts';
import type { TelemetryMessage } from '../../schemas/telemetry.ts';

export interface DeviceRegistry {
  get(deviceId: string): Promise<DeviceRecord | undefined>;
  /** The records of several devices; devices not registered are left out. */
  getMany(deviceIds: readonly string[]): Promise<DeviceRecord[]>;
  put(device: DeviceRecord): Promise<void>;
  /** Removes a record; removing one that is not there is not an error. */
  delete(deviceId: string): Promise<void>;
  listAll(): Promise<DeviceRecord[]>;
  /** Every record, a page at a time, so a fleet-wide pass never holds the whole fleet in memory. */
  pages(): AsyncIterable<DeviceRecord[]>;
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
  /** The states of several devices at once; devices with none are absent from the map. */
  getMany(deviceIds: readonly string[]): Promise<Map<string, DeviceState>>;
}

export interface TelemetryHistory {
  /**
   * Stores messages, each under its device, time and sequence, so storing one again changes nothing. Answers
   * the messages that could not be stored (the caller has them delivered again).
   */
  appendMany(messages: readonly TelemetryMessage[], expiresAt: (message: TelemetryMessage) => Date): Promise<{ failed: TelemetryMessage[]; error?: string }>;
  range(deviceId: string, from: Date, to: Date): Promise<TelemetryMessage[]>;
}

export interface StoredPlan {
  deviceId: string;
  plan: PlanDocument;
  createdAt: string;
  reason: string;
  policy: string;
  /** The grid event the plan answers, when it answers one. */
  gridEventId?: string;
}

export interface PlanStore {
  latest(deviceId: string): Promise<StoredPlan | undefined>;
  /** Given versions of several devices' plans; keyed by device id, absent when that version is not stored. */
  getMany(keys: readonly { deviceId: string; v: number }[]): Promise<Map<string, StoredPlan>>;
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
  /** False from the upsert until GridEventReceived was published for this version; absent in older records. */
  announced?: boolean;
}

export interface GridEventStore {
  /**
   * Stores an event if it is new, modified later than the stored one, or its cancellation at the same
   * modification time; anything else (a replay, an older version) is `unchanged`.
   */
  upsert(record: GridEventRecord): Promise<'new' | 'updated' | 'unchanged'>;
  get(gridEventId: string): Promise<GridEventRecord | undefined>;
  listAll(): Promise<GridEventRecord[]>;
  /** Records that this version (its modification time) was announced; a later version is left as it is. */
  markAnnounced(gridEventId: string, modifiedAt: string): Promise<void>;
}

export interface QuarantineStore {
  /**
   * Keeps a refused input with the reason, so a bad message is never silently dropped. With the id of the queued
   * message it came in (SQS), it is kept once: a redelivery of the batch after a crash files nothing new.
   */
  put(source: string, at: Date, reason: string, raw: string, messageId?: string): Promise<void>;
  list(source: string): Promise<{ at: string; reason: string; raw: string }[]>;
}

/** A lifecycle event reduced to what presence needs. */
export interface PresenceChange {
  deviceId: string;
  online: boolean;
  atMs: number;
  versionNumber: number;
  disconnectReason?: string;
}

/** What the cloud knows about a device beyond its telemetry: presence, and the plan its shadow holds. */
export interface DeviceStatus {
  deviceId: string;
  online?: boolean;
  /** The lifecycle event the presence comes from. */
  presenceAt?: string;
  lastConnectedAt?: string;
  lastDisconnectedAt?: string;
  disconnectReason?: string;
  /** The plan version in the device's `plan` shadow, and when the push that put it there finished. */
  desiredPlanV?: number;
  desiredAt?: string;
}

export interface DeviceStatusStore {
  /** Moves presence forward; `stale` when a later lifecycle event was recorded before (events arrive out of order). */
  recordPresence(change: PresenceChange): Promise<'applied' | 'stale'>;
  /** Records the plan version the shadow now holds; `stale` when a higher one was recorded before. */
  recordDesiredPlan(deviceId: string, v: number, at: Date): Promise<'applied' | 'stale'>;
  getMany(deviceIds: readonly string[]): Promise<Map<string, DeviceStatus>>;
  delete(deviceId: string): Promise<void>;
}
