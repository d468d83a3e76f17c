import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { dynamoStores } from '../../functions/adapters/dynamodb/stores.ts';
import { IotThingRegistry } from '../../functions/adapters/iot/iot-thing-registry.ts';
import { getIot } from '../../functions/commons/aws-clients.ts';
import { requireEnv } from '../../functions/commons/environment.ts';
import { decommissionDevice } from '../../functions/domain/devices/decommission-device.ts';
import { describeDevice, listDevices } from '../../functions/domain/devices/describe-devices.ts';
import type { DeviceAdminPorts } from '../../functions/domain/devices/device-admin-ports.ts';
import { registerDevice, type RegisterOutcome } from '../../functions/domain/devices/register-device.ts';
import { generateFleet } from '../../local/fleet/generate-fleet.ts';
import { startLocalStack } from '../../local/runtime/local-stack.ts';
import { DEVICE_POLICY_ENV } from '../../wiring/functions.ts';
import type { Command } from '../command.ts';

const USAGE = `hearth devices add (--file <registration.json> | --sample <N>) [--certificate-arn <arn>] [--out <dir>] [--local]
hearth devices list [--group zone-<zone>|dr-<program>|feeder-<feeder>] [--local [--sample <N>]]
hearth devices show <deviceId> [--local [--sample <N>]]
hearth devices remove <deviceId> [--local [--sample <N>]]
  Registers devices (IoT thing with site/zone/weather-cell attributes, zone/DR/feeder thing groups, a certificate
  with the device policy, the registry record), lists them by group, describes and decommissions them.
  The registration file is {"device": <device record>, "certificateArn"?: "…"} (schemas/json/device-registration
  .schema.json) or a bare device record; --sample N registers the twin's first N generated heaters. Without a
  certificate ARN, keys and a certificate are created and returned once: written to --out as
  <id>.cert.pem / <id>.private.key / <id>.public.key (0600), else printed.
  Against a deployment: AWS credentials and region as for the AWS CLI, and TABLE_DEVICES, TABLE_DEVICE_STATUS and
  ${DEVICE_POLICY_ENV} from the stack (AWS_ENDPOINT_URL_IOT / _DYNAMODB to aim elsewhere). --local starts the local
  stack in this process for this one command (seeded with N sample heaters by --sample); what it holds is gone
  when the command ends.`;

/** The ports from the environment: the deployment's tables and policy, or the local stack's. */
const portsFromEnvironment = (): DeviceAdminPorts => ({
  registry: dynamoStores.devices(),
  things: new IotThingRegistry(getIot(), requireEnv(DEVICE_POLICY_ENV)),
  status: dynamoStores.deviceStatus(),
});

/** With --local, a fresh local stack for this command, seeded with `seed` sample heaters when asked. */
async function withPorts<T>(local: boolean, seed: number, work: (ports: DeviceAdminPorts) => Promise<T>): Promise<T> {
  if (!local) {
    if (seed) throw new Error('--sample seeds only a --local stack when listing, showing or removing');
    return work(portsFromEnvironment());
  }
  const stack = await startLocalStack({ start: new Date() });
  try {
    const ports = portsFromEnvironment();
    for (const heater of generateFleet(seed)) await registerDevice({ device: heater.record }, ports);
    return await work(ports);
  } finally {
    await stack.close();
  }
}

function sampleCount(sample: string | undefined): number {
  if (sample === undefined) return 0;
  const count = Number(sample);
  if (!Number.isInteger(count) || count < 1 || count > 100) throw new Error(`--sample must be a whole number from 1 to 100; got '${sample}'`);
  return count;
}

function readRegistrations(file: string | undefined, sample: string | undefined, certificateArn: string | undefined): unknown[] {
  if ((file === undefined) === (sample === undefined)) throw new Error(`add needs exactly one of --file and --sample\n\n${USAGE}`);
  if (sample !== undefined) {
    return generateFleet(sampleCount(sample)).map((h) => ({ device: h.record, ...(certificateArn ? { certificateArn } : {}) }));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file!, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as Error).message}`);
  }
  const registration = parsed && typeof parsed === 'object' && 'deviceId' in parsed ? { device: parsed } : parsed;
  return [certificateArn ? { ...(registration as object), certificateArn } : registration];
}

/** The keys of a certificate created here leave only once: into files the caller alone can read, or printed. */
function deliverKeys(outcome: Extract<RegisterOutcome, { ok: true }>, outDir: string | undefined): unknown {
  if (!outcome.issued || outDir === undefined) return outcome;
  mkdirSync(outDir, { recursive: true });
  const path = (suffix: string) => join(outDir, `${outcome.deviceId}.${suffix}`);
  writeFileSync(path('cert.pem'), outcome.issued.certificatePem, { mode: 0o600 });
  writeFileSync(path('private.key'), outcome.issued.privateKey, { mode: 0o600 });
  writeFileSync(path('public.key'), outcome.issued.publicKey, { mode: 0o600 });
  const { issued, ...rest } = outcome;
  return { ...rest, issued: { certificateArn: issued.certificateArn, certificateId: issued.certificateId, files: [path('cert.pem'), path('private.key'), path('public.key')] } };
}

const print = (value: unknown) => console.log(JSON.stringify(value, null, 2));

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      file: { type: 'string' },
      sample: { type: 'string' },
      'certificate-arn': { type: 'string' },
      out: { type: 'string' },
      group: { type: 'string' },
      local: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const [action, deviceId, ...extra] = positionals;
  if (extra.length) throw new Error(`unexpected arguments: ${extra.join(' ')}\n\n${USAGE}`);
  const seed = sampleCount(values.sample);
  const needsId = (verb: string): string => {
    if (!deviceId) throw new Error(`${verb} needs a device id\n\n${USAGE}`);
    return deviceId;
  };
  switch (action) {
    case 'add': {
      const registrations = readRegistrations(values.file, values.sample, values['certificate-arn']);
      return withPorts(values.local, 0, async (ports) => {
        let failed = 0;
        for (const registration of registrations) {
          const outcome = await registerDevice(registration, ports);
          if (!outcome.ok) {
            failed++;
            console.error(`hearth devices add: ${outcome.reason}`);
          } else {
            print(deliverKeys(outcome, values.out));
          }
        }
        return failed ? 1 : 0;
      });
    }
    case 'list':
      return withPorts(values.local, seed, async (ports) => {
        print({ group: values.group ?? null, deviceIds: await listDevices(ports, values.group) });
        return 0;
      });
    case 'show': {
      const id = needsId('show');
      return withPorts(values.local, seed, async (ports) => {
        const description = await describeDevice(id, ports);
        if (!description) {
          console.error(`hearth devices show: no device ${id}`);
          return 1;
        }
        print(description);
        return 0;
      });
    }
    case 'remove': {
      const id = needsId('remove');
      return withPorts(values.local, seed, async (ports) => {
        const outcome = await decommissionDevice(id, ports);
        print(outcome);
        return outcome.existed ? 0 : 1;
      });
    }
    default:
      throw new Error(`${action ? `unknown action '${action}'` : 'an action is needed'}\n\n${USAGE}`);
  }
}

export const command: Command = { name: 'devices', usage: USAGE, run };
