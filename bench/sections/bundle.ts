import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { BUNDLE_BUDGET_KB, BUNDLE_FILE, esbuildOptions } from '../../lib/bundling.ts';
import { EVENT_BUS_ENV, POWERTOOLS_NAMESPACE, functionSpecs, type FunctionSpec } from '../../wiring/functions.ts';
import { tables } from '../../wiring/tables.ts';
import type { BenchSection } from '../section.ts';

/**
 * Imports timed per bundle and setting, each in a fresh process, after one untimed warm-up import (file
 * cache). The settings alternate: as deployed (NODE_OPTIONS=--enable-source-maps, which lib/functions.ts sets
 * and which makes Node read the source map at load), and without source maps, to show what they cost.
 */
const RUNS = 5;
/** Endpoints on the discard port of the loopback: nothing answers, and the import must not try. */
const NOWHERE = 'http://127.0.0.1:9';
const SDK_SERVICES = ['DYNAMODB', 'EVENTBRIDGE', 'IOT', 'IOT_DATA_PLANE', 'SECRETS_MANAGER'];

/**
 * What Lambda gives a function that the handlers can read at init: the role's credentials, region and
 * function name, the wiring's environment (lib/functions.ts: Powertools settings, table names, the bus,
 * `spec.environment`), here with made-up values, and every SDK endpoint pointing nowhere.
 */
function lambdaEnvironment(spec: FunctionSpec): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    AWS_REGION: 'eu-west-1',
    AWS_DEFAULT_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'ASIABENCHBENCHBENCH0',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_SESSION_TOKEN: 'bench',
    AWS_LAMBDA_FUNCTION_NAME: `hearth-bench-${spec.id}`,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMb),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_ENDPOINT_URL: NOWHERE,
    ...Object.fromEntries(SDK_SERVICES.map((service) => [`AWS_ENDPOINT_URL_${service}`, NOWHERE])),
    NODE_OPTIONS: '--enable-source-maps',
    POWERTOOLS_SERVICE_NAME: spec.id,
    POWERTOOLS_METRICS_NAMESPACE: POWERTOOLS_NAMESPACE,
    POWERTOOLS_LOG_LEVEL: 'INFO',
    ...Object.fromEntries(Object.keys(spec.tables).map((table) => [tables[table as keyof typeof tables].envVar, `hearth-bench-${table}`])),
    ...(spec.publishesEvents ? { [EVENT_BUS_ENV]: 'hearth-bench-bus' } : {}),
    ...spec.environment,
  };
}

/**
 * Run by a fresh `node` per import: records any socket connect or DNS lookup (there must be none), then times
 * `import()` of the bundle, which is Lambda's init phase for an ESM handler minus the runtime's own start.
 */
const IMPORT_PROBE = `
import net from 'node:net';
import dns from 'node:dns';
const network = [];
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) { network.push('connect ' + JSON.stringify(args[0]?.host ?? args[0]?.path ?? args[0])); return connect.apply(this, args); };
const lookup = dns.lookup;
dns.lookup = function (host, ...rest) { network.push('lookup ' + host); return lookup.call(this, host, ...rest); };
const started = performance.now();
const loaded = await import(process.argv[1]);
const ms = performance.now() - started;
await new Promise((resolve) => setTimeout(resolve, 50));
process.stdout.write(JSON.stringify({ ms, handler: typeof loaded.handler, network }));
process.exit(0);
`;

const run = promisify(execFile);

async function importOnce(url: string, env: Record<string, string>): Promise<number> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', IMPORT_PROBE, url], { env, encoding: 'utf8' });
  const probe = JSON.parse(stdout) as { ms: number; handler: string; network: string[] };
  if (probe.handler !== 'function') throw new Error(`${url} does not export a handler function`);
  if (probe.network.length) throw new Error(`importing ${url} went to the network: ${probe.network.join(', ')}`);
  return probe.ms;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const round1 = (n: number) => Math.round(n * 10) / 10;

export const section: BenchSection = {
  name: 'bundle',
  description: `every Lambda bundled as the CDK bundles it (lib/bundling.ts): size against ${BUNDLE_BUDGET_KB} KB, init (import) time in a fresh node`,
  async run(log) {
    const dir = mkdtempSync(join(tmpdir(), 'hearth-bundle-'));
    try {
      const figures: Record<string, number | string | boolean> = {};
      const sizes: [string, number][] = [];
      const inits: number[] = [];
      const initsNoMaps: number[] = [];
      for (const [key, spec] of functionSpecs()) {
        const outdir = join(dir, key);
        await esbuild.build({ ...esbuildOptions(spec.entry, outdir), logLevel: 'warning' });
        const file = join(outdir, BUNDLE_FILE);
        const kb = statSync(file).size / 1024;
        const gzipKb = gzipSync(readFileSync(file)).length / 1024;

        const url = pathToFileURL(file).href;
        const env = lambdaEnvironment(spec);
        const envNoMaps = { ...env, NODE_OPTIONS: '' };
        await importOnce(url, env);
        const times: number[] = [];
        const timesNoMaps: number[] = [];
        for (let i = 0; i < RUNS; i++) {
          times.push(await importOnce(url, env));
          timesNoMaps.push(await importOnce(url, envNoMaps));
        }
        const initMs = median(times);
        const initMsNoMaps = median(timesNoMaps);

        log(
          `${key}: ${kb.toFixed(1)} KB (gzip ${gzipKb.toFixed(1)} KB), import p50 ${initMs.toFixed(1)} ms as deployed ` +
            `(${times.map((t) => t.toFixed(0)).join(', ')}), ${initMsNoMaps.toFixed(1)} ms without source maps`,
        );
        sizes.push([key, kb]);
        inits.push(initMs);
        initsNoMaps.push(initMsNoMaps);
        figures[`kb.${key}`] = round1(kb);
        figures[`initMs.${key}`] = round1(initMs);
      }
      const largest = sizes.reduce((a, b) => (b[1] > a[1] ? b : a));
      const over = sizes.filter(([, kb]) => kb > BUNDLE_BUDGET_KB).map(([key]) => key);
      if (over.length) log(`over ${BUNDLE_BUDGET_KB} KB: ${over.join(', ')}`);
      return {
        functions: sizes.length,
        budgetKB: BUNDLE_BUDGET_KB,
        maxKB: round1(largest[1]),
        maxFunction: largest[0],
        overBudget: over.join(','),
        initMsP50: round1(median(inits)),
        initMsMax: round1(Math.max(...inits)),
        initMsP50NoSourceMaps: round1(median(initsNoMaps)),
        initRuns: RUNS,
        node: process.version,
        ...figures,
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
