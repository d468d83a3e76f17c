import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** cdk-nag's AWS Solutions pack reports as this validation plugin. */
export const NAG_PLUGIN = 'AwsSolutions';

/**
 * Acknowledges one cdk-nag finding on a construct and its children, e.g. `AwsSolutions-SQS3`, or for a granular
 * rule the exact finding, `AwsSolutions-IAM5[Resource::*]`. The plugin-qualified id (`AwsSolutions::…`) lets
 * CDK itself suppress it and list it, with the reason, under `suppressedViolations` in cdk.out/validation-report.json.
 */
export function acknowledgeNagFinding(scope: IConstruct, finding: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `${NAG_PLUGIN}::${finding}`, reason });
}
