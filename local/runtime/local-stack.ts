import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context } from 'aws-lambda';
import { DEVICE_POLICY_ENV, DR_TOKEN_SECRET_ENV, EVENT_BUS_ENV, OPENADR_CALLBACK_PATH, VTN_SECRET_ENV, functionSpecs, functions, type FunctionKey } from '../../wiring/functions.ts';
import { startOpenAdrVtnServer, type VtnStandIn } from '../stand-ins/openadr-vtn-server.ts';
import { LocalEventBus } from '../aws/event-bus.ts';
import { dynamoEnvironment, startLocalDynamo, type LocalDynamo } from '../aws/dynamodb-local.ts';
import { startLocalJsonServices } from '../aws/json-protocol-server.ts';
import { startControlPlaneService, type LocalControlPlane } from '../iot/control-plane-service.ts';
import { startMqttBroker } from '../iot/mqtt-broker.ts';
import { emitPresenceEvents } from '../iot/presence-events.ts';
import { startShadowService, type ShadowRequestCounts } from '../iot/shadow-service.ts';
import { startEnergiDataServiceServer } from '../stand-ins/energidataservice-server.ts';
import { startOpenMeteoServer } from '../stand-ins/open-meteo-server.ts';
import { lambdaContext } from './lambda-context.ts';
import { LocalQueue } from './local-queue.ts';
import { LocalScheduler } from './scheduler.ts';
import { TelemetryCollector } from './telemetry-collector.ts';
import { VirtualClock } from './virtual-clock.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DR_TOKEN_SECRET_ID = 'hearth/local/dr-webhook-token';
const VTN_SECRET_ID = 'hearth/local/vtn-client-credentials';
/** The client the local VTN issued to Hearth's VEN. */
const VTN_CLIENT = { id: 'hearth-local-ven', secret: 'local-vtn-client-secret-0123456789' };
/** The device policy the CDK stack creates (lib/device-policy.ts), by the name the local stack gives it. */
const DEVICE_POLICY_NAME = 'hearth-local-device';
/** How often the local telemetry queue redelivers a failed record before it dead-letters it, as SQS would. */
const MAX_RECEIVES = 5;

type Handler = (event: unknown, context: Context) => Promise<unknown>;

export interface LocalStackOptions {
  start: Date;
  /** Bearer token the local DR webhook accepts. */
  drToken?: string;
  /** Handler log level (Powertools); ERROR keeps the twin's output to its summary. */
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** A utility's OpenADR 3 VTN running these programs, with the VEN (ven-sync) enrolled in it. */
  vtn?: { programs: readonly string[] };
  /**
   * Run as a fleet at scale: the bus delivers events at once up to each function's reserved concurrency, and
   * DynamoDB answers from a child process on the other core. Off, runs repeat exactly.
   */
  scale?: boolean;
}

export interface LocalStack {
  clock: VirtualClock;
  brokerUrl: string;
  shadowEndpoint: string;
  /** The IoT registry (things, groups, certificates) the devices API and CLI reach through AWS_ENDPOINT_URL_IOT. */
  controlPlane: LocalControlPlane;
  dynamo: LocalDynamo;
  bus: LocalEventBus;
  scheduler: LocalScheduler;
  telemetry: TelemetryCollector;
  telemetryDeadLetters: string[];
  /** The utility's VTN, when one was asked for: what it received (subscriptions, reports). */
  vtn?: VtnStandIn;
  invoke(fn: FunctionKey, event: unknown): Promise<unknown>;
  /** Runs the schedules due in (after, upTo] and delivers every event they cause. */
  runSchedules(after: Date, upTo: Date): Promise<void>;
  /** Hands collected telemetry to the ingest handler in SQS batches, redelivering failed records. */
  flushTelemetry(): Promise<void>;
  /** Hands the lifecycle events of MQTT connects and disconnects so far to the presence handler, likewise. */
  flushPresence(): Promise<void>;
  /** Waits until the shadow service has sent every MQTT message it queued. */
  flushShadows(): Promise<void>;
  /** Shadow requests the data plane has answered so far. */
  shadowRequests(): ShadowRequestCounts;
  close(): Promise<void>;
}

