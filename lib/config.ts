import type { Node } from 'constructs';

/**
 * Deployment parameters, read from CDK context (`cdk deploy -c hearth:environment=prod …`). They are synth-time
 * values, not CloudFormation parameters: each one changes what is synthesised (names, subscriptions, env vars).
 */
export interface HearthConfig {
  /** Short name of the deployment (`dev`, `prod`, …): stack name, bus name, schedule group, tags. */
  readonly environment: string;
  /** Where alarms are e-mailed; without it alarms still exist and show on the dashboard, but notify no one. */
  readonly alarmEmail?: string;
  /**
   * Device-shadow updates per second this deployment may spend. AWS IoT's account quota is ≈4,000/s in large
   * regions and 400/s elsewhere (adjustable), shared by every deployment in the account and region.
   */
  readonly shadowUpdateQuota: number;
}

export const CONTEXT_KEYS = {
  environment: 'hearth:environment',
  alarmEmail: 'hearth:alarmEmail',
  shadowUpdateQuota: 'hearth:shadowUpdateQuota',
} as const;

export const DEFAULT_CONFIG: HearthConfig = { environment: 'dev', shadowUpdateQuota: 400 };

const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]{0,19}$/;
// Deliberately loose: SNS validates the address and sends a confirmation mail.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Reads and checks the context; a bad value stops the synth with a message naming the key. */
export function readConfig(node: Node): HearthConfig {
  const environment = String(node.tryGetContext(CONTEXT_KEYS.environment) ?? DEFAULT_CONFIG.environment);
  if (!ENVIRONMENT_NAME.test(environment)) {
    throw new Error(`${CONTEXT_KEYS.environment} must be 1–20 characters of a-z, 0-9 and '-', starting with a letter; got '${environment}'`);
  }

  const rawEmail: unknown = node.tryGetContext(CONTEXT_KEYS.alarmEmail);
  const alarmEmail = rawEmail === undefined || rawEmail === '' ? undefined : String(rawEmail);
  if (alarmEmail !== undefined && !EMAIL.test(alarmEmail)) {
    throw new Error(`${CONTEXT_KEYS.alarmEmail} must be an e-mail address; got '${alarmEmail}'`);
  }

  // `-c key=value` arrives as a string, cdk.json values as numbers.
  const rawQuota: unknown = node.tryGetContext(CONTEXT_KEYS.shadowUpdateQuota) ?? DEFAULT_CONFIG.shadowUpdateQuota;
  const shadowUpdateQuota = Number(rawQuota);
  if (!Number.isInteger(shadowUpdateQuota) || shadowUpdateQuota < 1) {
    throw new Error(`${CONTEXT_KEYS.shadowUpdateQuota} must be a positive integer (updates per second); got '${String(rawQuota)}'`);
  }

  return { environment, ...(alarmEmail ? { alarmEmail } : {}), shadowUpdateQuota };
}
