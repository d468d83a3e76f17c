import type { IncomingMessage, Server } from 'node:http';

/** DynamoDB requests answered by operation (`Query`, `PutItem`, …), from each request's X-Amz-Target. */
export type DynamoRequestCounts = Record<string, number>;

/** Counts the requests a local DynamoDB server answers from now on; call the result for the counts so far. */
export function countDynamoRequests(server: Server): () => DynamoRequestCounts {
  const counts: DynamoRequestCounts = {};
  server.on('request', (req: IncomingMessage) => {
    const target = String(req.headers['x-amz-target'] ?? 'unknown');
    const operation = target.slice(target.indexOf('.') + 1);
    counts[operation] = (counts[operation] ?? 0) + 1;
  });
  return () => ({ ...counts });
}
