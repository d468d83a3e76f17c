import { Duration } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionSpec } from '../wiring/functions.ts';
import { BUNDLE_HANDLER } from './bundling.ts';
import { handlerCode } from './handler-code.ts';
import { LOG_RETENTION } from './log-retention.ts';

/** Latest Node.js runtime Lambda offers (and the newest cdk-nag accepts), on Graviton: cheaper per GB-second. */
export const RUNTIME = Runtime.NODEJS_24_X;
export const ARCHITECTURE = Architecture.ARM_64;

export interface HearthFunctionProps {
  readonly spec: FunctionSpec;
  readonly environment: Record<string, string>;
}

/**
 * One handler of the wiring as a Lambda function, with its own role and log group. Grants and triggers are
 * added by the callers, from the same wiring entry.
 */
export class HearthFunction extends Construct {
  readonly function: LambdaFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, { spec, environment }: HearthFunctionProps) {
    super(scope, id);

    this.logGroup = new LogGroup(this, 'Logs', { retention: LOG_RETENTION });
    // Instead of AWSLambdaBasicExecutionRole (create any log group, write to all of them): this group only.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${spec.id}`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new LambdaFunction(this, 'Function', {
      code: handlerCode(spec.entry, RUNTIME.bundlingImage),
      handler: BUNDLE_HANDLER,
      description: spec.description,
      runtime: RUNTIME,
      architecture: ARCHITECTURE,
      memorySize: spec.memoryMb,
      timeout: Duration.seconds(spec.timeoutS),
      role: this.role,
      logGroup: this.logGroup,
      environment,
    });
  }
}
