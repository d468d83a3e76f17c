import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ACCESS_LOG_FORMAT } from './access-log-format.ts';
import type { WiredFunction } from './functions.ts';
import { LOG_RETENTION } from './log-retention.ts';
import { acknowledgeNagFinding } from './nag.ts';
import { triggersOf } from './triggers.ts';

/**
 * A VTN sends a few notifications per DR event; these limits leave ample room for that and bound what a
 * flood of unauthenticated requests can cost (every request still reaches the function to be rejected).
 */
export const DR_WEBHOOK_THROTTLE = { rateLimit: 20, burstLimit: 40 } as const;

export interface DrWebhookApiProps {
  readonly apiName: string;
  readonly functions: readonly WiredFunction[];
}

/** The HTTP API serving every `{ kind: 'http' }` route of the wiring, each to its function. */
export class DrWebhookApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;

  constructor(scope: Construct, id: string, { apiName, functions }: DrWebhookApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', { apiName, description: 'OpenADR 3 notifications from utility VTNs', createDefaultStage: false });

    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: LOG_RETENTION });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: DR_WEBHOOK_THROTTLE,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: ACCESS_LOG_FORMAT },
    });

    for (const { spec, function: fn } of functions) {
      const routes = triggersOf(spec, 'http').flatMap((trigger) => trigger.routes);
      if (routes.length === 0) continue;
      const integration = new HttpLambdaIntegration(`${spec.id}Integration`, fn);
      for (const route of routes) this.api.addRoutes({ path: route.path, methods: [HttpMethod[route.method]], integration });
    }

    acknowledgeNagFinding(
      this.api,
      'AwsSolutions-APIG4',
      'OpenADR 3 VTNs authenticate callbacks only with the static bearer token registered in their subscription, which no IAM, JWT or ' +
        'Cognito authorizer can check. The function compares it in constant time with the tokens in Secrets Manager before reading a POST body ' +
        '(401 without a token, 403 with a wrong one); GET only echoes the `echo` query parameter of the subscription check and touches no data.',
    );
  }

  /** The base URL the VTN is given (the routes' paths are appended). */
  get url(): string {
    const url = this.stage.url;
    if (!url) throw new Error('the DR webhook stage has no URL');
    return url;
  }
}
