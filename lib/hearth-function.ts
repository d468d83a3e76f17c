import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionSpec } from '../wiring/functions.ts';
import { BUNDLING } from './bundling.ts';
import { LOG_RETENTION } from './log-retention.ts';
import { REPO_ROOT } from './repo-root.ts';

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
  readonly function: NodejsFunction;
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

    this.function = new NodejsFunction(this, 'Function', {
      entry: join(REPO_ROOT, spec.entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      description: spec.description,
      runtime: RUNTIME,
      architecture: ARCHITECTURE,
      memorySize: spec.memoryMb,
      timeout: Duration.seconds(spec.timeoutS),
      role: this.role,
      logGroup: this.logGroup,
      environment,
      bundling: BUNDLING,
    });
  }
}