/**
 * Every AWS service and data source of Hearth on loopback, with the handlers of the wiring loaded as they run
 * on Lambda and reaching the stand-ins through the SDK's standard endpoint configuration. Sets process.env
 * for this process: one local stack per process.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  // The SDK warns once per process that Node 20 support ends in 2027; Lambdas run Node 22+, the twin is fine.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const clock = new VirtualClock(options.start);
  const now = () => clock.now();
  const closers: (() => Promise<void>)[] = [];
  try {
    const dynamo = await startLocalDynamo({ inChildProcess: options.scale ?? false });
    closers.push(() => dynamo.close());
    const broker = await startMqttBroker({});
    closers.push(() => broker.close());
    const shadows = await startShadowService({ broker: broker.aedes, now });
    closers.push(() => shadows.close());
    const controlPlane = await startControlPlaneService({ now, policies: { [DEVICE_POLICY_NAME]: JSON.stringify({ see: 'lib/device-policy.ts' }) } });
    closers.push(() => controlPlane.close());

    const handlers = new Map<FunctionKey, Handler>();
    const invoke = async (fn: FunctionKey, event: unknown) => {
      const handler = handlers.get(fn);
      if (!handler) throw new Error(`no handler loaded for ${fn}`);
      return handler(event, lambdaContext(functions[fn].id, functions[fn].timeoutS));
    };
    const bus = new LocalEventBus(invoke, now, { concurrent: options.scale ?? false });
    const vtn = options.vtn
      ? await startOpenAdrVtnServer({ now, clients: { [VTN_CLIENT.id]: VTN_CLIENT.secret }, programs: options.vtn.programs.map((id) => ({ id, programName: id })) })
      : undefined;
    if (vtn) closers.push(() => vtn.close());
    const json = await startLocalJsonServices({
      bus,
      secrets: {
        [DR_TOKEN_SECRET_ID]: JSON.stringify({ tokens: [options.drToken ?? 'local-dr-token-change-me'] }),
        ...(vtn
          ? { [VTN_SECRET_ID]: JSON.stringify({ vtnUrl: vtn.url, clientId: VTN_CLIENT.id, clientSecret: VTN_CLIENT.secret, callbackUrl: `http://127.0.0.1${OPENADR_CALLBACK_PATH}` }) }
          : {}),
      },
    });
    closers.push(() => json.close());
    const prices = await startEnergiDataServiceServer({ now });
    closers.push(() => prices.close());
    const weather = await startOpenMeteoServer({ now });
    closers.push(() => weather.close());

    Object.assign(process.env, {
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_IOT_DATA_PLANE: shadows.endpoint,
      AWS_ENDPOINT_URL_IOT: controlPlane.endpoint,
      [DEVICE_POLICY_ENV]: DEVICE_POLICY_NAME,
      AWS_ENDPOINT_URL_EVENTBRIDGE: json.endpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: json.endpoint,
      ...dynamoEnvironment(dynamo),
      [EVENT_BUS_ENV]: 'hearth-local',
      [DR_TOKEN_SECRET_ENV]: DR_TOKEN_SECRET_ID,
      ...(vtn ? { [VTN_SECRET_ENV]: VTN_SECRET_ID } : {}),
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: options.logLevel ?? 'ERROR',
      POWERTOOLS_SERVICE_NAME: 'hearth-local',
    });
    if (!vtn) delete process.env[VTN_SECRET_ENV];
    for (const [, spec] of functionSpecs()) Object.assign(process.env, spec.environment ?? {});
    process.env.ENERGIDATASERVICE_URL = prices.url;
    process.env.OPEN_METEO_URL = weather.url;
    for (const [fn, spec] of functionSpecs()) {
      const module = (await import(resolve(REPO_ROOT, spec.entry))) as { makeHandler(overrides: { clock: VirtualClock }): Handler };
      handlers.set(fn, module.makeHandler({ clock }));
    }

    const telemetryQueue = new LocalQueue('telemetry', MAX_RECEIVES);
    const telemetry = new TelemetryCollector(broker.aedes, telemetryQueue);
    const presenceQueue = new LocalQueue('presence', MAX_RECEIVES);
    const presence = emitPresenceEvents(broker.aedes, now, (event) => presenceQueue.push(JSON.stringify(event)));
    closers.push(async () => presence.detach());
    const scheduler = new LocalScheduler();
    const ingest = functions.ingestTelemetry.triggers[0];
    const presenceTrigger = functions.recordPresence.triggers[0];
    type BatchOut = { batchItemFailures: { itemIdentifier: string }[] };

    return {
      clock,
      brokerUrl: broker.url,
      shadowEndpoint: shadows.endpoint,
      controlPlane,
      dynamo,
      bus,
      scheduler,
      telemetry,
      telemetryDeadLetters: telemetryQueue.deadLetters,
      ...(vtn ? { vtn } : {}),
      invoke,
      async runSchedules(after, upTo) {
        for (const due of scheduler.due(after, upTo)) {
          try {
            await invoke(due.fn, due.schedule.input);
          } catch (e) {
            // Scheduler retries and then dead-letters; the next firing is the retry that matters locally.
            process.stderr.write(`schedule ${due.schedule.name} at ${due.at.toISOString()} failed: ${(e as Error).message}\n`);
          }
          await bus.drain();
        }
      },
      flushTelemetry: () => telemetryQueue.flush(ingest.batchSize, async (event) => (await invoke('ingestTelemetry', event)) as BatchOut),
      flushPresence: () => presenceQueue.flush(presenceTrigger.batchSize, async (event) => (await invoke('recordPresence', event)) as BatchOut),
      flushShadows: () => shadows.flush(),
      shadowRequests: () => shadows.requests(),
      async close() {
        for (const close of closers.reverse()) await close();
      },
    };
  } catch (e) {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    throw e;
  }
}
