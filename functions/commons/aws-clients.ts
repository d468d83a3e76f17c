import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { IoTClient } from '@aws-sdk/client-iot';
import { IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * One client of each kind per container, created on first use. Endpoints come from the SDK's standard
 * configuration (AWS_ENDPOINT_URL_DYNAMODB, …), so the same code reaches AWS or the local stand-ins.
 */
let documentClient: DynamoDBDocumentClient | undefined;
let eventBridge: EventBridgeClient | undefined;
let iotData: IoTDataPlaneClient | undefined;
let iot: IoTClient | undefined;

export function getDocumentClient(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return documentClient;
}

export function getEventBridge(): EventBridgeClient {
  eventBridge ??= new EventBridgeClient({});
  return eventBridge;
}

/** Without the SDK's retries: the shadow writer retries with its own backoff and pacing (see IotShadowWriter). */
export function getIotData(): IoTDataPlaneClient {
  iotData ??= new IoTDataPlaneClient({ maxAttempts: 1 });
  return iotData;
}

export function getIot(): IoTClient {
  iot ??= new IoTClient({});
  return iot;
}
