import { describe, expect, it } from 'vitest';
import {
  applyUpdate,
  computeDelta,
  getBody,
  parseUpdateRequest,
  SHADOW_LIMITS,
  type ShadowDocument,
  type ShadowRejection,
  type UpdateOutcome,
} from '../../../local/iot/shadow-document.ts';
import { MAX_PLAN_STEPS, PlanDocument } from '../../../schemas/shadow.ts';

const T0 = 1_700_000_000;
const T1 = T0 + 60;

/** Parses and applies one update; fails the test when either step rejects it. */
function update(current: ShadowDocument | undefined, request: unknown, now = T0): UpdateOutcome {
  const parsed = parseUpdateRequest(JSON.stringify(request));
  if (!parsed.ok) throw new Error(`parse rejected: ${parsed.rejection.message}`);
  const outcome = applyUpdate(current, parsed.value, now);
  if (!outcome.ok) throw new Error(`update rejected: ${outcome.rejection.message}`);
  return outcome.value;
}

/** The rejection of a request, from whichever step rejects it. */
function rejection(current: ShadowDocument | undefined, payload: string | Uint8Array): ShadowRejection {
  const parsed = parseUpdateRequest(payload);
  if (!parsed.ok) return parsed.rejection;
  const outcome = applyUpdate(current, parsed.value, T1);
  if (outcome.ok) throw new Error('expected a rejection');
  return outcome.rejection;
}

