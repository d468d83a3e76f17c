import { spawnSync } from 'node:child_process';
import { AssetHashType, AssetStaging, type DockerImage } from 'aws-cdk-lib';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { REPO_ROOT } from './repo-root.ts';

/** Relative to the repository root, the working directory of the build on this machine and in a container. */
const BUILD_SCRIPT = 'lib/build-handler.ts';

const buildCommand = (entry: string, outdir: string): string[] => ['--import', 'tsx', BUILD_SCRIPT, entry, outdir];

/**
 * The deployment package of one handler: its bundle as lib/build-handler.ts builds it (lib/bundling.ts), on
 * this machine with its Node and esbuild. The local build never hands over to a container, so a failed build
 * fails the synth with esbuild's errors; `image` and `command` describe the same build in a container because
 * the CDK's bundling options require them.
 *
 * The asset is hashed by its output: the bundle is deterministic, so an unchanged handler keeps its hash and
 * is neither uploaded nor redeployed again.
 */
export function handlerCode(entry: string, image: DockerImage): Code {
  return Code.fromAsset(REPO_ROOT, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      image,
      // Also what tells the functions' assets apart: the CDK caches assets by source path and bundling options.
      command: ['node', ...buildCommand(entry, AssetStaging.BUNDLING_OUTPUT_DIR)],
      local: {
        tryBundle(outputDir) {
          const build = spawnSync(process.execPath, buildCommand(entry, outputDir), { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
          if (build.error) throw new Error(`bundling ${entry}: ${build.error.message}`);
          if (build.status !== 0) throw new Error(`bundling ${entry} failed (${build.signal ?? `exit ${build.status}`}):\n${build.stderr}`);
          process.stderr.write(build.stderr);
          return true;
        },
      },
    },
  });
}
