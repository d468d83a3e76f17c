import { Logger } from '@aws-lambda-powertools/logger';
import { correlationPaths, search } from '@aws-lambda-powertools/logger/correlationId';
import type { InjectLambdaContextOptions } from '@aws-lambda-powertools/logger/types';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { POWERTOOLS_NAMESPACE } from '../../wiring/functions.ts';

/**
 * Service name and log level come from POWERTOOLS_* environment set by the wiring. The search function lets
 * `injectLambdaContext(logger, { correlationIdPath })` lift a correlation id out of the event.
 */
export const logger = new Logger({ correlationIdSearchFn: search });
export const metrics = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? POWERTOOLS_NAMESPACE });

/**
 * `injectLambdaContext` options per kind of trigger. Every line carries the Lambda request id; `correlation_id`
 * is the id of what triggered the invocation where it has one (the EventBridge event, the API Gateway request,
 * which its access log also records). Keys appended during an invocation are dropped after it, so a device or
 * grid event id never leaks into the next invocation's lines.
 */
export const LOG_CONTEXT = {
  eventBridge: { resetKeys: true, correlationIdPath: correlationPaths.EVENT_BRIDGE },
  httpApi: { resetKeys: true, correlationIdPath: correlationPaths.API_GATEWAY_HTTP },
  /** Schedules and SQS batches: a schedule's input has no id, and each record of a batch is logged with its own. */
  uncorrelated: { resetKeys: true },
} as const satisfies Record<string, InjectLambdaContextOptions>;
