import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TelemetryMessage } from '../../../schemas/telemetry.ts';
import type { TelemetryHistory } from '../../ports/stores.ts';
import { batchPut, MAX_BATCH_WRITE } from './batch-write.ts';
import { epochSeconds } from './conditional.ts';
import { forEachLimited } from '../../domain/concurrency/for-each-limited.ts';
import { queryAll } from './paginate.ts';

/** Sort key: UTC instant then sequence, so a range query reads in device time and a re-delivery collides. */
export const historySortKey = (m: TelemetryMessage): string => `${new Date(m.ts).toISOString()}#${String(m.seq).padStart(12, '0')}`;

/** Batches in flight at once: enough to hide DynamoDB's latency, few enough not to throttle one partition. */
const CONCURRENT_BATCHES = 4;

/**
 * Every message, kept for room-model fitting and M&V. A message's key is its device, time and sequence, and its
 * item is the message itself: writing it again (a redelivery) writes the same item, so plain BatchWriteItem is
 * idempotent here and no conditional write is needed. (A device that sent other content under the same time
 * and sequence would have the later copy kept: that is a firmware bug the state path counts as a duplicate.)
 */
export class DynamoTelemetryHistory implements TelemetryHistory {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async appendMany(messages: readonly TelemetryMessage[], expiresAt: (message: TelemetryMessage) => Date): Promise<{ failed: TelemetryMessage[]; error?: string }> {
    // One item per key: BatchWriteItem refuses a request that names a key twice.
    const byKey = new Map<string, TelemetryMessage>();
    for (const m of messages) byKey.set(`${m.deviceId}|${historySortKey(m)}`, m);
    const unique = [...byKey.values()];
    const chunks: TelemetryMessage[][] = [];
    for (let i = 0; i < unique.length; i += MAX_BATCH_WRITE) chunks.push(unique.slice(i, i + MAX_BATCH_WRITE));

    const unwrittenKeys = new Set<string>();
    let error: string | undefined;
    await forEachLimited(chunks, CONCURRENT_BATCHES, async (chunk) => {
      const out = await batchPut(
        this.client,
        this.table,
        chunk.map((m) => ({ ...m, at: historySortKey(m), expiresAt: epochSeconds(expiresAt(m)) })),
      );
      error ??= out.error;
      for (const item of out.unwritten) unwrittenKeys.add(`${String(item.deviceId)}|${String(item.at)}`);
    });
    const failed = messages.filter((m) => unwrittenKeys.has(`${m.deviceId}|${historySortKey(m)}`));
    return { failed, ...(error ? { error } : {}) };
  }

  async range(deviceId: string, from: Date, to: Date): Promise<TelemetryMessage[]> {
    const items = await queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'deviceId = :d AND #at BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#at': 'at' },
      ExpressionAttributeValues: { ':d': deviceId, ':from': from.toISOString(), ':to': `${to.toISOString()}#~` },
    });
    return items.map(({ at: _at, expiresAt: _e, ...m }) => m as TelemetryMessage);
  }
}
