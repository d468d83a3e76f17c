import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { CfnElement } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HearthStack } from '../../lib/hearth-stack.ts';
import { functions, type FunctionKey, type FunctionSpec } from '../../wiring/index.ts';
import { hearthApp, trySynth } from './support/hearth-app.ts';

/**
 * The one full synth: real esbuild bundling of every handler, CloudFormation validation and cdk-nag, as
 * `npm run synth` does. It needs every entry file the wiring names.
 */

const functionEntries = Object.entries(functions) as [FunctionKey, FunctionSpec][];

interface AssetManifest {
  files: Record<string, { source: { path: string; packaging?: string } }>;
}
interface Bundle {
  dir: string;
  code: string;
  bytes: number;
  gzipBytes: number;
  mapBytes: number;
}

let stack: HearthStack;
let outdir: string;
let synthError: Error | undefined;
const bundles = new Map<FunctionKey, Bundle>();

beforeAll(() => {
  const built = hearthApp({ bundle: true, validate: true, nag: true });
  stack = built.stack;
  outdir = built.outdir;
  const { assembly, error } = trySynth(built.app);
  synthError = error;
  if (!assembly) return;

  const template = assembly.getStackByName(stack.stackName).template as { Resources: Record<string, { Properties: { Code: { S3Key: string } } }> };
  const manifest = JSON.parse(readFileSync(join(outdir, `${stack.artifactId}.assets.json`), 'utf8')) as AssetManifest;
  for (const [key] of functionEntries) {
    const logicalId = stack.resolve(stack.getLogicalId(stack.functions.get(key).node.defaultChild as CfnElement)) as string;
    const hash = template.Resources[logicalId]!.Properties.Code.S3Key.replace(/\.zip$/, '');
    const dir = join(outdir, manifest.files[hash]!.source.path);
    const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
    bundles.set(key, {
      dir,
      code,
      bytes: Buffer.byteLength(code),
      gzipBytes: gzipSync(code).length,
      mapBytes: existsSync(join(dir, 'index.mjs.map')) ? statSync(join(dir, 'index.mjs.map')).size : 0,
    });
  }

  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  console.table(
    Object.fromEntries(
      [...bundles].map(([key, b]) => [functions[key].id, { 'index.mjs': kb(b.bytes), 'gzip ≈ zip': kb(b.gzipBytes), 'source map': kb(b.mapBytes) }]),
    ),
  );
}, 120_000);
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('full synth with bundling', () => {
  it('synthesises: bundling, CloudFormation validation and cdk-nag all pass', () => {
    expect(synthError?.message).toBeUndefined();
  });

  it.each(functionEntries)('%s: its entry file exists', (_key, spec) => {
    expect(existsSync(join(import.meta.dirname, '../..', spec.entry)), spec.entry).toBe(true);
  });

  it.each(functionEntries)('%s: bundled into one ESM file with its source map, SDK and Powertools inside', (key) => {
    const bundle = bundles.get(key);
    expect(bundle, 'no asset: see the synth error above').toBeDefined();
    expect(bundle!.bytes).toBeGreaterThan(0);
    expect(bundle!.code.startsWith('import')).toBe(true);
    expect(bundle!.code).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
    expect(bundle!.mapBytes).toBeGreaterThan(0);
    // Nothing left for the runtime to provide: no import of the AWS SDK or Powertools packages.
    expect(bundle!.code).not.toMatch(/(from|import\()\s*["'](@aws-sdk|@aws-lambda-powertools|@smithy)\//);
  });

  it.each(functionEntries)('%s: the bundle loads in plain Node as ESM and exports `handler`', (key) => {
    const url = pathToFileURL(join(bundles.get(key)!.dir, 'index.mjs')).href;
    // A separate process, so the bundle is loaded exactly as Lambda's Node loads it, not through Vitest.
    const exported = execFileSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(url)}); console.log(typeof m.handler)`], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, AWS_REGION: 'eu-north-1' },
    });
    expect(exported.trim()).toBe('function');
  });
});
