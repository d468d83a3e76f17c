import { describe, expect, it } from 'vitest';
import { classifyAlignment, type AlignmentInput } from '../../../../functions/domain/reconciliation/classify-alignment.ts';
import type { PlanDocument } from '../../../../schemas/shadow.ts';

const NOW = new Date('2023-01-10T12:10:00Z');
const START = Date.parse('2023-01-10T11:00:00Z');
const plan: PlanDocument = {
  v: 7,
  start: new Date(START).toISOString(),
  stepS: 900,
  // 11:00 800 W, 11:15 800, 11:30 0, 11:45 0, 12:00 1000 (snaps to 800), then 0.
  powerW: [800, 800, 0, 0, 1000, ...Array.from({ length: 187 }, () => 0)],
  validUntil: new Date(START + 192 * 900_000).toISOString(),
  fallback: { minC: 18, maxC: 21 },
};
const base: AlignmentInput = {
  now: NOW,
  levels: [
    { powerW: 400, computeW: 400 },
    { powerW: 800, computeW: 800 },
    { powerW: 2000, computeW: 1200 },
  ],
  fallback: plan.fallback,
  state: { ts: '2023-01-10T12:05:00Z', powerW: 800, roomC: 20.5, planVersion: 7, mode: 'auto' },
  desired: { plan, since: '2023-01-10T11:01:00Z' },
};
const classify = (over: Partial<AlignmentInput>) => classifyAlignment({ ...base, ...over });
const withState = (over: Partial<NonNullable<AlignmentInput['state']>>) => classify({ state: { ...base.state!, ...over } });

describe('classifyAlignment', () => {
  it('following: executes the version in its shadow and draws the level the plan snaps to', () => {
    expect(classify({})).toMatchObject({ alignment: 'following', replan: false, silent: false });
  });

  it('offline: never reported, silent past the threshold, or disconnected after its last report', () => {
    expect(classify({ state: undefined })).toMatchObject({ alignment: 'offline', silent: true });
    expect(withState({ ts: '2023-01-10T11:30:00Z' })).toMatchObject({ alignment: 'offline', silent: true });
    expect(classify({ presence: { online: false, at: '2023-01-10T12:06:00Z' } })).toMatchObject({ alignment: 'offline', silent: false });
    // A disconnect before the last telemetry is history: the device came back.
    expect(classify({ presence: { online: false, at: '2023-01-10T12:00:00Z' } }).alignment).toBe('following');
  });

  it('lagging: still reports an older version (or the fallback) past the grace after a push', () => {
    expect(withState({ planVersion: 6 })).toMatchObject({ alignment: 'lagging', replan: false });
    expect(withState({ planVersion: undefined, mode: 'fallback' }).alignment).toBe('lagging');
    // Within the grace after the push it is not judged.
    expect(classify({ state: { ...base.state!, planVersion: 6 }, desired: { plan, since: '2023-01-10T12:00:00Z' } }).alignment).toBe('following');
  });

  it('diverged: draws another level than planned, or the room is far below the band while the plan draws nothing', () => {
    expect(withState({ powerW: 2000 })).toMatchObject({ alignment: 'diverged', replan: true });
    expect(withState({ powerW: 830 }).alignment).toBe('following');
    const cold = { ts: '2023-01-10T11:35:00Z', powerW: 0, roomC: 16.5, planVersion: 7, mode: 'auto' as const };
    expect(classify({ state: cold, now: new Date('2023-01-10T11:40:00Z') })).toMatchObject({ alignment: 'diverged', replan: true });
    expect(classify({ state: { ...cold, roomC: 17.5 }, now: new Date('2023-01-10T11:40:00Z') }).alignment).toBe('following');
  });

  it('diverged without a replan when the household took over; following under the safety override', () => {
    expect(withState({ mode: 'manual', planVersion: undefined })).toMatchObject({ alignment: 'diverged', replan: false });
    expect(withState({ mode: 'off', powerW: 0, planVersion: undefined })).toMatchObject({ alignment: 'diverged', replan: false });
    expect(withState({ mode: 'safety', powerW: 0, planVersion: undefined }).alignment).toBe('following');
  });

  it('diverged with a replan when the plan in the shadow ran out', () => {
    const short = { ...plan, validUntil: '2023-01-10T12:00:00.000Z' };
    expect(classify({ desired: { plan: short, since: '2023-01-10T11:01:00Z' } })).toMatchObject({ alignment: 'diverged', replan: true });
  });

  it('following when no plan was ever pushed: the fallback band is the contract', () => {
    expect(classify({ desired: undefined, state: { ...base.state!, planVersion: undefined, mode: 'fallback' } }).alignment).toBe('following');
  });
});
