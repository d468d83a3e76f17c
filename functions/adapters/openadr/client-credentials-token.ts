import { HttpSourceError } from '../http/fetch-with-retry.ts';
import type { VtnCredentials } from '../../ports/vtn-credentials.ts';
import { vtnJson, type VtnHttpOptions } from './vtn-http.ts';
import { AuthServerInfo, readObject, TokenResponse } from './vtn-responses.ts';

/** A token is renewed this long before it expires (at most a tenth of its life), so no call carries a dying one. */
const RENEW_BEFORE_MS = 60_000;
/** A token answered without `expires_in` is reused this long, unless a 401 says it lapsed sooner. */
const UNSTATED_LIFETIME_MS = 60 * 60_000;
/**
 * Statuses of a VTN that does not offer `GET /auth/server` (it is optional, and unauthenticated where offered:
 * a server guarding every path answers 401 or 403 for it).
 */
const NO_DISCOVERY = new Set([401, 403, 404, 405, 501]);

/**
 * OAuth2 client credentials (RFC 6749 §4.4) as OpenADR 3 asks: `POST <token URL>` with a form body of
 * grant_type, client_id, client_secret (and scope), answered with a bearer token. The token is cached until
 * shortly before it expires; `invalidate()` drops it when the VTN refuses it (401) before then. The token URL is
 * the secret's, else the VTN's own answer to `GET /auth/server`, else `<vtnUrl>/auth/token`.
 */
export class ClientCredentialsToken {
  private cached?: { token: string; renewAtMs: number };
  private tokenUrl?: string;

  constructor(
    private readonly credentials: VtnCredentials,
    private readonly http: VtnHttpOptions,
    private readonly nowMs: () => number,
  ) {
    if (credentials.tokenUrl) this.tokenUrl = credentials.tokenUrl;
  }

  async token(): Promise<string> {
    if (this.cached && this.nowMs() < this.cached.renewAtMs) return this.cached.token;
    const url = await this.resolveTokenUrl();
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: this.credentials.clientId, client_secret: this.credentials.clientSecret });
    if (this.credentials.scope) form.set('scope', this.credentials.scope);
    const what = `VTN token endpoint POST ${new URL(url).pathname}`;
    const issuedAtMs = this.nowMs();
    const json = await vtnJson(
      { method: 'POST', url, what, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString(), idempotent: true },
      this.http,
    );
    const parsed = TokenResponse.safeParse(json);
    if (!parsed.success) throw new Error(`${what} answered no bearer token (access_token, token_type Bearer)`);
    const lifetimeMs = parsed.data.expires_in !== undefined ? parsed.data.expires_in * 1000 : UNSTATED_LIFETIME_MS;
    const renewAtMs = issuedAtMs + lifetimeMs - Math.min(RENEW_BEFORE_MS, lifetimeMs / 10);
    this.cached = { token: parsed.data.access_token, renewAtMs };
    return this.cached.token;
  }

  invalidate(): void {
    this.cached = undefined;
  }

  private async resolveTokenUrl(): Promise<string> {
    if (this.tokenUrl) return this.tokenUrl;
    const base = this.credentials.vtnUrl;
    try {
      const info = readObject(AuthServerInfo, await vtnJson({ method: 'GET', url: `${base}/auth/server`, what: 'VTN GET /auth/server', idempotent: true }, this.http), 'VTN GET /auth/server');
      this.tokenUrl = new URL(info.tokenURL, `${base}/`).toString();
    } catch (e) {
      if (!(e instanceof HttpSourceError && e.status !== undefined && NO_DISCOVERY.has(e.status))) throw e;
      this.tokenUrl = `${base}/auth/token`;
    }
    return this.tokenUrl;
  }
}
