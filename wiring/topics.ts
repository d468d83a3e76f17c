/**
 * MQTT topics, described once: devices, the IoT rule, the local broker and the shadow service read them here.
 * Devices publish telemetry on a Basic Ingest topic (`$aws/rules/<rule>/…`), which goes straight to the rule
 * without a message-broker charge; the rule's SQL sees the topic without that prefix.
 */
export const TELEMETRY_RULE_NAME = 'hearth_telemetry';
export const TELEMETRY_RULE_TOPIC_FILTER = 'devices/+/telemetry';

export const telemetryTopic = (deviceId: string): string => `$aws/rules/${TELEMETRY_RULE_NAME}/devices/${deviceId}/telemetry`;

/**
 * AWS IoT publishes a lifecycle event when a client connects or disconnects; a rule reads them from these
 * reserved topics (`+` twice: the event type, then the client id, which for a device is its thing name).
 */
export const PRESENCE_RULE_NAME = 'hearth_presence';
export const PRESENCE_TOPIC_FILTER = '$aws/events/presence/+/+';
export type PresenceEventType = 'connected' | 'disconnected';
export const presenceTopic = (eventType: PresenceEventType, clientId: string): string => `$aws/events/presence/${eventType}/${clientId}`;

export const PLAN_SHADOW = 'plan';
export const CONFIG_SHADOW = 'config';

export type ShadowOperation = 'update' | 'get' | 'delete';
export type ShadowResponse = 'accepted' | 'rejected' | 'delta' | 'documents';

/** `$aws/things/<thing>/shadow[/name/<shadow>]` — the classic shadow has no name. */
export const shadowTopicBase = (thingName: string, shadowName?: string): string =>
  shadowName ? `$aws/things/${thingName}/shadow/name/${shadowName}` : `$aws/things/${thingName}/shadow`;

export const shadowTopic = (thingName: string, shadowName: string | undefined, op: ShadowOperation, response?: ShadowResponse): string =>
  `${shadowTopicBase(thingName, shadowName)}/${op}${response ? `/${response}` : ''}`;

/** Parses a shadow topic; undefined when the topic is not one. */
export function parseShadowTopic(
  topic: string,
): { thingName: string; shadowName?: string; op: ShadowOperation; response?: ShadowResponse } | undefined {
  const m = /^\$aws\/things\/([^/]+)\/shadow(?:\/name\/([^/]+))?\/(update|get|delete)(?:\/(accepted|rejected|delta|documents))?$/.exec(topic);
  if (!m) return undefined;
  const [, thingName, shadowName, op, response] = m;
  return {
    thingName: thingName!,
    ...(shadowName ? { shadowName } : {}),
    op: op as ShadowOperation,
    ...(response ? { response: response as ShadowResponse } : {}),
  };
}
