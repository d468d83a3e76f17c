import type { EventDetailType } from '../schemas/events.ts';
import type { TableKey } from './tables.ts';

/**
 * Every Lambda and what triggers it, described once. `lib/` turns this into functions, rules, schedules,
 * queues and routes; `local/` into an in-process router, a scheduler on a virtual clock and an HTTP server.
 */
export type TableAccess = 'read' | 'write' | 'readWrite';

export interface ScheduleSpec {
  readonly name: string;
  /** EventBridge Scheduler expression: `rate(…)` or six-field `cron(…)`. */
  readonly expression: string;
  readonly timezone: string;
  /** Passed to the handler as its event. */
  readonly input: Record<string, unknown>;
}

export interface HttpRoute {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** API Gateway HTTP API path; `{name}` is a path parameter. */
  readonly path: string;
}

/** An IoT rule feeding an SQS queue that a function drains in batches, reporting partial batch failures. */
interface RuleQueue {
  readonly batchSize: number;
  readonly maxBatchingWindowS: number;
}

export type Trigger =
  | { readonly kind: 'events'; readonly detailTypes: readonly EventDetailType[] }
  | { readonly kind: 'schedules'; readonly schedules: readonly ScheduleSpec[] }
  /** Device telemetry from the Basic Ingest topic. */
  | ({ readonly kind: 'telemetryQueue' } & RuleQueue)
  /** IoT lifecycle events (connected / disconnected). */
  | ({ readonly kind: 'presenceQueue' } & RuleQueue)
  /** Public webhook routes: the function authenticates each request itself (the DR webhook's bearer token). */
  | { readonly kind: 'http'; readonly routes: readonly HttpRoute[] }
  /** Operator routes on an API that only IAM-signed requests reach. */
  | { readonly kind: 'operatorApi'; readonly routes: readonly HttpRoute[] };

export interface FunctionSpec {
  readonly id: string;
  /** Source file exporting `handler` (for Lambda) and `makeHandler(overrides)` (for tests and the local twin). */
  readonly entry: string;
  readonly description: string;
  readonly triggers: readonly Trigger[];
  readonly tables: Partial<Record<TableKey, TableAccess>>;
  readonly publishesEvents: boolean;
  readonly writesShadows: boolean;
  /** Creates and deletes IoT things, thing groups and certificates, and attaches the device policy. */
  readonly managesThings?: boolean;
  readonly secrets?: readonly ('drWebhookToken' | 'vtnClientCredentials')[];
  readonly memoryMb: number;
  readonly timeoutS: number;
  /** Extra environment, same value on AWS and locally. */
  readonly environment?: Record<string, string>;
  /** Reads the deployment's demand-response programs (DR_PROGRAMS). */
  readonly readsDrPrograms?: boolean;
  /**
   * Invocations that may run at once. `'shadowPush'`: the deployment's shadow-push concurrency, each
   * invocation pacing itself to its share of the shadow-update quota, so the sum never exceeds it.
   */
  readonly reservedConcurrency?: number | 'shadowPush';
}

/** Where the DR webhook takes OpenADR 3 notifications: the subscription callback a VEN registers with the VTN. */
export const OPENADR_CALLBACK_PATH = '/openadr3/callback';
// Spelled out: a template literal here would make esbuild keep the whole wiring in every bundle.
const OPENADR_CALLBACK_ECHO_PATH = '/openadr3/callback/echo';

