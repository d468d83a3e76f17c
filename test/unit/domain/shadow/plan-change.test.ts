import { describe, expect, it } from 'vitest';
import { DEFAULT_DELTA_POLICY, GRID_EVENT_DELTA_POLICY, planChange } from '../../../../functions/domain/shadow/plan-change.ts';
import type { PlanDocument } from '../../../../schemas/shadow.ts';

const START = Date.parse('2023-01-10T12:00:00Z');
const STEP_MS = 900_000;
const plan = (v: number, powerW: number[], startMs = START, over: Partial<PlanDocument> = {}): PlanDocument => ({
  v,
  start: new Date(startMs).toISOString(),
  stepS: 900,
  powerW,
  validUntil: new Date(startMs + powerW.length * STEP_MS).toISOString(),
  fallback: { minC: 18, maxC: 21 },
  ...over,
});
const flat = (w: number, n = 192) => Array.from({ length: n }, () => w);
const at = (ms: number) => new Date(ms);

describe('planChange: when a new plan is worth a shadow write', () => {
  it('writes when nothing is held, and never replaces a newer plan with an older one', () => {
    expect(planChange(undefined, plan(1, flat(800)), at(START))).toEqual({ write: true, reason: 'nothing-held' });
    expect(planChange(plan(5, flat(800)), plan(4, flat(0)), at(START))).toEqual({ write: false, reason: 'not-newer' });
    expect(planChange(plan(5, flat(800)), plan(5, flat(0)), at(START))).toEqual({ write: false, reason: 'not-newer' });
  });

  it('suppresses a replan an hour later that plans the same power for the overlapping steps', () => {
    const held = plan(1, flat(800));
    const next = plan(2, flat(800), START + 4 * STEP_MS);
    expect(planChange(held, next, at(START + 4 * STEP_MS))).toEqual({ write: false, reason: 'within-deadband' });
  });

  it('tolerates differences within the watt deadband, and one step beyond it', () => {
    const held = plan(1, flat(800));
    expect(planChange(held, plan(2, flat(950)), at(START)).write).toBe(false);
    const oneStep = flat(800);
    oneStep[3] = 2000;
    expect(planChange(held, plan(2, oneStep), at(START)).write).toBe(false);
    const twoSteps = [...oneStep];
    twoSteps[4] = 0;
    expect(planChange(held, plan(2, twoSteps), at(START))).toEqual({ write: true, reason: 'power-changed', changedSteps: 2 });
  });

  it('leaves changes beyond the horizon for a later replan, unless the plan answers a grid event', () => {
    const held = plan(1, flat(800));
    const later = flat(800);
    for (let k = 40; k < 48; k++) later[k] = 0;
    expect(planChange(held, plan(2, later), at(START))).toEqual({ write: false, reason: 'within-deadband' });
    expect(planChange(held, plan(2, later), at(START), GRID_EVENT_DELTA_POLICY).write).toBe(true);
    // Once the change comes within the horizon, it is written.
    expect(planChange(held, plan(2, later), at(START + 30 * STEP_MS)).write).toBe(true);
  });

  it('compares from now: what changed in the part of the plan already past does not count', () => {
    const held = plan(1, flat(800));
    const next = flat(800);
    next[0] = 0;
    next[1] = 0;
    expect(planChange(held, plan(2, next), at(START + 2 * STEP_MS)).write).toBe(false);
    expect(planChange(held, plan(2, next), at(START + STEP_MS)).write).toBe(false);
    expect(planChange(held, plan(2, next), at(START)).write).toBe(true);
  });

  it('renews the held plan once less than a day of it remains, when the new one reaches further', () => {
    const held = plan(1, flat(800));
    const now = START + 25 * 3_600_000;
    expect(planChange(held, plan(2, flat(800), now), at(now))).toEqual({ write: true, reason: 'renewal-due' });
    expect(planChange(held, plan(2, flat(800), START + 23 * 3_600_000), at(START + 23 * 3_600_000)).write).toBe(false);
  });

  it('writes when the fallback band changes, or when the new plan covers steps the held one does not', () => {
    const held = plan(1, flat(800));
    expect(planChange(held, plan(2, flat(800), START, { fallback: { minC: 17, maxC: 21 } }), at(START))).toEqual({ write: true, reason: 'fallback-changed' });
    const short = plan(1, flat(800, 8));
    const policy = { ...DEFAULT_DELTA_POLICY, renewBeforeS: 0 };
    expect(planChange(short, plan(2, flat(800)), at(START), policy)).toEqual({ write: true, reason: 'coverage-gap' });
  });

  it('treats a different step length by instants: the same power at the same times is the same plan', () => {
    const held = plan(1, flat(800));
    const hourly = plan(2, flat(800, 48), START, { stepS: 3600, validUntil: new Date(START + 48 * 3_600_000).toISOString() });
    expect(planChange(held, hourly, at(START)).write).toBe(false);
  });
});
