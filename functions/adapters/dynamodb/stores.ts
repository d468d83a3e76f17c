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

/** Each store on first use, on the table the environment names, so a handler builds only what it touches. */
export const dynamoStores = {
  devices: () => new DynamoDeviceRegistry(getDocumentClient(), tableName('devices')),
  knownDevices: () => new DynamoKnownDevices(getDocumentClient(), tableName('devices')),
  deviceState: () => new DynamoDeviceStateStore(getDocumentClient(), tableName('deviceState')),
  deviceStatus: () => new DynamoDeviceStatusStore(getDocumentClient(), tableName('deviceStatus')),
  telemetryHistory: () => new DynamoTelemetryHistory(getDocumentClient(), tableName('telemetryHistory')),
  plans: () => new DynamoPlanStore(getDocumentClient(), tableName('plans')),
  marketData: () => new DynamoMarketDataStore(getDocumentClient(), tableName('marketData')),
  gridEvents: () => new DynamoGridEventStore(getDocumentClient(), tableName('gridEvents')),
  quarantine: () => new DynamoQuarantineStore(getDocumentClient(), tableName('quarantine')),
};
