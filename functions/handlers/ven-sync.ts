import { createHash } from 'node:crypto';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { DR_TOKEN_SECRET_ENV, EVENT_BUS_ENV, VTN_CALLBACK_URL_ENV, VTN_SECRET_ENV } from '../../wiring/functions.ts';
import { dynamoStores } from '../adapters/dynamodb/stores.ts';
import { DynamoVenStateStore } from '../adapters/dynamodb/ven-state-store.ts';
import { EventBridgePublisher } from '../adapters/eventbridge/event-publisher.ts';
import { HttpVtnClient } from '../adapters/openadr/vtn-client.ts';
import { SecretsManagerTokenSource } from '../adapters/secrets/secrets-manager-token-source.ts';
import { SecretsManagerVtnCredentials } from '../adapters/secrets/secrets-manager-vtn-credentials.ts';
import { getDocumentClient, getEventBridge } from '../commons/aws-clients.ts';
import { drProgramsFromEnv } from '../commons/dr-programs.ts';
import { requireEnv, tableName } from '../commons/environment.ts';
import { logger, metrics } from '../commons/observability.ts';
import { pollEventsIfSilent, type PollOutcome } from '../domain/grid/ven-poll.ts';
import { reportEndedEvents, type ReportOutcome } from '../domain/grid/ven-reports.ts';
import { ensureSubscriptions, type SubscriptionAction } from '../domain/grid/ven-subscriptions.ts';
import { systemClock, type Clock } from '../ports/clock.ts';
import type { EventPublisher } from '../ports/event-publisher.ts';
import type { DeviceRegistry, GridEventStore, QuarantineStore, TelemetryHistory } from '../ports/stores.ts';
import { DEFAULT_UTILITY, type TokenSource } from '../ports/token-source.ts';
import type { VenStateStore } from '../ports/ven-state.ts';
import type { Vtn } from '../ports/vtn.ts';
import type { VtnCredentials, VtnCredentialsSource } from '../ports/vtn-credentials.ts';

export interface VenSyncPorts {
  credentials: VtnCredentialsSource;
  /** The VTN client for a set of credentials (tests and the twin may hand in their own). */
  vtnFor: (credentials: VtnCredentials) => Vtn;
  /** The DR webhook's bearer tokens: the first of the VTN's utility is registered with each subscription. */
  webhookTokens: TokenSource | undefined;
  /** The programs this deployment takes part in (DR_PROGRAMS); none: every program the VTN shows us. */
  configuredPrograms: () => readonly string[];
  venState: VenStateStore;
  gridEvents: GridEventStore;
  quarantine: QuarantineStore;
  events: EventPublisher;
  devices: DeviceRegistry;
  telemetry: TelemetryHistory;
  clock: Clock;
}

export type VenSyncResult =
  | { status: 'not-configured' }
  | {
      status: 'synced';
      programIds: string[];
      subscriptions?: Record<string, SubscriptionAction>;
      poll?: PollOutcome;
      reports?: ReportOutcome[];
    };

const NOT_CONFIGURED: VtnCredentialsSource = { credentials: async () => undefined };

/** A hash of the token, so a rotation is noticed without the token being stored. */
const fingerprint = (token: string | undefined): string => (token === undefined ? 'none' : createHash('sha256').update(token).digest('hex').slice(0, 16));

/** The programs to follow: those configured that the VTN knows, or all it shows us when none are configured. */
async function programsToFollow(vtn: Vtn, configured: readonly string[]): Promise<string[]> {
  const offered = (await vtn.programs()).map((p) => p.id);
  if (configured.length === 0) return offered;
  const unknown = configured.filter((id) => !offered.includes(id));
  if (unknown.length) logger.warn('configured DR programs the VTN does not show us: not followed', { unknown });
  return configured.filter((id) => offered.includes(id));
}

/**
 * The VEN, every 5 minutes: keeps a subscription per program at the utility's VTN, polls the VTN for events
 * when the webhook has gone quiet (stored like notifications), and posts a report after each ended event as
 * its reportDescriptors ask. The steps fail apart: a failing one is logged and counted, the others still run,
 * and the run then fails so the schedule's retries and alarms see it. Without a configured VTN it does nothing.
 */
