import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * Stands in for `@aws-sdk/credential-provider-node` in the Lambda bundles (see BUNDLE_SUBSTITUTES in
 * lib/bundling.ts). Every SDK client's `credentialDefaultProvider` is then the environment alone:
 * AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, which Lambda sets to the function role's
 * credentials. That is the first link of the SDK's default chain, the one that answers on Lambda, so nothing
 * changes there; the links it drops (SSO, shared INI files, credential_process, web identity, container and
 * instance metadata) are what bring `@aws-sdk/nested-clients` into a bundle. Outside the bundles (tests,
 * `npm start`, the CLI) the SDK keeps its full chain.
 */
export const defaultProvider = (init: Parameters<typeof fromEnv>[0] = {}) => fromEnv(init);
