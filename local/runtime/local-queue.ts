import type { SQSEvent } from 'aws-lambda';

interface QueuedMessage {
  id: string;
  body: string;
}

/**
 * An SQS queue between an IoT rule and its function, locally: bodies wait here and are handed out as SQS
 * events of at most `batchSize` records; a record the function reports as failed is put back, as SQS makes it
 * visible again (same message id, one receive more), until it has been received `maxReceives` times and is
 * dead-lettered.
 */
export class LocalQueue {
  private pending: QueuedMessage[] = [];
  private sequence = 0;
  private readonly receives = new Map<string, number>();
  readonly deadLetters: string[] = [];

  constructor(
    private readonly name: string,
    private readonly maxReceives: number,
  ) {}

  push(body: string): void {
    this.pending.push({ id: `local-${this.name}-${++this.sequence}`, body });
  }

  get size(): number {
    return this.pending.length;
  }

  /**
   * Delivers everything queued, and what failed deliveries put back, to `consume` in SQS batches, until the
   * queue is empty.
   */
  async flush(batchSize: number, consume: (event: SQSEvent) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>): Promise<void> {
    while (this.pending.length) {
      for (const event of this.drain(batchSize)) {
        const out = await consume(event);
        for (const failure of out.batchItemFailures) {
          const record = event.Records.find((r) => r.messageId === failure.itemIdentifier);
          if (!record) continue;
          const count = (this.receives.get(record.messageId) ?? 1) + 1;
          this.receives.set(record.messageId, count);
          if (count > this.maxReceives) this.deadLetters.push(record.body);
          else this.pending.push({ id: record.messageId, body: record.body });
        }
      }
    }
  }

  private drain(batchSize: number): SQSEvent[] {
    const messages = this.pending;
    this.pending = [];
    const events: SQSEvent[] = [];
    for (let i = 0; i < messages.length; i += batchSize) {
      events.push({
        Records: messages.slice(i, i + batchSize).map(({ id, body }) => ({
          messageId: id,
          receiptHandle: `${id}#${this.receives.get(id) ?? 1}`,
          body,
          attributes: { ApproximateReceiveCount: String(this.receives.get(id) ?? 1), SentTimestamp: '0', SenderId: 'iot', ApproximateFirstReceiveTimestamp: '0' },
          messageAttributes: {},
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: `arn:aws:sqs:local:000000000000:${this.name}`,
          awsRegion: 'local',
        })),
      });
    }
    return events;
  }
}
