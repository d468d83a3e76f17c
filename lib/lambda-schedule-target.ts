import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ISchedule, IScheduleTarget, ScheduleTargetConfig, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { DELIVERY_RETRY_ATTEMPTS, MAX_EVENT_AGE } from './delivery-policy.ts';

export interface LambdaScheduleTargetProps {
  /** Assumed by the Scheduler; the caller grants it lambda:InvokeFunction on the function and SendMessage on the queue. */
  readonly role: IRole;
  readonly input: ScheduleTargetInput;
  readonly deadLetterQueue: IQueue;
}

/**
 * Invokes one function's unqualified ARN. `aws-scheduler-targets`' LambdaInvoke grants `lambda:InvokeFunction` on
 * `<function>:*` as well (every version and alias), a wildcard the schedules do not need; this target leaves
 * the grant to the caller so the role names exact ARNs.
 */
export class LambdaScheduleTarget implements IScheduleTarget {
  constructor(
    private readonly fn: IFunction,
    private readonly props: LambdaScheduleTargetProps,
  ) {}

  bind(_schedule: ISchedule): ScheduleTargetConfig {
    return {
      arn: this.fn.functionArn,
      role: this.props.role,
      input: this.props.input,
      deadLetterConfig: { arn: this.props.deadLetterQueue.queueArn },
      retryPolicy: { maximumRetryAttempts: DELIVERY_RETRY_ATTEMPTS, maximumEventAgeInSeconds: MAX_EVENT_AGE.toSeconds() },
    };
  }
}
