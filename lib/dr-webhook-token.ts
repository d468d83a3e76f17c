import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { acknowledgeNagFinding } from './nag.ts';

/**
 * The bearer token(s) an OpenADR 3 VTN presents on the DR webhook. In OpenADR 3 the VEN chooses the token and
 * registers it with its subscription (`objectOperations[].bearerToken`); the VTN echoes it on every callback.
 *
 * Starts as one generated token. To rotate, store `{"tokens": ["<new>", "<old>"]}`, update the subscription at
 * the VTN, then drop the old token: the handler accepts any listed token (compared in constant time).
 */
export function drWebhookTokenSecret(scope: Construct, id: string): Secret {
  const secret = new Secret(scope, id, {
    description: 'Hearth DR webhook bearer token(s): one token, or {"tokens": ["…", …]} while rotating',
    generateSecretString: { passwordLength: 48, excludePunctuation: true },
  });
  acknowledgeNagFinding(
    secret,
    'AwsSolutions-SMG4',
    'The token only works once it is also registered with the subscription at the utility VTN (OpenADR 3 objectOperations.bearerToken); ' +
      'a rotation Lambda that changed the secret alone would cut off DR notifications. Rotation is a documented manual overlap (old and new token both accepted).',
  );
  return secret;
}
