/**
 * AWS IoT device shadow semantics, without I/O: validating an update request, merging it into a document,
 * versions, per-leaf metadata, the delta, and the bodies AWS answers or publishes. Time comes in as epoch
 * seconds, so the local twin can run it on a virtual clock.
 *
 * Sources: the AWS IoT developer guide (device-shadow-document, device-shadow-mqtt, device-shadow-error-messages,
 * service quotas) and, where the guide is silent (depth counting, metadata of arrays), the behaviour of AWS's
 * own reimplementation in Greengrass's shadow manager.
 */

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Metadata mirrors the state: a `{ timestamp }` per leaf, an array of per-element metadata per array. */
export interface LeafMetadata {
  timestamp: number;
}
export type MetadataNode = LeafMetadata | MetadataNode[] | { [key: string]: MetadataNode };
export type MetadataObject = { [key: string]: MetadataNode };

export interface ShadowState {
  desired?: JsonObject;
  reported?: JsonObject;
}

export interface ShadowMetadata {
  desired?: MetadataObject;
  reported?: MetadataObject;
}

/** A stored shadow. */
export interface ShadowDocument {
  state: ShadowState;
  metadata: ShadowMetadata;
  version: number;
  /** Epoch seconds of the last accepted update. */
  timestamp: number;
}

export const SHADOW_LIMITS = {
  /** Request payload, bytes (AWS: "8 KB"). */
  maxRequestBytes: 8 * 1024,
  /** `{desired, reported}` after the merge, metadata excluded, bytes. */
  maxStateBytes: 8 * 1024,
  /** Nesting under `desired`/`reported`, the section object included (AWS: "maximum depth 6"). */
  maxDepth: 6,
  maxClientTokenBytes: 64,
} as const;

export type RejectionCode = 400 | 404 | 405 | 409 | 413 | 415 | 429 | 500 | 503;

export interface ShadowRejection {
  code: RejectionCode;
  message: string;
  /** Echoed on MQTT `/rejected` when the request carried a valid one. */
  clientToken?: string;
}

export type ShadowResult<T> = { ok: true; value: T } | { ok: false; rejection: ShadowRejection };

/** An update request after validation. A section set to `null` removes the whole section. */
export interface UpdateRequest {
  desired?: JsonObject | null;
  reported?: JsonObject | null;
  /** `{"state": null}`: AWS clears both sections (the shadow and its version stay). */
  clearsState?: true;
  version?: number;
  clientToken?: string;
}

/** Body of the HTTP update response and of `/update/accepted`: only what the request set. */
export interface UpdateAcceptedBody {
  /** `null` echoes a request that cleared the state. */
  state: { desired?: JsonObject | null; reported?: JsonObject | null } | null;
  metadata: { desired?: MetadataNode; reported?: MetadataNode };
  version: number;
  timestamp: number;
  clientToken?: string;
}

export interface DocumentSnapshot {
  state: ShadowState;
  metadata: ShadowMetadata;
  version: number;
}

/** Body of `/update/documents`. */
export interface UpdateDocumentsBody {
  previous: DocumentSnapshot;
  current: DocumentSnapshot;
  timestamp: number;
  clientToken?: string;
}

/** Body of `/update/delta`. */
export interface DeltaBody {
  state: JsonObject;
  metadata: MetadataObject;
  version: number;
  timestamp: number;
  clientToken?: string;
}

/** Body of the HTTP GET response and of `/get/accepted`. */
export interface GetBody {
  state: ShadowState & { delta?: JsonObject };
  metadata: ShadowMetadata;
  version: number;
  timestamp: number;
  clientToken?: string;
}

/** Body of the HTTP DELETE response and of `/delete/accepted`. */
export interface DeleteBody {
  version: number;
  timestamp: number;
  clientToken?: string;
}

export interface UpdateOutcome {
  document: ShadowDocument;
  accepted: UpdateAcceptedBody;
  documents: UpdateDocumentsBody;
  /** Present when the request set `desired` and desired still differs from reported. */
  delta?: DeltaBody;
}

type Section = 'desired' | 'reported';
const SECTIONS: readonly Section[] = ['desired', 'reported'];

