import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CONTEXT_KEYS, readConfig } from '../../../lib/config.ts';
import { HearthStack } from '../../../lib/hearth-stack.ts';
import { REPO_ROOT } from '../../../lib/repo-root.ts';

export interface HearthAppOptions {
  /** Run esbuild for every function (slow: seconds). Otherwise assets are placeholders. */
  readonly bundle?: boolean;
  /** Register cdk-nag's AWS Solutions pack as bin/app.ts does. */
  readonly nag?: boolean;
  /** Run CloudFormation's template validator, as `cdk synth` does (≈2 s). */
  readonly validate?: boolean;
  /** Extra CDK context, e.g. the `hearth:*` parameters. */
  readonly context?: Record<string, unknown>;
}

export const TEST_ENVIRONMENT = 'test';

/** cdk.json's feature flags, so tests build the same template as `cdk synth`. */
const cdkJsonContext = (): Record<string, unknown> =>
  (JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;

/**
 * The Hearth app as bin/app.ts builds it, in a temporary cloud assembly. Unless asked for, CloudFormation's own
 * template validator (≈2 s per synth since aws-cdk-lib 2.262) is off (`builtinCloudFormationValidation: false`,
 * the same switch as `CDK_VALIDATION=false` or `cdk synth --no-validation`) and bundling is skipped (the
 * `aws:cdk:bundling-stacks: []` context: assets become placeholders).
 */
export function hearthApp(options: HearthAppOptions = {}): { app: App; stack: HearthStack; outdir: string } {
  const outdir = mkdtempSync(join(tmpdir(), 'hearth-cdk-'));
  const app = new App({
    outdir,
    builtinCloudFormationValidation: options.validate ?? false,
    context: {
      ...cdkJsonContext(),
      [CONTEXT_KEYS.environment]: TEST_ENVIRONMENT,
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...options.context,
    },
  });
  const config = readConfig(app.node);
  const stack = new HearthStack(app, `Hearth-${config.environment}`, { config });
  if (options.nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack, outdir };
}

/** Synthesises; a validation failure throws but still leaves its report in the assembly directory. */
export function trySynth(app: App): { assembly?: CloudAssembly; error?: Error } {
  try {
    return { assembly: app.synth() };
  } catch (error) {
    return { error: error as Error };
  }
}
