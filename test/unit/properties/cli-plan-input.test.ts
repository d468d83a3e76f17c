import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { command as plan } from '../../../cli/commands/plan.ts';
import { PlanningProblem } from '../../../schemas/planning-problem.ts';
import { fixture } from '../../support/fixtures.ts';
import { cliHarness } from './support/cli-run.ts';
import { mutatedJson, mutatedText, randomDocument, RUNS } from './support/mutations.ts';

/**
 * `hearth plan --input FILE [--time-budget-ms MS]`, 10,000 cases: random files and edits of the two real
 * planning problems in test/fixtures/planning (cut to their first 12 hours, 48 steps, so 10,000 solves fit a
 * unit test), with good and bad time budgets, and valid problems but for one absurd magnitude. The command
 * prints one JSON plan for the problem's horizon with a finite cost, or fails with an Error naming the file or
 * the field (cli/main.ts: `hearth plan: …`, exit 2); never a crash, never a plan priced Infinity or NaN.
 */
const PROBLEMS = ['planning/dk2-2023-01-17-48h.json', 'planning/dk2-2023-01-17-48h-production.json'].map((p) => {
  const problem = JSON.parse(fixture(p)) as Record<string, unknown> & { comfort: { minC: number[]; maxC: number[] } };
  const steps = (a: unknown) => (a as number[]).slice(0, 48);
  return { ...problem, outdoorC: steps(problem.outdoorC), priceEurPerKWh: steps(problem.priceEurPerKWh), comfort: { minC: steps(problem.comfort.minC), maxC: steps(problem.comfort.maxC) } };
});

/** Valid problems but for one magnitude: a number JSON can hold but no real room, price or penalty has. */
const MAGNITUDE_FIELDS = ['computeRevenueEurPerKWh', 'otherHeatW', 'terminalValueEurPerK', 'switchPenaltyEur', 'initialTempC', 'priceEurPerKWh', 'outdoorC'] as const;
const magnitudes = fc
  .tuple(fc.constantFrom(...PROBLEMS), fc.constantFrom(...MAGNITUDE_FIELDS), fc.constantFrom(1.7976931348623157e308, -1.7976931348623157e308, 1e200, 1e21, -1e21, 5e-324))
  .map(([problem, field, value]) => {
    const current = (problem as Record<string, unknown>)[field];
    return JSON.stringify({ ...problem, [field]: Array.isArray(current) ? current.map(() => value) : value });
  });

describe('hearth plan input, property-based', () => {
  const cli = cliHarness();

  it('hearth plan --input FILE: the plan as one JSON object, or an Error naming the file or the field', async () => {
    const files = fc.oneof(
      { weight: 1, arbitrary: randomDocument },
      { weight: 1, arbitrary: mutatedText(PROBLEMS.map((p) => JSON.stringify(p))) },
      { weight: 4, arbitrary: mutatedJson(PROBLEMS) },
      { weight: 1, arbitrary: magnitudes },
    );
    const budget = fc.option(fc.constantFrom('50', '0', '-1', 'abc', '600001', '1e2', '', 'Infinity', ' 20 '), { nil: undefined });
    await fc.assert(
      fc.asyncProperty(files, budget, async (text, timeBudget) => {
        writeFileSync(cli.input(), text);
        const { code, stdout } = await cli.run(plan, ['--input', cli.input(), ...(timeBudget === undefined ? [] : [`--time-budget-ms=${timeBudget}`])]);
        if (code !== 0) return;
        const problem = PlanningProblem.parse(JSON.parse(text));
        const answer = JSON.parse(stdout) as { powerW: number[]; predictedTempC: number[]; cost: Record<string, number> };
        expect(answer.powerW).toHaveLength(problem.priceEurPerKWh.length);
        expect(answer.predictedTempC).toHaveLength(problem.priceEurPerKWh.length + 1);
        expect(Object.values(answer.cost).every(Number.isFinite)).toBe(true);
      }),
      RUNS,
    );
  });
});
