import { Stack, TimeZone } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Schedule, ScheduleExpression, ScheduleGroup, ScheduleTargetInput, TimeWindow } from 'aws-cdk-lib/aws-scheduler';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { WiredFunction } from './functions.ts';
import { LambdaScheduleTarget } from './lambda-schedule-target.ts';
import { triggersOf } from './triggers.ts';

export interface SchedulesProps {
  /** Schedule group name: one group per deployment keeps schedule names short and unique per environment. */
  readonly groupName: string;
  readonly functions: readonly WiredFunction[];
  readonly deadLetterQueue: IQueue;
}

/** An EventBridge Scheduler schedule per `{ kind: 'schedules' }` entry of the wiring, at its exact time. */
export class Schedules extends Construct {
  readonly group: ScheduleGroup;

  constructor(scope: Construct, id: string, { groupName, functions, deadLetterQueue }: SchedulesProps) {
    super(scope, id);
    const scheduled = functions
      .map((wired) => ({ ...wired, schedules: triggersOf(wired.spec, 'schedules').flatMap((trigger) => trigger.schedules) }))
      .filter((wired) => wired.schedules.length > 0);

    this.group = new ScheduleGroup(this, 'Group', { scheduleGroupName: groupName });
    const stack = Stack.of(this);
    // One role for every schedule of the group; SourceAccount + SourceArn keep other accounts' and groups'
    // schedules from using it (confused deputy).
    const role = new Role(this, 'InvokeRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnEquals: { 'aws:SourceArn': this.group.scheduleGroupArn },
        },
      }),
      description: `EventBridge Scheduler: invokes the scheduled functions of ${groupName}`,
    });
    if (scheduled.length > 0) {
      role.addToPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: scheduled.map((wired) => wired.function.functionArn) }));
      role.addToPolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [deadLetterQueue.queueArn] }));
    }

    for (const { spec, function: fn, schedules } of scheduled) {
      for (const schedule of schedules) {
        new Schedule(this, schedule.name, {
          scheduleName: schedule.name,
          scheduleGroup: this.group,
          description: `${spec.id}: ${schedule.expression} ${schedule.timezone}`,
          schedule: ScheduleExpression.expression(schedule.expression, TimeZone.of(schedule.timezone)),
          // Day-ahead prices appear at a known minute and the hourly replan should line up with the hour.
          timeWindow: TimeWindow.off(),
          target: new LambdaScheduleTarget(fn, { role, input: ScheduleTargetInput.fromObject(schedule.input), deadLetterQueue }),
        });
      }
    }
  }
}
