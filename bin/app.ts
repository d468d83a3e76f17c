/**
 * Hearth CDK app: `npx cdk synth` / `npx cdk deploy` from the repository root (cdk.json runs this file with tsx).
 *
 * Parameters, as CDK context (`-c key=value` or the `context` of cdk.json / ~/.cdk.json):
 *   hearth:environment       deployment name, a-z 0-9 '-' (default `dev`) → stack `Hearth-<environment>`,
 *                            bus, schedule group, dashboard and IoT policy `hearth-<environment>…`
 *   hearth:alarmEmail        optional; alarms are e-mailed there (SNS asks the address to confirm)
 *   hearth:shadowUpdateQuota device-shadow updates per second this deployment may use (default 400, the
 *                            account quota of smaller regions; ≈4,000 in large ones), passed to the functions
 *                            that write shadows
 * e.g. `npx cdk deploy -c hearth:environment=prod -c hearth:alarmEmail=ops@example.com -c hearth:shadowUpdateQuota=2000`
 *
 * The stack is environment-agnostic (no account/region lookups), so synth works offline; deploy takes the
 * account and region from the AWS profile. Handlers are bundled by the local esbuild, never in Docker.
 * cdk-nag's AWS Solutions rules run as a policy-validation plugin on every synth: an unacknowledged finding
 * fails it. (IoT rule names are per account and region: deploy one environment per account and region.)
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readConfig } from '../lib/config.ts';
import { HearthStack } from '../lib/hearth-stack.ts';

const app = new App();
const config = readConfig(app.node);
new HearthStack(app, `Hearth-${config.environment}`, {
  config,
  description: `Hearth compute-heater orchestrator (${config.environment})`,
});
// cdk-nag 3 is a validation plugin (Validations), not an Aspect as in cdk-nag 2.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();
