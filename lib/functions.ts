import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { CfnFunction, Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import {
  DEVICE_POLICY_ENV,
  DR_PROGRAMS_ENV,
  DR_TOKEN_SECRET_ENV,
  SHADOW_UPDATE_QUOTA_ENV,
  EVENT_BUS_ENV,
  VTN_SECRET_ENV,
  POWERTOOLS_NAMESPACE,
  functions,
  reservedConcurrencyOf,
  shadowUpdatesPerInvocation,
  tables,
  type FunctionKey,
  type FunctionSpec,
  type TableAccess,
  type TableKey,
} from '../wiring/index.ts';
import type { HearthConfig } from './config.ts';
import { HearthFunction } from './hearth-function.ts';
import { IOT_DATA_ENDPOINT_ENV, IotDataEndpoint } from './iot-data-endpoint.ts';
import { grantShadowAccess, grantThingManagement } from './iot-grants.ts';
import { grantTableAccess } from './table-access.ts';
import type { HearthTables } from './tables.ts';
import { vtnCredentialsSecret } from './vtn-credentials.ts';

export type SecretKey = NonNullable<FunctionSpec['secrets']>[number];

/** Which variable tells a handler where each secret lives. */
const SECRET_ENV: Record<SecretKey, string> = { drWebhookToken: DR_TOKEN_SECRET_ENV, vtnClientCredentials: VTN_SECRET_ENV };

export { SHADOW_UPDATE_QUOTA_ENV } from '../wiring/functions.ts';

export interface HearthFunctionsProps {
  readonly config: HearthConfig;
  /** The IoT policy functions that manage things attach to device certificates. */
  readonly devicePolicyName: string;
  readonly tables: HearthTables;
  readonly bus: IEventBus;
  /** The VTN credentials, when not given, are the secret of their conventional name (lib/vtn-credentials.ts). */
  readonly secrets: Omit<Record<SecretKey, ISecret>, 'vtnClientCredentials'> & { readonly vtnClientCredentials?: ISecret };
}

export interface WiredFunction {
  readonly key: FunctionKey;
  readonly spec: FunctionSpec;
  readonly function: LambdaFunction;
}

/** Every Lambda of `wiring/functions.ts`, with the environment and the grants its entry names, and nothing more. */
export class HearthFunctions extends Construct {
  readonly all: readonly WiredFunction[];

  constructor(scope: Construct, id: string, props: HearthFunctionsProps) {
    super(scope, id);
    const specs = Object.entries(functions) as [FunctionKey, FunctionSpec][];
    const secrets: Record<SecretKey, ISecret> = {
      ...props.secrets,
      vtnClientCredentials: props.secrets.vtnClientCredentials ?? vtnCredentialsSecret(this, 'VtnClientCredentials', props.config.environment),
    };
    // Looked up once, and only when some function writes shadows.
    const iotDataEndpoint = specs.some(([, spec]) => spec.writesShadows) ? new IotDataEndpoint(this, 'IotDataEndpoint').url : undefined;

    this.all = specs.map(([key, spec]) => {
      const tableAccess = Object.entries(spec.tables) as [TableKey, TableAccess][];
      const environment: Record<string, string> = {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: spec.id,
        POWERTOOLS_METRICS_NAMESPACE: POWERTOOLS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...Object.fromEntries(tableAccess.map(([table]) => [tables[table].envVar, props.tables.table(table).tableName])),
        ...(spec.publishesEvents ? { [EVENT_BUS_ENV]: props.bus.eventBusName } : {}),
        ...Object.fromEntries((spec.secrets ?? []).map((secret) => [SECRET_ENV[secret], secrets[secret].secretArn])),
        ...(spec.writesShadows && iotDataEndpoint
          ? { [IOT_DATA_ENDPOINT_ENV]: iotDataEndpoint, [SHADOW_UPDATE_QUOTA_ENV]: String(shadowUpdatesPerInvocation(spec, props.config)) }
          : {}),
        ...(spec.managesThings ? { [DEVICE_POLICY_ENV]: props.devicePolicyName } : {}),
        ...(spec.readsDrPrograms ? { [DR_PROGRAMS_ENV]: JSON.stringify(props.config.drPrograms) } : {}),
        // Last: the wiring's own values are the same on AWS and locally, and win.
        ...spec.environment,
      };
      const { function: fn, role } = new HearthFunction(this, spec.id, { spec, environment });
      const reserved = reservedConcurrencyOf(spec, props.config);
      if (reserved !== undefined) (fn.node.defaultChild as CfnFunction).reservedConcurrentExecutions = reserved;

      for (const [table, access] of tableAccess) grantTableAccess(role, props.tables.table(table), tables[table], access);
      if (spec.publishesEvents) props.bus.grantPutEventsTo(role);
      for (const secret of spec.secrets ?? []) secrets[secret].grantRead(role);
      if (spec.writesShadows) grantShadowAccess(role);
      if (spec.managesThings) grantThingManagement(role);

      return { key, spec, function: fn };
    });
  }

  get(key: FunctionKey): LambdaFunction {
    const wired = this.all.find((f) => f.key === key);
    if (!wired) throw new Error(`no function '${key}' in wiring/functions.ts`);
    return wired.function;
  }
}
