import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_BUDGET_KB, BUNDLE_FILE, BUNDLE_SUBSTITUTES, esbuildOptions } from '../../lib/bundling.ts';
import { literalSchemaKeysPlugin } from '../../lib/literal-schema-keys.ts';
import { REPO_ROOT } from '../../lib/repo-root.ts';
import { zodWithoutJSONSchemaPlugin } from '../../lib/zod-without-json-schema.ts';
import { functionSpecs, type FunctionKey } from '../../wiring/functions.ts';

/**
 * Every handler bundled in memory with the options the CDK bundles it with (lib/bundling.ts), held to the
 * bundle budget. Sizes are deterministic, so this is a plain assertion; `npm run bench -- --only bundle`
 * reports them with init times.
 */

/**
 * Modules a bundle must not contain: what lib/bundling.ts substitutes, zod's JSON-Schema conversion
 * (lib/zod-without-json-schema.ts), and zod locales other than English.
 */
const ABSENT = [
  /node_modules\/@aws-sdk\/nested-clients\//,
  /node_modules\/@aws-sdk\/credential-provider-(?!env\/)/,
  /node_modules\/@smithy\/credential-provider-imds\//,
  /node_modules\/@smithy\/core\/dist-es\/submodules\/event-streams\//,
  /node_modules\/@aws-lambda-powertools\/jmespath\//,
  /node_modules\/mnemonist\//,
  /node_modules\/zod\/v4\/core\/(?:to-json-schema|json-schema-processors)\.c?js$/,
  /node_modules\/zod\/v4\/locales\/(?!en\.js)/,
];

interface Built {
  bytes: number;
  inputs: string[];
}
const specs = functionSpecs();
const built = new Map<FunctionKey, Built>();

beforeAll(async () => {
  await Promise.all(
    specs.map(async ([key, spec]) => {
      const result = await esbuild.build({ ...esbuildOptions(spec.entry, join(REPO_ROOT, 'cdk.out', 'bundle-size', key)), write: false, metafile: true, logLevel: 'error' });
      const bundle = result.outputFiles.find((f) => f.path.endsWith(`/${BUNDLE_FILE}`));
      if (!bundle) throw new Error(`${key}: esbuild wrote no ${BUNDLE_FILE}`);
      const output = Object.entries(result.metafile.outputs).find(([path]) => path.endsWith(`/${BUNDLE_FILE}`))![1];
      // What made it into the bundle: esbuild lists every file it read, tree-shaken away or not.
      const inputs = Object.entries(output.inputs).filter(([, input]) => input.bytesInOutput > 0).map(([path]) => path);
      built.set(key, { bytes: bundle.contents.byteLength, inputs });
    }),
  );
}, 120_000);

describe(`Lambda bundles (budget ${BUNDLE_BUDGET_KB} KB)`, () => {
  it.each(specs)(`%s: ${BUNDLE_FILE} within its budget`, (key) => {
    const kb = built.get(key)!.bytes / 1024;
    expect(kb, `${key} bundle in KB`).toBeLessThanOrEqual(BUNDLE_BUDGET_KB);
  });

  it.each(specs)('%s: built with the substitutes, without zod\'s JSON Schema or other locales than English', (key) => {
    const found = built.get(key)!.inputs.filter((input) => ABSENT.some((pattern) => pattern.test(input)));
    expect(found).toEqual([]);
  });
});

describe('esbuildOptions', () => {
  it('builds one minified ESM file for Node 24 with a linked source map, the substitutes, literal schema keys and no zod JSON Schema', () => {
    const options = esbuildOptions('functions/handlers/x.ts', '/out');
    expect(options).toMatchObject({
      absWorkingDir: REPO_ROOT,
      entryPoints: ['functions/handlers/x.ts'],
      outfile: `/out/${BUNDLE_FILE}`,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node24',
      mainFields: ['module', 'main'],
      minify: true,
      sourcemap: true,
      sourcesContent: false,
      alias: BUNDLE_SUBSTITUTES,
      legalComments: 'external',
      plugins: [literalSchemaKeysPlugin, zodWithoutJSONSchemaPlugin],
    });
    expect(options.banner?.js).toMatch(/createRequire/);
    expect(options.external).toBeUndefined();
  });
});