export const functions = {
  ingestTelemetry: {
    id: 'IngestTelemetry',
    entry: 'functions/handlers/ingest-telemetry.ts',
    description: 'Validates telemetry of registered devices, moves each device\'s latest state forward and appends history',
    triggers: [{ kind: 'telemetryQueue', batchSize: 100, maxBatchingWindowS: 5 }],
    tables: { devices: 'read', deviceState: 'readWrite', telemetryHistory: 'write', quarantine: 'write' },
    publishesEvents: false,
    writesShadows: false,
    memoryMb: 512,
    timeoutS: 30,
  },
  planDevices: {
    id: 'PlanDevices',
    entry: 'functions/handlers/plan-devices.ts',
    description: 'Plans each affected device\'s power for the next 48 h and stores the plans',
    triggers: [
      { kind: 'events', detailTypes: ['PricesPublished', 'ForecastUpdated', 'GridEventReceived', 'ReplanRequested', 'PlanCohortRequested'] },
      {
        kind: 'schedules',
        schedules: [{ name: 'hourly-replan', expression: 'cron(0 * * * ? *)', timezone: 'UTC', input: { reason: 'hourly' } }],
      },
    ],
    tables: { devices: 'read', deviceState: 'read', plans: 'readWrite', marketData: 'read', gridEvents: 'read', idempotency: 'readWrite' },
    publishesEvents: true,
    writesShadows: false,
    readsDrPrograms: true,
    // A replan of more than one cohort fans out as PlanCohortRequested events back to this function; this many
    // cohorts plan at once (each reads and writes DynamoDB, so the tables' burst, not Lambda, sets the pace).
    reservedConcurrency: 20,
    memoryMb: 1024,
    timeoutS: 300,
  },
  pushShadow: {
    id: 'PushShadow',
    entry: 'functions/handlers/push-shadow.ts',
    description: 'Pushes stored plans to each device\'s `plan` named shadow when they change what the device does',
    triggers: [{ kind: 'events', detailTypes: ['PlansStored'] }],
    tables: { plans: 'read', deviceStatus: 'write' },
    publishesEvents: false,
    writesShadows: true,
    reservedConcurrency: 'shadowPush',
    memoryMb: 512,
    timeoutS: 120,
  },
  drWebhook: {
    id: 'DrWebhook',
    entry: 'functions/handlers/dr-webhook.ts',
    description: 'Receives OpenADR 3 notifications and plain JSON dispatches: authenticates, validates, stores, emits GridEventReceived',
    triggers: [
      {
        kind: 'http',
        routes: [
          { method: 'POST', path: OPENADR_CALLBACK_PATH },
          { method: 'GET', path: OPENADR_CALLBACK_PATH },
          { method: 'GET', path: OPENADR_CALLBACK_ECHO_PATH },
          { method: 'POST', path: '/dispatch' },
        ],
      },
    ],
    tables: { gridEvents: 'readWrite', quarantine: 'write', venState: 'write' },
    publishesEvents: true,
    writesShadows: false,
    secrets: ['drWebhookToken'],
    readsDrPrograms: true,
    memoryMb: 256,
    timeoutS: 10,
  },
  fetchPrices: {
    id: 'FetchPrices',
    entry: 'functions/handlers/fetch-prices.ts',
    description: 'Fetches day-ahead prices from Energi Data Service, stores changed days, emits PricesPublished',
    triggers: [
      {
        kind: 'schedules',
        // Nord Pool publishes tomorrow's prices around 12:45 CET; retry until 16:45 in case it is late.
        schedules: [
          {
            name: 'prices-energidataservice',
            expression: 'cron(0 13-16 * * ? *)',
            timezone: 'Europe/Copenhagen',
            input: { source: 'energidataservice', zones: ['DK1', 'DK2'] },
          },
        ],
      },
    ],
    tables: { marketData: 'readWrite' },
    publishesEvents: true,
    writesShadows: false,
    memoryMb: 256,
    timeoutS: 60,
    environment: { ENERGIDATASERVICE_URL: 'https://api.energidataservice.dk' },
  },
  fetchWeather: {
    id: 'FetchWeather',
    entry: 'functions/handlers/fetch-weather.ts',
    description: 'Fetches one Open-Meteo forecast per weather cell of the fleet, stores it, emits ForecastUpdated on change',
    triggers: [
      {
        kind: 'schedules',
        schedules: [{ name: 'weather-open-meteo', expression: 'cron(10 */3 * * ? *)', timezone: 'UTC', input: { source: 'open-meteo' } }],
      },
    ],
    tables: { devices: 'read', marketData: 'readWrite' },
    publishesEvents: true,
    writesShadows: false,
    memoryMb: 256,
    timeoutS: 60,
    environment: { OPEN_METEO_URL: 'https://api.open-meteo.com' },
  },
  recordPresence: {
    id: 'RecordPresence',
    entry: 'functions/handlers/record-presence.ts',
    description: 'Moves each device\'s online state and last connect/disconnect forward from IoT lifecycle events',
    triggers: [{ kind: 'presenceQueue', batchSize: 100, maxBatchingWindowS: 5 }],
    tables: { devices: 'read', deviceStatus: 'write', quarantine: 'write' },
    publishesEvents: false,
    writesShadows: false,
    memoryMb: 256,
    timeoutS: 30,
  },
  reconcileDevices: {
    id: 'ReconcileDevices',
    entry: 'functions/handlers/reconcile-devices.ts',
    description: 'Sorts every device into following, lagging, diverged or offline against its plan, counts them, replans the diverged',
    triggers: [
      {
        kind: 'schedules',
        schedules: [{ name: 'reconcile-devices', expression: 'rate(15 minutes)', timezone: 'UTC', input: { reason: 'scheduled' } }],
      },
    ],
    tables: { devices: 'read', deviceState: 'read', deviceStatus: 'read', plans: 'read', gridEvents: 'read' },
    publishesEvents: true,
    writesShadows: false,
    memoryMb: 1024,
    timeoutS: 300,
  },
  devicesApi: {
    id: 'DevicesApi',
    entry: 'functions/handlers/devices-api.ts',
    description: 'Registers, describes, lists and decommissions devices: IoT things, thing groups, certificates and registry records',
    triggers: [
      {
        kind: 'operatorApi',
        routes: [
          { method: 'POST', path: '/devices' },
          { method: 'GET', path: '/devices' },
          { method: 'GET', path: '/devices/{deviceId}' },
          { method: 'DELETE', path: '/devices/{deviceId}' },
        ],
      },
    ],
    tables: { devices: 'readWrite', deviceStatus: 'readWrite' },
    publishesEvents: false,
    writesShadows: false,
    managesThings: true,
    memoryMb: 256,
    timeoutS: 30,
  },
  venSync: {
    id: 'VenSync',
    entry: 'functions/handlers/ven-sync.ts',
    description: "The utility VTN's client (OpenADR 3 VEN): keeps the event subscriptions, polls when webhooks go quiet, reports usage and baseline after each event",
    triggers: [
      {
        kind: 'schedules',
        schedules: [{ name: 'ven-sync', expression: 'rate(5 minutes)', timezone: 'UTC', input: { reason: 'scheduled' } }],
      },
    ],
    tables: { gridEvents: 'readWrite', quarantine: 'write', venState: 'readWrite', devices: 'read', telemetryHistory: 'read' },
    publishesEvents: true,
    writesShadows: false,
    secrets: ['vtnClientCredentials', 'drWebhookToken'],
    readsDrPrograms: true,
    memoryMb: 512,
    // Under the 5-minute period, so runs do not pile up.
    timeoutS: 240,
  },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionKey = keyof typeof functions;

/**
 * Environment variable choosing the planning policy (`hearth-dp`, the default, or `thermostat`): a safe mode
 * for operators without new code, and how the twin compares policies.
 */
export const PLANNER_POLICY_ENV = 'PLANNER_POLICY';
/** Environment variable naming the EventBridge bus; the same on AWS and locally. */
export const EVENT_BUS_ENV = 'EVENT_BUS_NAME';
/** Environment variable holding the deployment's DR programs as JSON (schemas/dr-program.ts); absent: none. */
export const DR_PROGRAMS_ENV = 'DR_PROGRAMS';
/** Environment variable naming the Secrets Manager secret with the DR webhook bearer token(s). */
export const DR_TOKEN_SECRET_ENV = 'DR_TOKEN_SECRET_ID';
/**
 * Environment variable naming the Secrets Manager secret with the VTN's URL and OAuth2 client credentials
 * (`{"vtnUrl", "clientId", "clientSecret", "tokenUrl"?, "scope"?, "clientName"?, "callbackUrl"?}`); unset, or the
 * secret absent or without vtnUrl: no VTN, the VEN idles.
 */
export const VTN_SECRET_ENV = 'VTN_SECRET_ID';
/** The DR webhook's OpenADR callback URL the VEN subscribes with, unless the VTN secret names one. */
export const VTN_CALLBACK_URL_ENV = 'VTN_CALLBACK_URL';
export const POWERTOOLS_NAMESPACE = 'Hearth';
/** Shadow updates per second the deployment may spend; functions that write shadows pace themselves by it. */
export const SHADOW_UPDATE_QUOTA_ENV = 'SHADOW_UPDATES_PER_SECOND';
/** The IoT policy attached to every device certificate (connect as itself, its own topics and shadows). */
export const DEVICE_POLICY_ENV = 'DEVICE_POLICY_NAME';

/** The functions with their specs typed as FunctionSpec, for code that walks all of them. */
export const functionSpecs = (): [FunctionKey, FunctionSpec][] => Object.entries(functions) as [FunctionKey, FunctionSpec][];

/** The function's reserved concurrency: a number, or the deployment's shadow-push concurrency. */
export function reservedConcurrencyOf(spec: FunctionSpec, deployment: { readonly shadowPushConcurrency: number }): number | undefined {
  return spec.reservedConcurrency === 'shadowPush' ? deployment.shadowPushConcurrency : spec.reservedConcurrency;
}

/**
 * Shadow updates per second one invocation may spend: the quota shared by the invocations that may run at once,
 * so concurrency × rate never exceeds it.
 */
export function shadowUpdatesPerInvocation(spec: FunctionSpec, deployment: { readonly shadowPushConcurrency: number; readonly shadowUpdateQuota: number }): number {
  const concurrency = reservedConcurrencyOf(spec, deployment);
  if (concurrency === undefined) throw new Error(`${spec.id} writes shadows but has no reserved concurrency to share the shadow update quota by`);
  return Math.max(1, Math.floor(deployment.shadowUpdateQuota / concurrency));
}
