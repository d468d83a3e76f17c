import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHandler } from '../../functions/handlers/plan-devices.ts';
import { BUNDLE_FILE, esbuildOptions } from '../../lib/bundling.ts';
import { dynamoEnvironment } from '../../local/aws/dynamodb-local.ts';
import { EVENT_BUS_ENV, functions, type FunctionSpec } from '../../wiring/functions.ts';
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

/** Imports the bundle once, as a Lambda container does, and invokes its handler with each event in turn. */
const INVOKE = `
const [bundle, events] = process.argv.slice(1);
const { handler } = await import(bundle);
const context = {
  functionName: 'hearth-test-PlanDevices', functionVersion: '$LATEST', memoryLimitInMB: '1024',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:000000000000:function:hearth-test-PlanDevices',
  awsRequestId: 'bundle-test', logGroupName: '/aws/lambda/hearth-test-PlanDevices', logStreamName: 'test',
  callbackWaitsForEmptyEventLoop: false, getRemainingTimeInMillis: () => 300000,
};
const outcomes = [];
for (const event of JSON.parse(events)) {
  try {
    outcomes.push({ result: await handler(event, context) });
  } catch (e) {
    outcomes.push({ error: e.message });
  }
}
process.stdout.write('\\n' + JSON.stringify(outcomes));
`;

const run = promisify(execFile);

type Outcome = { result: unknown } | { error: string };

describe('the plan-devices bundle against dynalite', () => {
  let dir: string;
  let bundle: string;
  let db: DynamoFixture;

  /** One fresh container invoked with these events: each outcome, and the JSON lines it logged. */
  const invoke = async (...events: unknown[]): Promise<{ outcomes: Outcome[]; logs: Record<string, unknown>[] }> => {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', INVOKE, pathToFileURL(bundle).href, JSON.stringify(events)], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        NODE_OPTIONS: '--enable-source-maps',
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        ...dynamoEnvironment(db),
        [EVENT_BUS_ENV]: 'hearth-test-bus',
        POWERTOOLS_SERVICE_NAME: spec.id,
        POWERTOOLS_METRICS_DISABLED: 'true',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...spec.environment,
      },
    });
    const lines = stdout.split('\n');
    const outcomes = JSON.parse(lines.pop()!) as Outcome[];
    const logs = lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
    return { outcomes, logs };
  };
  const handledEvents = async () => (await db.doc.send(new ScanCommand({ TableName: db.tableNames.idempotency, ConsistentRead: true }))).Items ?? [];
  /** The record Powertools keeps for an event: the handler's prefix and the hash of the event's `id`. */
  const recordId = (eventId: string) => `plan-devices#${createHash('md5').update(JSON.stringify(eventId)).digest('base64')}`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hearth-plan-devices-'));
    await esbuild.build({ ...esbuildOptions(spec.entry, dir), logLevel: 'error' });
    bundle = join(dir, BUNDLE_FILE);
    db = await startDynamoFixture();
  });
  afterAll(async () => {
    await db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
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
