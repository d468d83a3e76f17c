import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NAG_PLUGIN } from '../../lib/nag.ts';
import { hearthApp, trySynth } from './support/hearth-app.ts';

/**
 * cdk-nag 3 is a CDK validation plugin: it reports after synthesis into cdk.out/validation-report.json (and
 * fails the synth), not as construct annotations, so `Annotations.fromStack(...).findError(...)` sees nothing.
 * This test synthesises exactly as `cdk synth` does (minus bundling and the CloudFormation validator) and reads
 * that report.
 */

interface Violation {
  ruleName: string;
  severity: string;
  violatingConstructs: { constructPath: string }[];
}
interface Suppressed extends Violation {
  acknowledgedId: string;
  reason: string;
  acknowledgedAt: string;
}
interface PluginReport {
  pluginName: string;
  conclusion: string;
  violations: Violation[];
  suppressedViolations?: Suppressed[];
}

/**
 * Every acknowledgement the stack makes, and where. A new one must be added here on purpose, in review.
 * (Stack-relative construct path → finding.)
 */
const EXPECTED_ACKNOWLEDGEMENTS = [
  ['DrWebhook/Api', 'AwsSolutions-APIG4'],
  ['DrWebhookToken', 'AwsSolutions-SMG4'],
  ['FailedInvocations', 'AwsSolutions-SQS3'],
  ['Functions/IotDataEndpoint/ProviderRole', 'AwsSolutions-IAM5[Resource::*]'],
  ['Functions/PushShadow/Role', 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:thing/*]'],
  ['Functions/DevicesApi/Role', 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:thing/*]'],
  ['Functions/DevicesApi/Role', 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:thinggroup/zone-*]'],
  ['Functions/DevicesApi/Role', 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:thinggroup/dr-*]'],
  ['Functions/DevicesApi/Role', 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:thinggroup/feeder-*]'],
  ['Functions/DevicesApi/Role', 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:cert/*]'],
  ['Functions/DevicesApi/Role', 'AwsSolutions-IAM5[Resource::*]'],
];

let nag: PluginReport | undefined;
let synthError: Error | undefined;
let stackPath: string;
let outdir: string;

beforeAll(() => {
  const built = hearthApp({ nag: true });
  const { app, stack } = built;
  outdir = built.outdir;
  stackPath = stack.node.path;
  synthError = trySynth(app).error;
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as { pluginReports: PluginReport[] };
  nag = report.pluginReports.find((plugin) => plugin.pluginName === NAG_PLUGIN);
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('cdk-nag AwsSolutions', () => {
  it('passes: synth does not fail', () => {
    expect(synthError?.message).toBeUndefined();
    expect(nag?.conclusion).toBe('success');
  });

  it('leaves zero unacknowledged errors and zero unacknowledged warnings', () => {
    const unacknowledged = (nag?.violations ?? []).map((v) => `${v.severity} ${v.ruleName} at ${v.violatingConstructs.map((c) => c.constructPath).join(', ')}`);
    expect(unacknowledged).toEqual([]);
  });

  it('acknowledges only the expected findings, each once, where it arises', () => {
    const acknowledged = [...new Set((nag?.suppressedViolations ?? []).map((s) => JSON.stringify([s.acknowledgedAt.replace(`${stackPath}/`, ''), s.ruleName])))]
      .map((entry) => JSON.parse(entry) as [string, string])
      .sort();
    expect(acknowledged).toEqual([...EXPECTED_ACKNOWLEDGEMENTS].sort());
  });

  it('gives every acknowledgement a specific reason; IAM5 names the exact wildcard', () => {
    for (const suppressed of nag?.suppressedViolations ?? []) {
      expect(suppressed.reason.length, suppressed.ruleName).toBeGreaterThan(80);
      expect(suppressed.acknowledgedId).toBe(`${NAG_PLUGIN}::${suppressed.ruleName}`);
      if (suppressed.ruleName.startsWith('AwsSolutions-IAM5')) expect(suppressed.ruleName).toMatch(/^AwsSolutions-IAM5\[(Resource|Action)::.+\]$/);
    }
  });
});
