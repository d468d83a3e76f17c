import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check } from '../../../schemas/explain.ts';
import { PlanningProblem } from '../../../schemas/planning-problem.ts';

const N = 4;
const problem = {
  start: '2023-01-10T00:00:00Z',
  stepMinutes: 15,
  initialTempC: 20,
  room: { uaWPerK: 50, capacityKWhPerK: 2 },
  otherHeatW: 100,
  outdoorC: Array(N).fill(0),
  priceEurPerKWh: Array(N).fill(0.1),
  computeRevenueEurPerKWh: 0.08,
  levels: [{ powerW: 0, computeW: 0 }, { powerW: 1000, computeW: 1000 }],
  comfort: { minC: Array(N).fill(20), maxC: Array(N).fill(23) },
  capW: null,
  penalty: { belowEurPerKh: 1, aboveEurPerKh: 0.2 },
};

describe('planning problem input (hearth plan --input), property-based', () => {
  it('either parses or names the fields at fault, never throws', () => {
    const mutated = fc.record({ key: fc.constantFrom(...Object.keys(problem), 'surprise'), value: fc.jsonValue() }).map(({ key, value }) => ({ ...problem, [key]: value }));
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), mutated), (input) => {
        const out = check(PlanningProblem, input);
        if (!out.ok) expect(out.error).toMatch(/^[\w.()]+: /);
      }),
      { numRuns: 10_000 },
    );
  });
});
