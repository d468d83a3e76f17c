import { Stack } from 'aws-cdk-lib';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import { GROUP_PREFIXES } from '../functions/domain/devices/thing-groups.ts';
import { acknowledgeNagFinding } from './nag.ts';

/** Shadow reads and writes on any thing of the account and region, for the functions that push plans. */
export function grantShadowAccess(role: Role): void {
  const anyThing = Stack.of(role).formatArn({ service: 'iot', resource: 'thing', resourceName: '*' });
  role.addToPolicy(new PolicyStatement({ actions: ['iot:GetThingShadow', 'iot:UpdateThingShadow'], resources: [anyThing] }));
  acknowledgeNagFinding(
    role,
    'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:thing/*]',
    'Plans are pushed to whichever devices a cohort names; thing names are data (device ids), not known at deploy time. ' +
      'Only the two shadow actions are granted, on things of this account and region.',
  );
}

/**
 * Registering and decommissioning devices: things, the Hearth-managed thing groups (zone-, dr-, feeder-),
 * certificates. Thing names and certificate ids are data, known only when a device is registered.
 */
export function grantThingManagement(role: Role): void {
  const stack = Stack.of(role);
  const arn = (resource: string, resourceName: string): string => stack.formatArn({ service: 'iot', resource, resourceName });
  const things = arn('thing', '*');
  const groups = Object.values(GROUP_PREFIXES).map((prefix) => arn('thinggroup', `${prefix}*`));
  const certificates = arn('cert', '*');
  role.addToPolicy(
    new PolicyStatement({
      actions: ['iot:CreateThing', 'iot:UpdateThing', 'iot:DescribeThing', 'iot:DeleteThing', 'iot:ListThingGroupsForThing', 'iot:ListThingPrincipals'],
      resources: [things],
    }),
  );
  role.addToPolicy(
    new PolicyStatement({
      actions: ['iot:CreateThingGroup', 'iot:AddThingToThingGroup', 'iot:RemoveThingFromThingGroup', 'iot:ListThingsInThingGroup'],
      resources: [things, ...groups],
    }),
  );
  role.addToPolicy(
    new PolicyStatement({
      actions: [
        'iot:AttachThingPrincipal',
        'iot:DetachThingPrincipal',
        'iot:ListPrincipalThings',
        'iot:AttachPolicy',
        'iot:DetachPolicy',
        'iot:UpdateCertificate',
        'iot:DeleteCertificate',
        'iot:DescribeCertificate',
      ],
      resources: [certificates],
    }),
  );
  role.addToPolicy(new PolicyStatement({ actions: ['iot:CreateKeysAndCertificate'], resources: ['*'] }));

  const acknowledge = (resource: string, reason: string) => acknowledgeNagFinding(role, `AwsSolutions-IAM5[Resource::${resource}]`, reason);
  const IOT = 'arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>';
  acknowledge(
    `${IOT}:thing/*`,
    'Devices are registered and decommissioned by id at run time (a thing per device, named by its device id); only registry actions on things of this account and region are granted.',
  );
  for (const prefix of Object.values(GROUP_PREFIXES)) {
    acknowledge(
      `${IOT}:thinggroup/${prefix}*`,
      `Thing groups ${prefix}<id> are created on demand for each price zone, DR program and feeder a registered device names; only groups with Hearth's ${prefix} prefix are reachable.`,
    );
  }
  acknowledge(
    `${IOT}:cert/*`,
    'Certificates are created per device at registration (their ids are SHA-256 fingerprints known only then) and retired at decommissioning; only certificate actions of this account and region.',
  );
  acknowledge(
    '*',
    'iot:CreateKeysAndCertificate has no resource type in the IAM service authorization reference: it can only be granted on "*"; it is the only action of this statement.',
  );
}
