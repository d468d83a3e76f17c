import type { Aedes, AedesPublishPacket, Client } from 'aedes';
import { parseShadowTopic, shadowTopic, type ShadowOperation } from '../../wiring/topics.ts';
import type { ShadowRejection } from './shadow-document.ts';
import type { ShadowAddress, ShadowEventSink, ShadowOperations } from './shadow-operations.ts';

export interface ShadowTopics {
  /**
   * Serves a request published on a shadow topic (`…/update`, `…/get`, `…/delete`); false when the topic is
   * not one. Devices' publishes arrive here by themselves; the HTTP Publish API hands its own in.
   */
  handle(topic: string, payload: Buffer): boolean;
  detach(): void;
}

export interface ShadowTopicsOptions {
  broker: Aedes;
  operations: ShadowOperations;
  publisher: ShadowEventSink;
  /** Epoch seconds, for the timestamp of `/rejected` messages. */
  now: () => number;
  /** A rejection when the thing may not be served now (throttling). */
  admit?: (thingName: string) => ShadowRejection | undefined;
}

const withToken = (clientToken: string | undefined): { clientToken?: string } => (clientToken !== undefined ? { clientToken } : {});

/** The clientToken of a request, if any: `/get` and `/delete` take an empty message or one with only a token. */
function clientTokenOf(payload: Buffer): string | undefined {
  if (payload.length === 0) return undefined;
  try {
    const parsed: unknown = JSON.parse(payload.toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && 'clientToken' in parsed && typeof parsed.clientToken === 'string') {
      return parsed.clientToken;
    }
  } catch {
    // AWS ignores the content of these requests
  }
  return undefined;
}

/**
 * The device side of the shadow service: requests on the reserved `$aws/things/…/shadow` topics, answered on
 * `/accepted` or `/rejected` as AWS IoT Core does. Accepted updates and deletes are announced by the
 * operations themselves, so HTTP and MQTT changes look the same to subscribers.
 */
export function attachShadowTopics(options: ShadowTopicsOptions): ShadowTopics {
  const { broker, operations, publisher, now, admit } = options;

  const rejected = (address: ShadowAddress, op: ShadowOperation, rejection: ShadowRejection): void => {
    const { code, message, clientToken } = rejection;
    publisher.enqueue(address.thingName, [
      {
        topic: shadowTopic(address.thingName, address.shadowName, op, 'rejected'),
        payload: { code, message, ...(clientToken !== undefined ? { clientToken } : {}), timestamp: now() },
      },
    ]);
  };

  const serve = (address: ShadowAddress, op: ShadowOperation, payload: Buffer): void => {
    const throttled = admit?.(address.thingName);
    if (throttled) {
      rejected(address, op, { ...throttled, ...withToken(clientTokenOf(payload)) });
      return;
    }
    switch (op) {
      case 'update': {
        const result = operations.update(address, payload);
        if (!result.ok) rejected(address, op, result.rejection);
        return;
      }
      case 'get': {
        const result = operations.get(address, clientTokenOf(payload));
        if (result.ok) {
          publisher.enqueue(address.thingName, [{ topic: shadowTopic(address.thingName, address.shadowName, 'get', 'accepted'), payload: result.value }]);
        } else {
          rejected(address, op, result.rejection);
        }
        return;
      }
      case 'delete': {
        const result = operations.delete(address, clientTokenOf(payload));
        if (!result.ok) rejected(address, op, result.rejection);
        return;
      }
    }
  };

  const handle = (topic: string, payload: Buffer): boolean => {
    const parsed = parseShadowTopic(topic);
    // Responses (`…/accepted` and the like) are the service's own words, not requests.
    if (!parsed || parsed.response) return false;
    const address: ShadowAddress = { thingName: parsed.thingName, ...(parsed.shadowName ? { shadowName: parsed.shadowName } : {}) };
    try {
      serve(address, parsed.op, payload);
    } catch (e) {
      // A bug must cost one request an error answer, never the broker its process.
      rejected(address, parsed.op, { code: 500, message: `Internal service failure: ${(e as Error).message}` });
    }
    return true;
  };

  // The service publishes with no client; reacting only to clients' publishes keeps it from answering itself.
  const onPublish = (packet: AedesPublishPacket, client: Client | null): void => {
    if (!client) return;
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    handle(packet.topic, payload);
  };
  broker.on('publish', onPublish);

  return {
    handle,
    detach: () => {
      broker.removeListener('publish', onPublish);
    },
  };
}
