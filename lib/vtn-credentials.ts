import { Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';

/** The name the VTN credentials secret must have in a deployment: `hearth/<environment>/vtn-client-credentials`. */
export const vtnCredentialsSecretName = (environment: string): string => `hearth/${environment}/vtn-client-credentials`;

/**
 * The utility VTN's URL and the OAuth2 client credentials it issued this VEN:
 * `{"vtnUrl", "clientId", "clientSecret", "tokenUrl"?, "scope"?, "clientName"?, "callbackUrl"?}`.
 *
 * Referenced by name, not created by the stack: the credentials come from the utility on enrolment, so the
 * operator creates the secret then (`aws secretsmanager create-secret --name hearth/<env>/vtn-client-credentials
 * --secret-string '{…}'`). Until it exists the VEN function finds no VTN and idles; a deployment with no utility
 * needs nothing. Rotation is the utility's: store the new client secret, the next run uses it.
 */
export function vtnCredentialsSecret(scope: Construct, id: string, environment: string): ISecret {
  return Secret.fromSecretNameV2(scope, id, vtnCredentialsSecretName(environment));
}