const reject = (code: RejectionCode, message: string, clientToken?: string): { ok: false; rejection: ShadowRejection } => ({
  ok: false,
  rejection: { code, message, ...(clientToken !== undefined ? { clientToken } : {}) },
});

const utf8Bytes = (text: string): number => new TextEncoder().encode(text).byteLength;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own properties only: a key such as `__proto__` in a request must never reach a prototype. */
function own<T>(object: { [key: string]: T } | undefined, key: string): T | undefined {
  return object !== undefined && Object.hasOwn(object, key) ? object[key] : undefined;
}

function setOwn<T>(object: { [key: string]: T }, key: string, value: T): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

function mapValues<T, U>(object: { [key: string]: T }, fn: (value: T, key: string) => U): { [key: string]: U } {
  const result: { [key: string]: U } = {};
  for (const [key, value] of Object.entries(object)) setOwn(result, key, fn(value, key));
  return result;
}

/**
 * Whether more than `limit` containers nest from `value` down, `value` itself included (`{a: 1}` is one).
 * It stops at the limit, so a hostile payload of thousands of brackets cannot exhaust the stack.
 */
function nestsDeeperThan(value: JsonValue, limit: number): boolean {
  if (!Array.isArray(value) && !isJsonObject(value)) return false;
  if (limit === 0) return true;
  return Object.values(value).some((item) => nestsDeeperThan(item, limit - 1));
}

/** The path of the first null inside an array, which AWS rejects (only object members may be null). */
function nullInsideArray(value: JsonValue, path: string, insideArray = false): string | undefined {
  if (value === null) return insideArray ? path : undefined;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = nullInsideArray(item, `${path}[${i}]`, true);
      if (found) return found;
    }
  } else if (isJsonObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      const found = nullInsideArray(item, `${path}.${key}`, insideArray);
      if (found) return found;
    }
  }
  return undefined;
}

export function jsonEquals(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => jsonEquals(item, b[i]));
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && jsonEquals(a[key], b[key]));
  }
  return false;
}

/** Parses and validates an update request payload (HTTP body or MQTT `/update` message). */
export function parseUpdateRequest(payload: string | Uint8Array): ShadowResult<UpdateRequest> {
  const size = typeof payload === 'string' ? utf8Bytes(payload) : payload.byteLength;
  if (size > SHADOW_LIMITS.maxRequestBytes) {
    return reject(413, `The payload exceeds the maximum size allowed: the request is ${size} bytes, the limit ${SHADOW_LIMITS.maxRequestBytes}`);
  }
  let text: string;
  try {
    text = typeof payload === 'string' ? payload : new TextDecoder('utf-8', { fatal: true }).decode(payload);
  } catch {
    return reject(415, 'Unsupported documented encoding; supported encoding is UTF-8');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return reject(400, `Invalid JSON: ${(e as Error).message}`);
  }
  if (!isJsonObject(parsed)) return reject(400, 'Invalid JSON: the request must be a JSON object with a state node');

  const clientToken = own(parsed, 'clientToken');
  if (clientToken !== undefined && (typeof clientToken !== 'string' || utf8Bytes(clientToken) > SHADOW_LIMITS.maxClientTokenBytes)) {
    return reject(400, `Invalid clientToken: it must be a string of at most ${SHADOW_LIMITS.maxClientTokenBytes} bytes`);
  }

  const version = own(parsed, 'version');
  if (version !== undefined && !(typeof version === 'number' && Number.isSafeInteger(version) && version >= 0)) {
    return reject(400, 'Invalid version: it must be a non-negative integer', clientToken);
  }

  const state = own(parsed, 'state');
  if (state === undefined) return reject(400, 'Missing required node: state', clientToken);
  const request: UpdateRequest = {};
  if (version !== undefined) request.version = version;
  if (clientToken !== undefined) request.clientToken = clientToken;
  if (state === null) return { ok: true, value: { ...request, desired: null, reported: null, clearsState: true } };
  if (!isJsonObject(state)) return reject(400, 'State node must be an object (or null, to clear the state)', clientToken);

  for (const [key, value] of Object.entries(state)) {
    // `delta` is what GET returns; clients that echo a whole document back send it, and AWS ignores it.
    if (key === 'delta') continue;
    if (key !== 'desired' && key !== 'reported') {
      return reject(400, `State contains an invalid node: '${key}' (only desired and reported can be updated)`, clientToken);
    }
    if (value !== null && !isJsonObject(value)) {
      return reject(400, `${key === 'desired' ? 'Desired' : 'Reported'} node must be an object`, clientToken);
    }
    if (value !== null) {
      if (nestsDeeperThan(value, SHADOW_LIMITS.maxDepth)) {
        return reject(400, `JSON contains too many levels of nesting; maximum is ${SHADOW_LIMITS.maxDepth} (in ${key})`, clientToken);
      }
      const nullAt = nullInsideArray(value, key);
      if (nullAt) return reject(400, `Invalid JSON: arrays cannot contain null values (at ${nullAt})`, clientToken);
    }
    request[key] = value;
  }
  return { ok: true, value: request };
}

