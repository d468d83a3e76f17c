import { Rule, type IEventBus } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVENT_SOURCE } from '../schemas/events.ts';
import { DELIVERY_RETRY_ATTEMPTS, MAX_EVENT_AGE } from './delivery-policy.ts';
import type { WiredFunction } from './functions.ts';
import { triggersOf } from './triggers.ts';

export interface EventRoutingProps {
  readonly bus: IEventBus;
  readonly functions: readonly WiredFunction[];
  readonly deadLetterQueue: IQueue;
}

/** One EventBridge rule per `{ kind: 'events' }` trigger of the wiring, matching Hearth's source and its detail types. */
export class EventRouting extends Construct {
  constructor(scope: Construct, id: string, { bus, functions, deadLetterQueue }: EventRoutingProps) {
    super(scope, id);
    for (const { spec, function: fn } of functions) {
      triggersOf(spec, 'events').forEach((trigger, index) => {
        new Rule(this, index === 0 ? spec.id : `${spec.id}${index + 1}`, {
          eventBus: bus,
          description: `${trigger.detailTypes.join(', ')} → ${spec.id}`,
          eventPattern: { source: [EVENT_SOURCE], detailType: [...trigger.detailTypes] },
          targets: [new LambdaFunction(fn, { deadLetterQueue, retryAttempts: DELIVERY_RETRY_ATTEMPTS, maxEventAge: MAX_EVENT_AGE })],
        });
      });
    }
  }
}
