import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { AwsCustomResource, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { LOG_RETENTION } from './log-retention.ts';
import { acknowledgeNagFinding } from './nag.ts';

/** The SDK's standard variable for the IoT data-plane endpoint: handlers need no code to find it. */
export const IOT_DATA_ENDPOINT_ENV = 'AWS_ENDPOINT_URL_IOT_DATA_PLANE';

/**
 * The account's IoT data-plane (ATS) endpoint, looked up at deploy time with `iot:DescribeEndpoint`.
 *
 * Why a custom resource rather than a context value: the endpoint is account- and region-specific (the SDK's
 * default `data-ats.iot.<region>.amazonaws.com` does not serve every operation), and a context value would be a
 * manual step that silently breaks shadow pushes when copied into the wrong account. The lookup needs no
 * credentials at synth time, so `cdk synth` stays offline.
 */
export class IotDataEndpoint extends Construct {
  /** `https://<prefix>-ats.iot.<region>.amazonaws.com`, resolved at deploy time. */
  readonly url: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    // Own role and log group instead of AWSLambdaBasicExecutionRole: logs go to this group only.
    const logGroup = new LogGroup(this, 'ProviderLogs', { retention: LOG_RETENTION });
    const role = new Role(this, 'ProviderRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Looks up the account IoT data-plane endpoint during deployment',
    });
    logGroup.grantWrite(role);
    role.addToPolicy(new PolicyStatement({ actions: ['iot:DescribeEndpoint'], resources: ['*'] }));
    acknowledgeNagFinding(
      role,
      'AwsSolutions-IAM5[Resource::*]',
      'iot:DescribeEndpoint has no resource type in the IAM service authorization reference: it can only be granted on "*"; it is the only action of this statement.',
    );

    const describeEndpoint = {
      service: 'Iot',
      action: 'describeEndpoint',
      parameters: { endpointType: 'iot:Data-ATS' },
      physicalResourceId: PhysicalResourceId.of('iot-data-ats-endpoint'),
    };
    const lookup = new AwsCustomResource(this, 'Lookup', {
      onCreate: describeEndpoint,
      onUpdate: describeEndpoint,
      role,
      logGroup,
      // The Lambda runtime's SDK has DescribeEndpoint; installing the latest at run time would fetch from npm.
      installLatestAwsSdk: false,
    });
    this.url = `https://${lookup.getResponseField('endpointAddress')}`;
  }
}
