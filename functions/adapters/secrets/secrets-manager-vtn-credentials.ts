import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';
import { explainIssues } from '../../../schemas/explain.ts';
import type { VtnCredentials, VtnCredentialsSource } from '../../ports/vtn-credentials.ts';

const HttpUrl = z.url({ protocol: /^https?$/ });

/**
 * `{"vtnUrl", "clientId", "clientSecret", "tokenUrl"?, "scope"?, "clientName"?, "callbackUrl"?, "utility"?}`. An empty
 * `vtnUrl` (or an empty object) is the placeholder of a deployment not enrolled with any utility yet.
 */
const SecretValue = z
  .object({
    vtnUrl: z.union([HttpUrl, z.literal('')]).optional(),
    clientId: z.string().min(1).max(4096).optional(),
    clientSecret: z.string().min(1).max(4096).optional(),
    tokenUrl: HttpUrl.optional(),
    scope: z.string().max(4096).optional(),
    clientName: z.string().min(1).max(128).optional(),
    callbackUrl: HttpUrl.optional(),
    utility: z.string().min(1).max(64).optional(),
  })
  .strict();

const isNotFound = (e: unknown): boolean => (e as { name?: string }).name === 'ResourceNotFoundException';

/**
 * The VTN credentials from a Secrets Manager secret, cached for a few minutes: one read per burst of runs, and
 * a change (new client secret, a utility enrolled) takes effect without a redeploy. A missing secret or an
 * empty `vtnUrl` means no VTN is configured; a malformed one is an error naming the fields, never the values.
 */
export class SecretsManagerVtnCredentials implements VtnCredentialsSource {
  private cached?: { at: number; value: VtnCredentials | undefined };

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretId: string,
    private readonly now: () => number,
    private readonly ttlMs = 5 * 60_000,
  ) {}

  async credentials(): Promise<VtnCredentials | undefined> {
    const now = this.now();
    if (this.cached && now - this.cached.at < this.ttlMs) return this.cached.value;
    let text: string | undefined;
    try {
      text = (await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }))).SecretString;
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    const value = text === undefined ? undefined : this.parse(text);
    this.cached = { at: now, value };
    return value;
  }

  private parse(text: string): VtnCredentials | undefined {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error(`secret ${this.secretId} is not JSON; it must hold {"vtnUrl", "clientId", "clientSecret", …}`);
    }
    const parsed = SecretValue.safeParse(json);
    // Paths and messages only: the issues never quote the value, which would reach the logs.
    if (!parsed.success) throw new Error(`secret ${this.secretId} is invalid: ${explainIssues(parsed.error)}`);
    const { vtnUrl, clientId, clientSecret, ...rest } = parsed.data;
    if (!vtnUrl) return undefined;
    if (!clientId || !clientSecret) throw new Error(`secret ${this.secretId} names a VTN but lacks clientId or clientSecret`);
    return { vtnUrl: vtnUrl.replace(/\/+$/, ''), clientId, clientSecret, ...rest };
  }
}