/** A value as stored: null members of new objects mean "absent", so they are dropped. */
function withoutNulls(value: JsonValue): JsonValue {
  if (!isJsonObject(value)) return value;
  const result: JsonObject = {};
  for (const [key, item] of Object.entries(value)) if (item !== null) setOwn(result, key, withoutNulls(item));
  return result;
}

/** Deep merge; `null` deletes a key; arrays and scalars replace whatever was there. Never mutates its inputs. */
function mergeSection(current: JsonObject | undefined, patch: JsonObject): JsonObject {
  const result: JsonObject = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
      continue;
    }
    const existing = own(result, key);
    setOwn(result, key, isJsonObject(value) && isJsonObject(existing) ? mergeSection(existing, value) : withoutNulls(value));
  }
  return result;
}

/** Fresh metadata for a value: every leaf (a `null` too, in an accepted body) stamped `now`. */
function metadataOf(value: JsonValue, now: number): MetadataNode {
  if (Array.isArray(value)) return value.map((item) => metadataOf(item, now));
  if (isJsonObject(value)) return mapValues(value, (item) => metadataOf(item, now));
  return { timestamp: now };
}

/**
 * Metadata after a merge, walked along the resulting state so no stale entry survives: paths the patch
 * touched get `now`, untouched paths keep their timestamps.
 */
function mergeMetadata(
  previous: JsonValue | undefined,
  next: JsonValue,
  previousMetadata: MetadataNode | undefined,
  patch: JsonValue | undefined,
  now: number,
): MetadataNode {
  if (patch === undefined) return previousMetadata ?? metadataOf(next, now);
  if (!isJsonObject(next) || !isJsonObject(patch)) return metadataOf(next, now);
  // Only when the previous value was an object is its metadata keyed by member; a leaf's is `{timestamp}`.
  const previousObject = isJsonObject(previous) ? previous : undefined;
  const previousMembers = previousObject && isMetadataObject(previousMetadata) ? previousMetadata : undefined;
  return mapValues(next, (value, key) => mergeMetadata(own(previousObject, key), value, own(previousMembers, key), own(patch, key), now));
}

function isMetadataObject(node: MetadataNode | undefined): node is MetadataObject {
  return typeof node === 'object' && node !== null && !Array.isArray(node);
}

/** Members of desired that reported lacks or holds differently; objects compared member by member, arrays whole. */
export function computeDelta(desired: JsonObject | undefined, reported: JsonObject | undefined): JsonObject | undefined {
  if (!desired) return undefined;
  const delta: JsonObject = {};
  for (const [key, want] of Object.entries(desired)) {
    const have = own(reported, key);
    if (isJsonObject(want) && isJsonObject(have)) {
      const inner = computeDelta(want, have);
      if (inner) setOwn(delta, key, inner);
    } else if (!jsonEquals(want, have)) {
      setOwn(delta, key, want);
    }
  }
  return Object.keys(delta).length > 0 ? delta : undefined;
}

/** The delta's metadata is desired's, cut to the delta's shape. */
function deltaMetadata(delta: JsonValue, desiredMetadata: MetadataNode | undefined): MetadataNode {
  if (isJsonObject(delta) && isMetadataObject(desiredMetadata)) {
    return mapValues(delta, (value, key) => deltaMetadata(value, own(desiredMetadata, key)));
  }
  return desiredMetadata ?? { timestamp: 0 };
}

const withToken = <T extends object>(body: T, clientToken: string | undefined): T & { clientToken?: string } =>
  clientToken !== undefined ? { ...body, clientToken } : body;