export function makeHandler(overrides: Partial<VenSyncPorts> = {}) {
  const clock = overrides.clock ?? systemClock;
  const secrets = () => new SecretsManagerClient({});
  // Built apart from the rest, so a deployment without a VTN reads one secret (or none) and touches nothing else.
  let credentialsSource: VtnCredentialsSource | undefined;
  const getCredentials = (): VtnCredentialsSource =>
    (credentialsSource ??=
      overrides.credentials ?? (process.env[VTN_SECRET_ENV] ? new SecretsManagerVtnCredentials(secrets(), requireEnv(VTN_SECRET_ENV), () => clock.now().getTime()) : NOT_CONFIGURED));
  let ports: Omit<VenSyncPorts, 'credentials'> | undefined;
  const getPorts = (): Omit<VenSyncPorts, 'credentials'> => {
    if (ports) return ports;
    const clients = new Map<string, Vtn>();
    return (ports = {
      clock,
      // One client per credentials, kept across warm invocations so its token is reused.
      vtnFor:
        overrides.vtnFor ??
        ((c) => {
          const key = JSON.stringify(c);
          let client = clients.get(key);
          if (!client) clients.set(key, (client = new HttpVtnClient(c, () => clock.now().getTime())));
          return client;
        }),
      webhookTokens: 'webhookTokens' in overrides ? overrides.webhookTokens : process.env[DR_TOKEN_SECRET_ENV] ? new SecretsManagerTokenSource(secrets(), requireEnv(DR_TOKEN_SECRET_ENV)) : undefined,
      configuredPrograms: overrides.configuredPrograms ?? (() => drProgramsFromEnv().map((p) => p.programId)),
      venState: overrides.venState ?? new DynamoVenStateStore(getDocumentClient(), tableName('venState')),
      gridEvents: overrides.gridEvents ?? dynamoStores.gridEvents(),
      quarantine: overrides.quarantine ?? dynamoStores.quarantine(),
      events: overrides.events ?? new EventBridgePublisher(getEventBridge(), requireEnv(EVENT_BUS_ENV)),
      devices: overrides.devices ?? dynamoStores.devices(),
      telemetry: overrides.telemetry ?? dynamoStores.telemetryHistory(),
    });
  };

  const handle = async (): Promise<VenSyncResult> => {
    const credentials = await getCredentials().credentials();
    if (!credentials) {
      metrics.addMetric('VenIdle', MetricUnit.Count, 1);
      logger.info(`VEN idle: no VTN configured (${VTN_SECRET_ENV} unset, or its secret absent or without vtnUrl)`);
      return { status: 'not-configured' };
    }
    const p = getPorts();
    const vtn = p.vtnFor(credentials);
    const clientName = credentials.clientName ?? credentials.clientId;
    const programIds = await programsToFollow(vtn, p.configuredPrograms());
    const failures: string[] = [];
    const step = async <T>(name: string, run: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await run();
      } catch (e) {
        failures.push(`${name}: ${(e as Error).message}`);
        logger.error(`VEN ${name} failed`, { error: (e as Error).message });
        metrics.addMetric('VenStepFailed', MetricUnit.Count, 1);
        return undefined;
      }
    };

    const callbackUrl = credentials.callbackUrl ?? process.env[VTN_CALLBACK_URL_ENV];
    const subscriptions = await step('subscriptions', async () => {
      if (!callbackUrl) {
        logger.warn(`no callback URL (secret callbackUrl or ${VTN_CALLBACK_URL_ENV}): not subscribing, the VEN polls`);
        return undefined;
      }
      const utility = credentials.utility ?? DEFAULT_UTILITY;
      const bearerToken = (await p.webhookTokens?.tokens())?.find((t) => t.utility === utility)?.token;
      if (bearerToken === undefined) {
        logger.warn(`no DR webhook token of utility ${utility} (${DR_TOKEN_SECRET_ENV}): the VTN could not authenticate to the callback; not subscribing, the VEN polls`);
        return undefined;
      }
      return ensureSubscriptions({ ...p, vtn }, { clientName, callbackUrl, bearerToken, tokenFingerprint: fingerprint(bearerToken), programIds, now: p.clock.now() });
    });
    const poll = await step('poll', () => pollEventsIfSilent({ ...p, vtn }, programIds));
    const reports = await step('reports', () => reportEndedEvents({ ...p, vtn }, { clientName, programIds }));

    if (poll?.polled) metrics.addMetric('VtnEventsPolled', MetricUnit.Count, poll.fetched);
    metrics.addMetric('VtnReportsPosted', MetricUnit.Count, reports?.filter((r) => r.status === 'posted').length ?? 0);
    metrics.addMetric('VtnReportsFailed', MetricUnit.Count, reports?.filter((r) => r.status === 'failed').length ?? 0);
    const changed = Object.entries(subscriptions ?? {}).filter(([, action]) => action !== 'kept');
    if (changed.length) logger.info('VTN subscriptions changed', { changed: Object.fromEntries(changed) });
    if (poll?.polled) logger.info('VTN polled', { ...poll });
    for (const r of reports ?? []) (r.status === 'failed' ? logger.warn : logger.info).call(logger, `VTN report ${r.status}`, { ...r });

    // Failed reports are retried next run; failed steps fail the run, so schedules' retries and alarms see them.
    if (failures.length) throw new Error(`VEN sync: ${failures.join('; ')}`);
    return {
      status: 'synced',
      programIds,
      ...(subscriptions ? { subscriptions } : {}),
      ...(poll ? { poll } : {}),
      ...(reports ? { reports } : {}),
    };
  };

  return middy(async (_event: unknown, _context: Context) => handle())
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics));
}

export const handler = makeHandler();