describe('shadow updates', () => {
  it('creates a shadow at version 1 with a timestamp per leaf and answers with only what the request set', () => {
    const created = update(undefined, { state: { desired: { color: 'red', lights: { on: true } } }, clientToken: 'c-1' });

    expect(created.document).toEqual({
      state: { desired: { color: 'red', lights: { on: true } } },
      metadata: { desired: { color: { timestamp: T0 }, lights: { on: { timestamp: T0 } } } },
      version: 1,
      timestamp: T0,
    });
    expect(created.accepted).toEqual({
      state: { desired: { color: 'red', lights: { on: true } } },
      metadata: { desired: { color: { timestamp: T0 }, lights: { on: { timestamp: T0 } } } },
      version: 1,
      timestamp: T0,
      clientToken: 'c-1',
    });
  });

  it('merges objects deeply, replaces arrays whole and keeps the timestamps of untouched leaves', () => {
    const v1 = update(undefined, { state: { reported: { lights: { on: true, level: 3 }, colors: ['red', 'green', 'blue'] } } });
    const v2 = update(v1.document, { state: { reported: { lights: { level: 5 }, colors: ['red'] } } }, T1);

    expect(v2.document.version).toBe(2);
    expect(v2.document.state.reported).toEqual({ lights: { on: true, level: 5 }, colors: ['red'] });
    expect(v2.document.metadata.reported).toEqual({
      lights: { on: { timestamp: T0 }, level: { timestamp: T1 } },
      // Arrays carry one metadata entry per element, as AWS does.
      colors: [{ timestamp: T1 }],
    });
    expect(v2.accepted.state).toEqual({ reported: { lights: { level: 5 }, colors: ['red'] } });
  });

  it('deletes a key set to null, and a whole section set to null', () => {
    const v1 = update(undefined, { state: { desired: { a: 1, b: { c: 2, d: 3 } }, reported: { a: 1 } } });
    const v2 = update(v1.document, { state: { desired: { a: null, b: { c: null } } } }, T1);
    expect(v2.document.state.desired).toEqual({ b: { d: 3 } });
    expect(v2.document.metadata.desired).toEqual({ b: { d: { timestamp: T0 } } });
    // The accepted body echoes the nulls, stamped.
    expect(v2.accepted.metadata.desired).toEqual({ a: { timestamp: T1 }, b: { c: { timestamp: T1 } } });

    const v3 = update(v2.document, { state: { desired: null } }, T1);
    expect(v3.document.state).toEqual({ reported: { a: 1 } });
    expect(v3.document.metadata).toEqual({ reported: { a: { timestamp: T0 } } });
    expect(v3.accepted.state).toEqual({ desired: null });
  });

  it('clears both sections, keeping the shadow and its version, for a state of null', () => {
    const v1 = update(undefined, { state: { desired: { a: 1 }, reported: { b: 2 } } });
    const v2 = update(v1.document, { state: null, clientToken: 'clear' }, T1);
    expect(v2.document).toEqual({ state: {}, metadata: {}, version: 2, timestamp: T1 });
    expect(v2.accepted).toEqual({ state: null, metadata: {}, version: 2, timestamp: T1, clientToken: 'clear' });
    expect(v2.delta).toBeUndefined();
  });

  it('drops nulls inside a new object and removes a section emptied by deletions', () => {
    const v1 = update(undefined, { state: { desired: { a: 1, fresh: { keep: 1, gone: null } } } });
    expect(v1.document.state.desired).toEqual({ a: 1, fresh: { keep: 1 } });
    const v2 = update(v1.document, { state: { desired: { a: null, fresh: null } } });
    expect(v2.document.state).toEqual({});
    expect(v2.document.metadata).toEqual({});
  });

  it('replaces a value of another type and its metadata with it', () => {
    const v1 = update(undefined, { state: { reported: { mode: 'auto' } } });
    const v2 = update(v1.document, { state: { reported: { mode: { name: 'manual', since: 3 } } } }, T1);
    expect(v2.document.metadata.reported).toEqual({ mode: { name: { timestamp: T1 }, since: { timestamp: T1 } } });
    const v3 = update(v2.document, { state: { reported: { mode: 'off' } } }, T1);
    expect(v3.document.metadata.reported).toEqual({ mode: { timestamp: T1 } });
  });

  it('accepts a request whose version is the current one and rejects any other with 409', () => {
    const v1 = update(undefined, { state: { desired: { a: 1 } } });
    const v2 = update(v1.document, { state: { desired: { a: 2 } }, version: 1 });
    expect(v2.document.version).toBe(2);

    const stale = rejection(v2.document, JSON.stringify({ state: { desired: { a: 3 } }, version: 1, clientToken: 'tok' }));
    expect(stale).toMatchObject({ code: 409, clientToken: 'tok' });
    expect(stale.message).toMatch(/^Version conflict/);
  });

  it('continues the version a recreated shadow is told to follow', () => {
    const parsed = parseUpdateRequest('{"state":{"reported":{"a":1}}}');
    if (!parsed.ok) throw new Error(parsed.rejection.message);
    const outcome = applyUpdate(undefined, parsed.value, T0, 7);
    expect(outcome.ok && outcome.value.document.version).toBe(8);
  });

  it('publishes the documents event with the previous and the current document', () => {
    const v1 = update(undefined, { state: { reported: { a: 1 } } });
    const v2 = update(v1.document, { state: { reported: { a: 2 } }, clientToken: 'x' }, T1);
    expect(v2.documents).toEqual({
      previous: { state: { reported: { a: 1 } }, metadata: { reported: { a: { timestamp: T0 } } }, version: 1 },
      current: { state: { reported: { a: 2 } }, metadata: { reported: { a: { timestamp: T1 } } }, version: 2 },
      timestamp: T1,
      clientToken: 'x',
    });
    expect(v1.documents.previous).toEqual({ state: {}, metadata: {}, version: 0 });
  });

  it('does not let a key named __proto__ reach a prototype', () => {
    const v1 = update(undefined, JSON.parse('{"state":{"desired":{"__proto__":{"polluted":true}}}}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(v1.document.state.desired ?? {}, '__proto__')).toBe(true);
  });
});

describe('delta', () => {
  it('holds the members of desired that reported lacks or holds differently, objects by member, arrays whole', () => {
    expect(
      computeDelta(
        { color: 'RED', lights: { color: { r: 255, g: 255, b: 255 } }, seq: [1, 2], same: { x: 1 }, on: true },
        { color: 'GREEN', lights: { color: { r: 255, g: 0, b: 255 } }, seq: [1, 2, 3], same: { x: 1 }, engine: 'ON' },
      ),
    ).toEqual({ color: 'RED', lights: { color: { g: 255 } }, seq: [1, 2], on: true });
    expect(computeDelta({ a: 1 }, { a: 1, b: 2 })).toBeUndefined();
    expect(computeDelta(undefined, { a: 1 })).toBeUndefined();
  });

  it('comes with an update that sets desired while desired differs from reported, carrying desired metadata', () => {
    const v1 = update(undefined, { state: { reported: { temp: 20, mode: 'auto' } } });
    expect(v1.delta).toBeUndefined();

    const v2 = update(v1.document, { state: { desired: { temp: 22, mode: 'auto' } }, clientToken: 'd' }, T1);
    expect(v2.delta).toEqual({ state: { temp: 22 }, metadata: { temp: { timestamp: T1 } }, version: 2, timestamp: T1, clientToken: 'd' });

    // The device catching up reports; no delta is published for a reported-only update, and none remains.
    const v3 = update(v2.document, { state: { reported: { temp: 22 } } }, T1);
    expect(v3.delta).toBeUndefined();
    expect(getBody(v3.document, T1).state.delta).toBeUndefined();
  });

  it('appears in the GET body next to desired and reported', () => {
    const v1 = update(undefined, { state: { desired: { temp: 22, plan: { v: 2 } }, reported: { temp: 20, plan: { v: 1 } } } });
    expect(getBody(v1.document, T1)).toEqual({
      state: { desired: { temp: 22, plan: { v: 2 } }, reported: { temp: 20, plan: { v: 1 } }, delta: { temp: 22, plan: { v: 2 } } },
      metadata: v1.document.metadata,
      version: 1,
      timestamp: T1,
    });
  });
});

describe('malformed requests', () => {
  it.each([
    ['not JSON', '{"state": {', /^Invalid JSON: /],
    ['JSON but not an object', '[1, 2]', /^Invalid JSON: the request must be a JSON object/],
    ['no state', '{"desired": {"a": 1}}', /^Missing required node: state$/],
    ['state a string', '{"state": "on"}', /^State node must be an object/],
    ['desired an array', '{"state": {"desired": [1]}}', /^Desired node must be an object$/],
    ['reported a number', '{"state": {"reported": 1}}', /^Reported node must be an object$/],
    ['an unknown node', '{"state": {"wanted": {"a": 1}}}', /^State contains an invalid node: 'wanted'/],
    ['a null in an array', '{"state": {"desired": {"colors": ["red", null]}}}', /arrays cannot contain null values \(at desired\.colors\[1\]\)/],
    ['a version that is no integer', '{"state": {"desired": {}}, "version": "3"}', /^Invalid version/],
    ['a negative version', '{"state": {"desired": {}}, "version": -1}', /^Invalid version/],
    ['a clientToken over 64 bytes', JSON.stringify({ state: { desired: {} }, clientToken: 'x'.repeat(65) }), /^Invalid clientToken/],
  ])('rejects %s with 400 naming the problem', (_, payload, message) => {
    const r = rejection(undefined, payload);
    expect(r.code).toBe(400);
    expect(r.message).toMatch(message);
  });

  it('rejects bytes that are not UTF-8 with 415', () => {
    expect(rejection(undefined, new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])).code).toBe(415);
  });

  it('ignores a delta node sent back with a document', () => {
    const v1 = update(undefined, { state: { desired: { a: 1 }, delta: { a: 1 } } });
    expect(v1.document.state).toEqual({ desired: { a: 1 } });
  });
});

