import { randomUUID } from 'node:crypto';
import type { Aedes, Client } from 'aedes';
import type { LifecycleEvent } from '../../schemas/presence.ts';
import { presenceTopic } from '../../wiring/topics.ts';

/**
 * AWS IoT's lifecycle events, locally: when a client's session starts or ends on the broker, the event AWS
 * would publish (same fields, `timestamp` on the service's clock) is published on its reserved topic and
 * handed to `deliver` (the presence rule's queue). `versionNumber` grows with each connection of a client id
 * and is shared by that connection's disconnect. A client that sent DISCONNECT left on its own; any other end
 * is reported as a lost connection.
 */
export function emitPresenceEvents(broker: Aedes, now: () => Date, deliver: (event: LifecycleEvent) => void): { detach(): void } {
  const versions = new Map<string, number>();
  const sessions = new WeakMap<Client, { id: string; version: number }>();

  const publish = (event: LifecycleEvent): void => {
    deliver(event);
    if (broker.closed) return;
    broker.publish(
      { cmd: 'publish', topic: presenceTopic(event.eventType, event.clientId), payload: Buffer.from(JSON.stringify(event)), qos: 0, retain: false, dup: false },
      () => undefined,
    );
  };

  const onConnect = (client: Client): void => {
    const version = (versions.get(client.id) ?? 0) + 1;
    versions.set(client.id, version);
    const session = { id: randomUUID(), version };
    sessions.set(client, session);
    publish({
      clientId: client.id,
      timestamp: now().getTime(),
      eventType: 'connected',
      sessionIdentifier: session.id,
      principalIdentifier: 'local',
      ipAddress: '127.0.0.1',
      versionNumber: version,
    });
  };

  const onDisconnect = (client: Client): void => {
    const session = sessions.get(client);
    // aedes marks a client that ended with an MQTT DISCONNECT packet.
    const clientInitiated = (client as unknown as { _disconnected?: boolean })._disconnected === true;
    publish({
      clientId: client.id,
      timestamp: now().getTime(),
      eventType: 'disconnected',
      sessionIdentifier: session?.id ?? randomUUID(),
      principalIdentifier: 'local',
      versionNumber: session?.version ?? versions.get(client.id) ?? 0,
      clientInitiatedDisconnect: clientInitiated,
      disconnectReason: clientInitiated ? 'CLIENT_INITIATED_DISCONNECT' : 'CONNECTION_LOST',
    });
  };

  broker.on('client', onConnect);
  broker.on('clientDisconnect', onDisconnect);
  return {
    detach: () => {
      broker.removeListener('client', onConnect);
      broker.removeListener('clientDisconnect', onDisconnect);
    },
  };
}
