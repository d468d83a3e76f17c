import { HttpSourceError } from '../http/fetch-with-retry.ts';
import type { Vtn, VtnProgram, VtnReport, VtnSubscription, VtnSubscriptionRequest } from '../../ports/vtn.ts';
import type { VtnCredentials } from '../../ports/vtn-credentials.ts';
import { ClientCredentialsToken } from './client-credentials-token.ts';
import { vtnJson, type VtnHttpOptions } from './vtn-http.ts';
import { ObjectPage, Program, readObject, Report, Subscription } from './vtn-responses.ts';

/** The spec's largest page (`limit` maximum 50). */
const PAGE_LIMIT = 50;
/** 100 pages of 50: far beyond any VEN's share of a VTN; more means the VTN ignores `skip`. */
const MAX_PAGES = 100;

export const DEFAULT_VTN_HTTP: VtnHttpOptions = { timeoutMs: 10_000, attempts: 3, backoffMs: 500 };

type Query = Record<string, string | undefined>;

/**
 * An OpenADR 3.1 VTN over HTTP, as a VEN: programs, events (paged), subscriptions, reports, each call with a
 * client-credentials bearer token. A 401 drops the token and tries once more with a fresh one (a VTN may
 * revoke or restart before the token's stated expiry); a second 401 is an error. Every answer is checked, and
 * errors name the call (`VTN GET /events`) and the status.
 */
export class HttpVtnClient implements Vtn {
  private readonly tokens: ClientCredentialsToken;

  constructor(
    private readonly credentials: VtnCredentials,
    nowMs: () => number,
    private readonly http: VtnHttpOptions = DEFAULT_VTN_HTTP,
  ) {
    this.tokens = new ClientCredentialsToken(credentials, http, nowMs);
  }

  private async call(method: 'GET' | 'POST' | 'PUT', path: string, options: { query?: Query; body?: unknown } = {}): Promise<unknown> {
    const query = new URLSearchParams(Object.entries(options.query ?? {}).filter((e): e is [string, string] => e[1] !== undefined)).toString();
    const url = `${this.credentials.vtnUrl}${path}${query ? `?${query}` : ''}`;
    const what = `VTN ${method} ${path}`;
    const send = (token: string) =>
      vtnJson(
        {
          method,
          url,
          what,
          headers: { authorization: `Bearer ${token}`, ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}) },
          ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
          idempotent: method !== 'POST',
        },
        this.http,
      );
    // Outside the try: a token endpoint refusing us is its own error, not a reason to ask it again.
    const token = await this.tokens.token();
    try {
      return await send(token);
    } catch (e) {
      if (!(e instanceof HttpSourceError && e.status === 401)) throw e;
      this.tokens.invalidate();
      return send(await this.tokens.token());
    }
  }

  /** Every object of a listing, page by page, until a page comes back empty. */
  private async all(path: string, query: Query): Promise<Record<string, unknown>[]> {
    const objects: Record<string, unknown>[] = [];
    for (let page = 0; page < MAX_PAGES; page++) {
      const json = await this.call('GET', path, { query: { ...query, skip: String(objects.length), limit: String(PAGE_LIMIT) } });
      const items = readObject(ObjectPage, json, `VTN GET ${path}`);
      if (items.length === 0) return objects;
      objects.push(...items);
    }
    throw new Error(`VTN GET ${path} still answered objects after ${MAX_PAGES} pages of ${PAGE_LIMIT}: does it ignore skip?`);
  }

  async programs(): Promise<VtnProgram[]> {
    return (await this.all('/programs', {})).map((p, i) => {
      const program = readObject(Program, p, `VTN GET /programs [${i}]`);
      return { id: program.id, programName: program.programName ?? program.id };
    });
  }

  events(programId: string): Promise<Record<string, unknown>[]> {
    return this.all('/events', { programID: programId });
  }

  async subscriptions(query: { clientName: string; programID?: string }): Promise<VtnSubscription[]> {
    const objects = await this.all('/subscriptions', query);
    return objects.map((s, i) => readObject(Subscription, s, `VTN GET /subscriptions [${i}]`));
  }

  async createSubscription(request: VtnSubscriptionRequest): Promise<VtnSubscription> {
    return readObject(Subscription, await this.call('POST', '/subscriptions', { body: request }), 'VTN POST /subscriptions');
  }

  async updateSubscription(id: string, request: VtnSubscriptionRequest): Promise<VtnSubscription> {
    const path = `/subscriptions/${encodeURIComponent(id)}`;
    return readObject(Subscription, await this.call('PUT', path, { body: request }), `VTN PUT ${path}`);
  }

  async reports(query: { eventID: string; clientName: string }): Promise<VtnReport[]> {
    const objects = await this.all('/reports', query);
    return objects.map((r, i) => readObject(Report, r, `VTN GET /reports [${i}]`));
  }

  async createReport(report: Record<string, unknown>): Promise<VtnReport> {
    return readObject(Report, await this.call('POST', '/reports', { body: report }), 'VTN POST /reports');
  }
}
