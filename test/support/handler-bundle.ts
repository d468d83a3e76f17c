import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import * as esbuild from 'esbuild';
import { BUNDLE_FILE, esbuildOptions } from '../../lib/bundling.ts';
import type { FunctionSpec } from '../../wiring/functions.ts';

/** What an invocation of the bundled handler gave: its result, or the message it threw. */
export type BundleOutcome = { result: unknown } | { error: string };

/** Imports the bundle once, as a Lambda container does, and invokes its handler with each event in turn. */
const INVOKE = `
const [bundle, events, context] = process.argv.slice(1);
const { handler } = await import(bundle);
const outcomes = [];
for (const event of JSON.parse(events)) {
  try {
    outcomes.push({ result: await handler(event, { ...JSON.parse(context), getRemainingTimeInMillis: () => 30000 }) });
  } catch (e) {
    outcomes.push({ error: e.message });
  }
}
process.stdout.write('\\n' + JSON.stringify(outcomes));
`;

const run = promisify(execFile);

/**
 * A handler as deployed: its bundle built with the CDK's esbuild options into a temporary folder, run by a
 * plain `node` (no tsx, no test runner), one fresh container per `invoke`.
 */
export class HandlerBundle {
  private constructor(
    private readonly spec: FunctionSpec,
    private readonly dir: string,
    readonly file: string,
  ) {}

  static async build(spec: FunctionSpec): Promise<HandlerBundle> {
    const dir = mkdtempSync(join(tmpdir(), `hearth-${spec.id}-`));
    try {
      await esbuild.build({ ...esbuildOptions(spec.entry, dir), logLevel: 'error' });
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
    return new HandlerBundle(spec, dir, join(dir, BUNDLE_FILE));
  }

  /** Each event's outcome, and the JSON lines the container logged; `env` adds to a local AWS environment. */
  async invoke(events: readonly unknown[], env: Record<string, string>, logLevel: 'INFO' | 'ERROR' = 'ERROR'): Promise<{ outcomes: BundleOutcome[]; logs: Record<string, unknown>[] }> {
    const context = {
      functionName: `hearth-test-${this.spec.id}`,
      functionVersion: '$LATEST',
      memoryLimitInMB: String(this.spec.memoryMb),
      invokedFunctionArn: `arn:aws:lambda:eu-west-1:000000000000:function:hearth-test-${this.spec.id}`,
      awsRequestId: 'bundle-test',
      logGroupName: `/aws/lambda/hearth-test-${this.spec.id}`,
      logStreamName: 'test',
      callbackWaitsForEmptyEventLoop: false,
    };
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', INVOKE, pathToFileURL(this.file).href, JSON.stringify(events), JSON.stringify(context)], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        NODE_OPTIONS: '--enable-source-maps',
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        POWERTOOLS_SERVICE_NAME: this.spec.id,
        POWERTOOLS_METRICS_DISABLED: 'true',
        POWERTOOLS_LOG_LEVEL: logLevel,
        ...this.spec.environment,
        ...env,
      },
    });
    const lines = stdout.split('\n');
    const outcomes = JSON.parse(lines.pop()!) as BundleOutcome[];
    const logs = lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
    return { outcomes, logs };
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
