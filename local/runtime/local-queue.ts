import type { SQSEvent } from 'aws-lambda';

/**
 * An SQS queue between an IoT rule and its function, locally: bodies wait here and are handed out as SQS
 * events of at most `batchSize` records; a record the function reports as failed is put back, as SQS makes it
 * visible again, until it has been received `maxReceives` times and is dead-lettered.
 */
export class LocalQueue {
  private pending: string[] = [];
  private sequence = 0;
  private readonly receives = new Map<string, number>();
  readonly deadLetters: string[] = [];

  constructor(
    private readonly name: string,
    private readonly maxReceives: number,
  ) {}

  push(body: string): void {
    this.pending.push(body);
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
          const count = (this.receives.get(record.body) ?? 1) + 1;
          this.receives.set(record.body, count);
          if (count > this.maxReceives) this.deadLetters.push(record.body);
          else this.pending.push(record.body);
        }
      }
    }
  }

  private drain(batchSize: number): SQSEvent[] {
    const bodies = this.pending;
    this.pending = [];
    const events: SQSEvent[] = [];
    for (let i = 0; i < bodies.length; i += batchSize) {
      events.push({
        Records: bodies.slice(i, i + batchSize).map((body) => {
          const id = `local-${this.name}-${++this.sequence}`;
          return {
            messageId: id,
            receiptHandle: id,
            body,
            attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'iot', ApproximateFirstReceiveTimestamp: '0' },
            messageAttributes: {},
            md5OfBody: '',
            eventSource: 'aws:sqs',
            eventSourceARN: `arn:aws:sqs:local:000000000000:${this.name}`,
            awsRegion: 'local',
          };
        }),
      });
    }
    return events;
  }
}
