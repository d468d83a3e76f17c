import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';
import type { TokenSource } from '../../ports/token-source.ts';

/** The secret holds `{"tokens": ["…", …]}` or a bare token string. */
const SecretValue = z.union([z.object({ tokens: z.array(z.string().min(16)).min(1) }), z.string().min(16)]);

/**
 * Reads the DR webhook tokens from Secrets Manager, cached for a few minutes so a rotation takes effect
 * without a redeploy while a burst of notifications costs one call.
 */
export class SecretsManagerTokenSource implements TokenSource {
  private cached?: { at: number; tokens: string[] };

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretId: string,
    private readonly now: () => number = () => performance.timeOrigin + performance.now(),
    private readonly ttlMs = 5 * 60_000,
  ) {}

  async tokens(): Promise<string[]> {
    const now = this.now();
    if (this.cached && now - this.cached.at < this.ttlMs) return this.cached.tokens;
    const out = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }));
    let raw: unknown = out.SecretString;
    try {
      raw = JSON.parse(out.SecretString ?? '');
    } catch {
      // a bare token string
    }
    const parsed = SecretValue.safeParse(raw);
    // The secret's content is never put into the error: it would reach the logs.
    if (!parsed.success) throw new Error(`secret ${this.secretId} must hold {"tokens": [...]} or a token of at least 16 characters`);
    const tokens = typeof parsed.data === 'string' ? [parsed.data] : parsed.data.tokens;
    this.cached = { at: now, tokens };
    return tokens;
  }
}