describe('limits', () => {
  /** `{ "1": { "2": … { "n": "leaf" } } }`: n members on the way down, n objects counting this one. */
  const nested = (levels: number): Record<string, unknown> => {
    let value: unknown = 'leaf';
    for (let level = levels; level >= 1; level -= 1) value = { [String(level)]: value };
    return value as Record<string, unknown>;
  };

  it('accepts six levels of nesting under desired or reported and rejects seven with 400', () => {
    expect(() => update(undefined, { state: { desired: nested(6), reported: nested(6) } })).not.toThrow();
    const r = rejection(undefined, JSON.stringify({ state: { reported: nested(7) } }));
    expect(r.code).toBe(400);
    expect(r.message).toMatch(/^JSON contains too many levels of nesting; maximum is 6/);
  });

  it('rejects thousands of nested brackets with 400, without exhausting the stack', () => {
    const payload = `{"state":{"desired":{"a":${'['.repeat(4000)}${']'.repeat(4000)}}}}`;
    expect(rejection(undefined, payload).code).toBe(400);
  });

  it('counts arrays as levels', () => {
    expect(rejection(undefined, JSON.stringify({ state: { desired: { a: [[[[[['deep']]]]]] } } })).code).toBe(400);
  });

  it('rejects a request payload over 8 KB with 413', () => {
    const payload = JSON.stringify({ state: { desired: { blob: 'x'.repeat(SHADOW_LIMITS.maxRequestBytes) } } });
    const r = rejection(undefined, payload);
    expect(r.code).toBe(413);
    expect(r.message).toMatch(/^The payload exceeds the maximum size allowed/);
  });

  it('rejects with 413 an update whose merged state would pass 8 KB, each request being small enough', () => {
    const v1 = update(undefined, { state: { desired: { a: 'x'.repeat(5000) } } });
    const r = rejection(v1.document, JSON.stringify({ state: { reported: { b: 'y'.repeat(5000) } } }));
    expect(r.code).toBe(413);
    expect(r.message).toMatch(/resulting state document would be \d+ bytes/);
  });

  it('fits a 48-hour plan of 192 four-digit steps, with the device report, under 8 KB', () => {
    const plan = PlanDocument.parse({
      v: 12345,
      start: '2026-01-10T00:00:00Z',
      stepS: 900,
      powerW: Array.from({ length: MAX_PLAN_STEPS }, (_, i) => 9000 + (i % 1000)),
      validUntil: '2026-01-12T00:00:00Z',
      fallback: { minC: 19.5, maxC: 22.5 },
    });
    const request = JSON.stringify({ state: { desired: plan, reported: { v: 12344 } }, clientToken: 'plan-12345' });
    expect(new TextEncoder().encode(request).byteLength).toBeLessThan(SHADOW_LIMITS.maxRequestBytes);

    const created = update(undefined, JSON.parse(request));
    expect(created.document.state.desired).toEqual(plan);
    expect((created.document.metadata.desired as { powerW: unknown[] }).powerW).toHaveLength(MAX_PLAN_STEPS);
    expect(created.delta?.state).toEqual(plan);
  });
});
