/**
 * Every DynamoDB table, described once. `lib/` turns these into CDK tables, `local/` into CreateTable calls,
 * and handlers find a table's name in the environment variable `envVar`.
 */
export type KeyType = 'S' | 'N';
export interface KeyAttribute {
  readonly name: string;
  readonly type: KeyType;
}
export interface GlobalIndex {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
}
export interface TableSpec {
  readonly id: string;
  readonly envVar: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly globalIndexes?: readonly GlobalIndex[];
  /** Attribute holding an epoch-seconds expiry; DynamoDB deletes the item some time after it. */
  readonly ttlAttribute?: string;
  readonly purpose: string;
}

const deviceId: KeyAttribute = { name: 'deviceId', type: 'S' };

export const tables = {
  devices: {
    id: 'Devices',
    envVar: 'TABLE_DEVICES',
    partitionKey: deviceId,
    globalIndexes: [
      { indexName: 'byZone', partitionKey: { name: 'zone', type: 'S' }, sortKey: deviceId },
      { indexName: 'byWeatherCell', partitionKey: { name: 'weatherCellId', type: 'S' }, sortKey: deviceId },
    ],
    purpose: 'registry: site, price zone, weather cell, power levels, room model, comfort',
  },
  deviceState: {
    id: 'DeviceState',
    envVar: 'TABLE_DEVICE_STATE',
    partitionKey: deviceId,
    purpose: 'latest telemetry per device, rewritten on a material change or every 5 minutes of device time; only moves forward',
  },
  deviceStatus: {
    id: 'DeviceStatus',
    envVar: 'TABLE_DEVICE_STATUS',
    partitionKey: deviceId,
    purpose: "presence (online, last connect and disconnect) and the plan version held in each device's shadow; each part moves forward on its own",
  },
  telemetryHistory: {
    id: 'TelemetryHistory',
    envVar: 'TABLE_TELEMETRY_HISTORY',
    partitionKey: deviceId,
    sortKey: { name: 'at', type: 'S' },
    ttlAttribute: 'expiresAt',
    purpose: 'telemetry history for room-model fitting and measurement & verification',
  },
  plans: {
    id: 'Plans',
    envVar: 'TABLE_PLANS',
    partitionKey: deviceId,
    sortKey: { name: 'v', type: 'N' },
    ttlAttribute: 'expiresAt',
    purpose: 'every plan computed for a device, by version',
  },
  marketData: {
    id: 'MarketData',
    envVar: 'TABLE_MARKET_DATA',
    partitionKey: { name: 'series', type: 'S' },
    sortKey: { name: 'day', type: 'S' },
    ttlAttribute: 'expiresAt',
    purpose: 'price curves, weather forecasts and compute revenue, one item per series and UTC day',
  },
  gridEvents: {
    id: 'GridEvents',
    envVar: 'TABLE_GRID_EVENTS',
    partitionKey: { name: 'gridEventId', type: 'S' },
    purpose: 'demand-response events as received, by id; modification time only moves forward',
  },
  quarantine: {
    id: 'Quarantine',
    envVar: 'TABLE_QUARANTINE',
    partitionKey: { name: 'source', type: 'S' },
    sortKey: { name: 'at', type: 'S' },
    ttlAttribute: 'expiresAt',
    purpose: 'inputs refused, with the reason and the raw body, so nothing is silently dropped',
  },
  venState: {
    id: 'VenState',
    envVar: 'TABLE_VEN_STATE',
    partitionKey: { name: 'stateKey', type: 'S' },
    ttlAttribute: 'expiresAt',
    purpose: "the VEN's memory of the utility VTN: subscriptions, when it last notified or was polled, each event's report",
  },
  idempotency: {
    id: 'Idempotency',
    envVar: 'TABLE_IDEMPOTENCY',
    // Key and expiry attributes as Powertools' idempotency utility writes them.
    partitionKey: { name: 'id', type: 'S' },
    ttlAttribute: 'expiration',
    purpose: 'EventBridge events a handler has handled, by event id, so a redelivery is answered without handling it again',
  },
} as const satisfies Record<string, TableSpec>;

export type TableKey = keyof typeof tables;
