import { Stack } from 'aws-cdk-lib';
import { CfnPolicy } from 'aws-cdk-lib/aws-iot';
import { Construct } from 'constructs';
import { shadowTopicBase, telemetryTopic } from '../wiring/topics.ts';

/** IoT policy variable: the thing a certificate is attached to, so one policy serves the whole fleet. */
const THIS_THING = '${iot:Connection.Thing.ThingName}';

/**
 * The IoT policy every device certificate gets: connect as its own thing, publish its telemetry on the Basic
 * Ingest topic, and use its own shadows (classic and named) — nothing of any other device.
 */
export class DevicePolicy extends Construct {
  readonly policy: CfnPolicy;
  readonly policyName: string;

  constructor(scope: Construct, id: string, { policyName }: { policyName: string }) {
    super(scope, id);
    this.policyName = policyName;
    const stack = Stack.of(this);
    const arn = (resource: string, resourceName: string): string => stack.formatArn({ service: 'iot', resource, resourceName });
    // Shadow topics from the wiring; the trailing `*` covers classic and named shadows and their responses.
    const ownShadows = `${shadowTopicBase(THIS_THING)}/*`;

    this.policy = new CfnPolicy(this, 'Policy', {
      policyName,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'iot:Connect', Resource: arn('client', THIS_THING) },
          { Effect: 'Allow', Action: 'iot:Publish', Resource: [arn('topic', telemetryTopic(THIS_THING)), arn('topic', ownShadows)] },
          { Effect: 'Allow', Action: 'iot:Subscribe', Resource: arn('topicfilter', ownShadows) },
          { Effect: 'Allow', Action: 'iot:Receive', Resource: arn('topic', ownShadows) },
        ],
      },
    });
  }
}
