import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';
import { DEFAULT_UTILITY, type TokenSource, type UtilityToken } from '../../ports/token-source.ts';

const Token = z.string().min(16);
const TokenList = z.array(Token).min(1);
/**
 * The secret holds a bare token, `{"tokens": [...]}` (one utility), or `{"utilities": {"<utility>": [...], …}}`
 * — one list per utility, so each utility's token admits only its own programs' events.
 */
const SecretValue = z.union([
  Token,
  z
    .object({ tokens: TokenList.optional(), utilities: z.record(z.string().min(1).max(64), TokenList).optional() })
    .strict()
    .refine((v) => v.tokens || v.utilities, 'needs tokens or utilities'),
]);

/**
 * Reads the DR webhook tokens from Secrets Manager, cached for a few minutes so a rotation takes effect
 * without a redeploy while a burst of notifications costs one call.
 */
export class SecretsManagerTokenSource implements TokenSource {
  private cached?: { at: number; tokens: UtilityToken[] };

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretId: string,
    private readonly now: () => number = () => performance.timeOrigin + performance.now(),
    private readonly ttlMs = 5 * 60_000,
  ) {}

  async tokens(): Promise<UtilityToken[]> {
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
    if (!parsed.success) {
      throw new Error(`secret ${this.secretId} must hold a token of at least 16 characters, {"tokens": [...]} or {"utilities": {"<utility>": [...]}}`);
    }
    const value = parsed.data;
    const tokens: UtilityToken[] =
      typeof value === 'string'
        ? [{ utility: DEFAULT_UTILITY, token: value }]
        : [
            ...(value.tokens ?? []).map((token) => ({ utility: DEFAULT_UTILITY, token })),
            ...Object.entries(value.utilities ?? {}).flatMap(([utility, list]) => list.map((token) => ({ utility, token }))),
          ];
    this.cached = { at: now, tokens };
    return tokens;
  }
}
