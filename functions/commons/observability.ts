import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { POWERTOOLS_NAMESPACE } from '../../wiring/functions.ts';

/** Service name and log level come from POWERTOOLS_* environment set by the wiring. */
export const logger = new Logger();
export const metrics = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? POWERTOOLS_NAMESPACE });
