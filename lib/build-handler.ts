/**
 * Bundles one handler with `esbuildOptions`: `node --import tsx lib/build-handler.ts <entry> <outdir>`, from the
 * repository root. A script of its own because the CDK's local bundling (`tryBundle`) is synchronous, while
 * esbuild runs plugins only in its asynchronous `build`.
 */
import * as esbuild from 'esbuild';
import { esbuildOptions } from './bundling.ts';

const [entry, outdir, ...rest] = process.argv.slice(2);
if (!entry || !outdir || rest.length) {
  process.stderr.write('usage: node --import tsx lib/build-handler.ts <entry> <outdir>\n');
  process.exit(2);
}
await esbuild.build({ ...esbuildOptions(entry, outdir), logLevel: 'warning' });
