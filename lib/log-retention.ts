import { RetentionDays } from 'aws-cdk-lib/aws-logs';

/** How long every log group of the stack keeps events: long enough to investigate last month's DR event. */
export const LOG_RETENTION = RetentionDays.ONE_MONTH;
