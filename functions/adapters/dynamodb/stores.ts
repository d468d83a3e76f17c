import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TableKey } from '../../../wiring/tables.ts';
import { getDocumentClient } from '../../commons/aws-clients.ts';
import { tableName } from '../../commons/environment.ts';
import { DynamoDeviceRegistry } from './device-registry.ts';
import { DynamoDeviceStateStore } from './device-state-store.ts';
import { DynamoDeviceStatusStore } from './device-status-store.ts';
import { DynamoGridEventStore } from './grid-event-store.ts';
import { DynamoKnownDevices } from './known-devices.ts';
import { DynamoMarketDataStore } from './market-data-store.ts';
import { DynamoPlanStore } from './plan-store.ts';
import { DynamoQuarantineStore } from './quarantine-store.ts';
import { DynamoTelemetryHistory } from './telemetry-history.ts';

/** Every store on one client, each on the table `table` names; built when asked for. */
export function storesOn(client: () => DynamoDBDocumentClient, table: (key: TableKey) => string) {
  return {
    devices: () => new DynamoDeviceRegistry(client(), table('devices')),
    knownDevices: () => new DynamoKnownDevices(client(), table('devices')),
    deviceState: () => new DynamoDeviceStateStore(client(), table('deviceState')),
    deviceStatus: () => new DynamoDeviceStatusStore(client(), table('deviceStatus')),
    telemetryHistory: () => new DynamoTelemetryHistory(client(), table('telemetryHistory')),
    plans: () => new DynamoPlanStore(client(), table('plans')),
    marketData: () => new DynamoMarketDataStore(client(), table('marketData')),
    gridEvents: () => new DynamoGridEventStore(client(), table('gridEvents')),
    quarantine: () => new DynamoQuarantineStore(client(), table('quarantine')),
  };
}

/** Each store on first use, on the table the environment names, so a handler builds only what it touches. */
export const dynamoStores = storesOn(getDocumentClient, tableName);
