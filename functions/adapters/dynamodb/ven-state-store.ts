import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ReportLedgerEntry, SubscriptionRecord, VenStateStore, VtnContact } from '../../ports/ven-state.ts';
import { batchGetAll } from './batch-get.ts';
import { epochSeconds, writeIf } from './conditional.ts';
import { scanAll } from './paginate.ts';

/** The item holding when the VTN last reached us and when we last polled it. */
const CONTACT_KEY = 'contact';
const SUBSCRIPTION_PREFIX = 'subscription#';
const REPORT_PREFIX = 'report#';
/** Report entries outlive the telemetry a report could be rebuilt from (400 days), so none is ever posted twice. */
const REPORT_KEEP_DAYS = 400;

const reportKey = (gridEventId: string) => `${REPORT_PREFIX}${gridEventId}`;

/**
 * The VEN's memory in the `venState` table, one item per thing remembered (`stateKey`): the contact times,
 * a subscription per program, a report entry per event. Every write is a single-item write; the contact times
 * and report claims are conditional, so concurrent runs and out-of-order webhooks have one effect.
 */
export class DynamoVenStateStore implements VenStateStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  private async moveForward(attribute: 'lastNotificationAt' | 'lastPollAt', at: Date): Promise<void> {
    await writeIf(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { stateKey: CONTACT_KEY },
          UpdateExpression: 'SET #a = :t',
          ConditionExpression: 'attribute_not_exists(#a) OR #a < :t',
          ExpressionAttributeNames: { '#a': attribute },
          ExpressionAttributeValues: { ':t': at.toISOString() },
        }),
      ),
    );
  }

  notificationReceived(at: Date): Promise<void> {
    return this.moveForward('lastNotificationAt', at);
  }

  pollDone(at: Date): Promise<void> {
    return this.moveForward('lastPollAt', at);
  }

  async contact(): Promise<VtnContact> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.table, Key: { stateKey: CONTACT_KEY }, ConsistentRead: true }));
    return {
      ...(typeof Item?.lastNotificationAt === 'string' ? { lastNotificationAt: Item.lastNotificationAt } : {}),
      ...(typeof Item?.lastPollAt === 'string' ? { lastPollAt: Item.lastPollAt } : {}),
    };
  }

  async subscriptions(): Promise<SubscriptionRecord[]> {
    const items = await scanAll(this.client, {
      TableName: this.table,
      FilterExpression: 'begins_with(stateKey, :p)',
      ExpressionAttributeValues: { ':p': SUBSCRIPTION_PREFIX },
      ConsistentRead: true,
    });
    return items.map(({ stateKey: _k, ...record }) => record as unknown as SubscriptionRecord);
  }

  async putSubscription(record: SubscriptionRecord): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.table, Item: { stateKey: `${SUBSCRIPTION_PREFIX}${record.programId}`, ...record } }));
  }

  async reportEntries(gridEventIds: readonly string[]): Promise<Map<string, ReportLedgerEntry>> {
    const keys = [...new Set(gridEventIds)].map((id) => ({ stateKey: reportKey(id) }));
    const items = await batchGetAll(this.client, this.table, keys, { consistent: true });
    return new Map(items.map(({ stateKey: _k, expiresAt: _e, ...entry }) => [String(entry.gridEventId), entry as unknown as ReportLedgerEntry]));
  }

  async claimReport(gridEventId: string, now: Date, claimMs: number): Promise<number | undefined> {
    let attempt: number | undefined;
    await writeIf(async () => {
      const out = await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { stateKey: reportKey(gridEventId) },
          UpdateExpression: 'SET #s = :posting, gridEventId = :id, claimUntil = :until, updatedAt = :now, attempts = if_not_exists(attempts, :zero) + :one, expiresAt = :exp',
          ConditionExpression: 'attribute_not_exists(stateKey) OR #s = :failed OR (#s = :posting AND claimUntil < :now)',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: {
            ':posting': 'posting',
            ':failed': 'failed',
            ':id': gridEventId,
            ':until': new Date(now.getTime() + claimMs).toISOString(),
            ':now': now.toISOString(),
            ':zero': 0,
            ':one': 1,
            ':exp': epochSeconds(now) + REPORT_KEEP_DAYS * 86_400,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      attempt = Number(out.Attributes?.attempts);
    });
    return attempt;
  }

  async settleReport(entry: ReportLedgerEntry): Promise<void> {
    // A posted report stays posted: a late run that failed must not reopen it.
    await writeIf(() =>
      this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { stateKey: reportKey(entry.gridEventId), ...entry, expiresAt: epochSeconds(new Date(entry.updatedAt)) + REPORT_KEEP_DAYS * 86_400 },
          ConditionExpression: 'attribute_not_exists(stateKey) OR #s <> :posted',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':posted': 'posted' },
        }),
      ),
    );
  }
}
