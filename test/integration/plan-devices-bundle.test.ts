import { createHash } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHandler } from '../../functions/handlers/plan-devices.ts';
import { dynamoEnvironment } from '../../local/aws/dynamodb-local.ts';
import { EVENT_BUS_ENV, functions, type FunctionSpec } from '../../wiring/functions.ts';
import { HandlerBundle } from '../support/handler-bundle.ts';
import { startDynamoFixture, type DynamoFixture } from '../support/local-dynamo.ts';
import { lambdaContext } from '../support/sqs-event.ts';
import { busEvent } from './faults/support/seed.ts';

/**
 * plan-devices as deployed: its bundle, where Powertools' JMESPath and zod's JSON-Schema conversion are
 * stand-ins (lib/bundling.ts), run by a plain `node` against dynalite. The stand-ins must still pick the
 * idempotency key and the correlation id out of an EventBridge event, and zod must still explain a bad input.
 * An empty fleet keeps planning out of it: what is under test is the way in.
 */

const spec: FunctionSpec = functions.planDevices;
const NOW = new Date('2023-01-10T12:07:00Z');


describe('the plan-devices bundle against dynalite', () => {
  let bundle: HandlerBundle;
  let db: DynamoFixture;

  /** One fresh container invoked with these events: each outcome, and the JSON lines it logged. */
  const invoke = (...events: unknown[]) => bundle.invoke(events, { ...dynamoEnvironment(db), [EVENT_BUS_ENV]: 'hearth-test-bus' }, 'INFO');
  const handledEvents = async () => (await db.doc.send(new ScanCommand({ TableName: db.tableNames.idempotency, ConsistentRead: true }))).Items ?? [];
  /** The record Powertools keeps for an event: the handler's prefix and the hash of the event's `id`. */
  const recordId = (eventId: string) => `plan-devices#${createHash('md5').update(JSON.stringify(eventId)).digest('base64')}`;

  beforeAll(async () => {
    bundle = await HandlerBundle.build(spec);
    db = await startDynamoFixture();
  });
  afterAll(async () => {
    await db?.close();
    bundle?.remove();
  });

  it('refuses an invalid input with the error the unbundled handler gives', async () => {
    const input = { reason: '', extra: 1 };
    const unbundled = await makeHandler()(input, lambdaContext).then(
      () => expect.unreachable('the unbundled handler accepted an invalid input'),
      (e: Error) => e.message,
    );
    expect(unbundled).toMatch(/^plan-devices input is invalid: /);
    const { outcomes } = await invoke(input);
    expect(outcomes).toEqual([{ error: unbundled }]);
    expect(await handledEvents()).toEqual([]);
  });

  it('handles an event once: keyed by its id, a redelivery answered from the record, its id the correlation id', async () => {
    const event = busEvent('ReplanRequested', { reason: 'hourly' }, NOW, 'evt-bundle-1');
    const first = await invoke(event);
    expect(first.outcomes).toEqual([{ result: { planned: 0 } }]);
    expect((await handledEvents()).map((r) => [r.id, r.status])).toEqual([[recordId('evt-bundle-1'), 'COMPLETED']]);

    const again = await invoke(event, busEvent('ReplanRequested', { reason: 'hourly' }, NOW, 'evt-bundle-2'));
    expect(again.outcomes).toEqual([{ result: { planned: 0 } }, { result: { planned: 0 } }]);
    const answered = again.logs.filter((line) => line.message === 'event delivered again: answered with the result of its first delivery');
    expect(answered.map((line) => line.correlation_id)).toEqual(['evt-bundle-1']);
    expect((await handledEvents()).map((r) => r.id as string).sort()).toEqual([recordId('evt-bundle-1'), recordId('evt-bundle-2')].sort());
  });
});
