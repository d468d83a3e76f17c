import type { Node } from 'constructs';
import { parseDrPrograms, type DrProgram } from '../schemas/dr-program.ts';

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
  /**
   * Shadow pushes running at once. Each paces itself to quota ÷ concurrency, so together they stay within the
   * quota; more of them only helps while one push cannot use its share (the shadow service answers in ≈50 ms).
   */
  readonly shadowPushConcurrency: number;
  /** What each demand-response program means for the fleet and which utility may post its events. */
  readonly drPrograms: readonly DrProgram[];
}

export const CONTEXT_KEYS = {
  environment: 'hearth:environment',
  alarmEmail: 'hearth:alarmEmail',
  shadowUpdateQuota: 'hearth:shadowUpdateQuota',
  drPrograms: 'hearth:drPrograms',
  shadowPushConcurrency: 'hearth:shadowPushConcurrency',
} as const;

export const DEFAULT_CONFIG: HearthConfig = { environment: 'dev', shadowUpdateQuota: 400, shadowPushConcurrency: 4, drPrograms: [] };

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

  const rawConcurrency: unknown = node.tryGetContext(CONTEXT_KEYS.shadowPushConcurrency) ?? DEFAULT_CONFIG.shadowPushConcurrency;
  const shadowPushConcurrency = Number(rawConcurrency);
  if (!Number.isInteger(shadowPushConcurrency) || shadowPushConcurrency < 1 || shadowPushConcurrency > shadowUpdateQuota) {
    throw new Error(`${CONTEXT_KEYS.shadowPushConcurrency} must be an integer from 1 to the shadow update quota (${shadowUpdateQuota}); got '${String(rawConcurrency)}'`);
  }

  // cdk.json gives an array; `-c hearth:drPrograms='[…]'` a JSON string.
  const drPrograms = parseDrPrograms(node.tryGetContext(CONTEXT_KEYS.drPrograms) ?? [], CONTEXT_KEYS.drPrograms);

  return { environment, ...(alarmEmail ? { alarmEmail } : {}), shadowUpdateQuota, shadowPushConcurrency, drPrograms };
}