const snapshot = (document: ShadowDocument): DocumentSnapshot => ({
  state: document.state,
  metadata: document.metadata,
  version: document.version,
});

const sectionsOf = <T>(source: { desired?: T; reported?: T }): { desired?: T; reported?: T } => {
  const result: { desired?: T; reported?: T } = {};
  for (const section of SECTIONS) if (source[section] !== undefined) result[section] = source[section];
  return result;
};

/**
 * Applies a validated update to the current document, or to none when the shadow does not exist.
 * `versionBeforeCreate` is what a new shadow's version follows (AWS continues a recently deleted one's).
 */
export function applyUpdate(
  current: ShadowDocument | undefined,
  request: UpdateRequest,
  now: number,
  versionBeforeCreate = 0,
): ShadowResult<UpdateOutcome> {
  const baseVersion = current?.version ?? versionBeforeCreate;
  if (request.version !== undefined && request.version !== baseVersion) {
    return reject(409, `Version conflict: the request expects version ${request.version}, the shadow is at ${baseVersion}`, request.clientToken);
  }

  const state: ShadowState = {};
  const metadata: ShadowMetadata = {};
  const acceptedState: NonNullable<UpdateAcceptedBody['state']> = {};
  const acceptedMetadata: UpdateAcceptedBody['metadata'] = {};
  for (const section of SECTIONS) {
    const patch = request[section];
    const before = current?.state[section];
    if (patch !== undefined && !request.clearsState) {
      acceptedState[section] = patch;
      acceptedMetadata[section] = metadataOf(patch, now);
    }
    const after = patch === undefined ? before : patch === null ? undefined : mergeSection(before, patch);
    // A section left empty is removed, as AWS removes one set to null.
    if (after === undefined || Object.keys(after).length === 0) continue;
    state[section] = after;
    metadata[section] =
      patch === undefined || patch === null
        ? current?.metadata[section]
        : (mergeMetadata(before, after, current?.metadata[section], patch, now) as MetadataObject);
  }

  const stateBytes = utf8Bytes(JSON.stringify(state));
  if (stateBytes > SHADOW_LIMITS.maxStateBytes) {
    return reject(
      413,
      `The payload exceeds the maximum size allowed: the resulting state document would be ${stateBytes} bytes, the limit ${SHADOW_LIMITS.maxStateBytes}`,
      request.clientToken,
    );
  }

  const version = baseVersion + 1;
  const document: ShadowDocument = { state, metadata: sectionsOf(metadata), version, timestamp: now };
  const previous: DocumentSnapshot = current ? snapshot(current) : { state: {}, metadata: {}, version: baseVersion };
  const delta = request.desired !== undefined ? computeDelta(state.desired, state.reported) : undefined;

  return {
    ok: true,
    value: {
      document,
      accepted: withToken(
        { state: request.clearsState ? null : acceptedState, metadata: acceptedMetadata, version, timestamp: now },
        request.clientToken,
      ),
      documents: withToken({ previous, current: snapshot(document), timestamp: now }, request.clientToken),
      ...(delta
        ? {
            delta: withToken(
              { state: delta, metadata: deltaMetadata(delta, document.metadata.desired) as MetadataObject, version, timestamp: now },
              request.clientToken,
            ),
          }
        : {}),
    },
  };
}

/** The whole document, with the delta between desired and reported when there is one. */
export function getBody(document: ShadowDocument, now: number, clientToken?: string): GetBody {
  const delta = computeDelta(document.state.desired, document.state.reported);
  return withToken(
    { state: { ...document.state, ...(delta ? { delta } : {}) }, metadata: document.metadata, version: document.version, timestamp: now },
    clientToken,
  );
}

export function deleteBody(document: ShadowDocument, now: number, clientToken?: string): DeleteBody {
  return withToken({ version: document.version, timestamp: now }, clientToken);
}

/** AWS names the shadow as the caller addressed it: the named shadow, else the thing of the classic one. */
export function shadowNotFound(thingName: string, shadowName: string | undefined, clientToken?: string): ShadowRejection {
  return { code: 404, message: `No shadow exists with name: '${shadowName ?? thingName}'`, ...(clientToken !== undefined ? { clientToken } : {}) };
}
