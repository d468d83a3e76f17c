import { shadowTopic } from '../../wiring/topics.ts';
import type { OutgoingMessage } from './ordered-publisher.ts';
import {
  applyUpdate,
  deleteBody,
  getBody,
  parseUpdateRequest,
  shadowNotFound,
  type DeleteBody,
  type GetBody,
  type ShadowRejection,
  type ShadowResult,
  type UpdateAcceptedBody,
} from './shadow-document.ts';
import type { ShadowStore } from './shadow-store.ts';

export interface ShadowAddress {
  thingName: string;
  /** Absent: the classic shadow. */
  shadowName?: string;
}

/** Where the service's MQTT messages go; keyed by thing so one thing's messages stay in order. */
export interface ShadowEventSink {
  enqueue(thingName: string, messages: readonly OutgoingMessage[]): void;
}

export interface ListNamedShadowsBody {
  results: string[];
  nextToken?: string;
  timestamp: number;
}

// The AWS API's patterns: a name outside them could not exist on AWS, so it is refused here too.
const THING_NAME = /^[a-zA-Z0-9:_-]{1,128}$/;
const SHADOW_NAME = /^[$a-zA-Z0-9:_-]{1,64}$/;
const DEFAULT_PAGE_SIZE = 25;

const invalid = (message: string, clientToken?: string): { ok: false; rejection: ShadowRejection } => ({
  ok: false,
  rejection: { code: 400, message, ...(clientToken !== undefined ? { clientToken } : {}) },
});

export function addressProblem(address: ShadowAddress): string | undefined {
  if (!THING_NAME.test(address.thingName)) return `Invalid thingName '${address.thingName}': 1 to 128 of [a-zA-Z0-9:_-]`;
  if (address.shadowName !== undefined && !SHADOW_NAME.test(address.shadowName)) {
    return `Invalid shadowName '${address.shadowName}': 1 to 64 of [$a-zA-Z0-9:_-]`;
  }
  return undefined;
}

/**
 * The shadow operations, whichever transport asked: the HTTP data plane and the MQTT topics share them, and
 * every accepted change is announced on the shadow's topics, as AWS announces REST updates too.
 */
export class ShadowOperations {
  constructor(
    private readonly store: ShadowStore,
    /** Epoch seconds. */
    private readonly now: () => number,
    private readonly events?: ShadowEventSink,
  ) {}

  update(address: ShadowAddress, payload: string | Uint8Array): ShadowResult<UpdateAcceptedBody> {
    const problem = addressProblem(address);
    if (problem) return invalid(problem);
    const request = parseUpdateRequest(payload);
    if (!request.ok) return request;

    const { thingName, shadowName } = address;
    const now = this.now();
    const outcome = applyUpdate(
      this.store.get(thingName, shadowName),
      request.value,
      now,
      this.store.versionBeforeCreate(thingName, shadowName, now),
    );
    if (!outcome.ok) return outcome;

    const { document, accepted, documents, delta } = outcome.value;
    this.store.put(thingName, shadowName, document);
    this.events?.enqueue(thingName, [
      { topic: shadowTopic(thingName, shadowName, 'update', 'accepted'), payload: accepted },
      { topic: shadowTopic(thingName, shadowName, 'update', 'documents'), payload: documents },
      ...(delta ? [{ topic: shadowTopic(thingName, shadowName, 'update', 'delta'), payload: delta }] : []),
    ]);
    return { ok: true, value: accepted };
  }

  get(address: ShadowAddress, clientToken?: string): ShadowResult<GetBody> {
    const problem = addressProblem(address);
    if (problem) return invalid(problem, clientToken);
    const document = this.store.get(address.thingName, address.shadowName);
    if (!document) return { ok: false, rejection: shadowNotFound(address.thingName, address.shadowName, clientToken) };
    return { ok: true, value: getBody(document, this.now(), clientToken) };
  }

  delete(address: ShadowAddress, clientToken?: string): ShadowResult<DeleteBody> {
    const problem = addressProblem(address);
    if (problem) return invalid(problem, clientToken);
    const { thingName, shadowName } = address;
    const now = this.now();
    const document = this.store.delete(thingName, shadowName, now);
    if (!document) return { ok: false, rejection: shadowNotFound(thingName, shadowName, clientToken) };
    const body = deleteBody(document, now, clientToken);
    this.events?.enqueue(thingName, [{ topic: shadowTopic(thingName, shadowName, 'delete', 'accepted'), payload: body }]);
    return { ok: true, value: body };
  }

  listNamedShadows(thingName: string, page: { pageSize?: number; nextToken?: string } = {}): ShadowResult<ListNamedShadowsBody> {
    const problem = addressProblem({ thingName });
    if (problem) return invalid(problem);
    const pageSize = page.pageSize ?? DEFAULT_PAGE_SIZE;
    if (!Number.isSafeInteger(pageSize) || pageSize < 1) return invalid(`Invalid pageSize ${page.pageSize}: it must be a positive integer`);
    let after: string | undefined;
    if (page.nextToken !== undefined) {
      after = decodeNextToken(page.nextToken);
      if (after === undefined) return invalid('Invalid nextToken: pass back the nextToken of the previous page unchanged');
    }
    const names = this.store.namedShadows(thingName).filter((name) => after === undefined || name > after);
    const results = names.slice(0, pageSize);
    const last = results.at(-1);
    return {
      ok: true,
      value: {
        results,
        ...(names.length > pageSize && last !== undefined ? { nextToken: encodeNextToken(last) } : {}),
        timestamp: this.now(),
      },
    };
  }
}

/** The token names the last shadow of the page, so a page stays right when shadows come and go in between. */
function encodeNextToken(lastName: string): string {
  return Buffer.from(JSON.stringify({ after: lastName })).toString('base64url');
}

function decodeNextToken(token: string): string | undefined {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof decoded === 'object' && decoded !== null && 'after' in decoded && typeof decoded.after === 'string') return decoded.after;
  } catch {
    // falls through: not one of ours
  }
  return undefined;
}
