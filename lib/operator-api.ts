import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ACCESS_LOG_FORMAT } from './access-log-format.ts';
import type { WiredFunction } from './functions.ts';
import { LOG_RETENTION } from './log-retention.ts';
import { triggersOf } from './triggers.ts';

/** Operators register devices by the dozen, not by the thousand per second. */
export const OPERATOR_API_THROTTLE = { rateLimit: 10, burstLimit: 20 } as const;

export interface OperatorApiProps {
  readonly apiName: string;
  readonly functions: readonly WiredFunction[];
}

/**
 * The HTTP API serving every `{ kind: 'operatorApi' }` route of the wiring. Every route requires a SigV4-signed
 * request (IAM authorization): callers need `execute-api:Invoke` on the route, granted to operator roles
 * outside this stack.
 */
export class OperatorApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;

  constructor(scope: Construct, id: string, { apiName, functions }: OperatorApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', { apiName, description: 'Hearth operator API (IAM): device registration', createDefaultStage: false });
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: LOG_RETENTION });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: OPERATOR_API_THROTTLE,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: ACCESS_LOG_FORMAT },
    });
    const authorizer = new HttpIamAuthorizer();
    for (const { spec, function: fn } of functions) {
      const routes = triggersOf(spec, 'operatorApi').flatMap((trigger) => trigger.routes);
      if (routes.length === 0) continue;
      const integration = new HttpLambdaIntegration(`${spec.id}Integration`, fn);
      for (const route of routes) this.api.addRoutes({ path: route.path, methods: [HttpMethod[route.method]], integration, authorizer });
    }
  }

  get url(): string {
    const url = this.stage.url;
    if (!url) throw new Error('the operator API stage has no URL');
    return url;
  }
}
