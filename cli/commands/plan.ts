import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import * as z from 'zod';
import { checkJson, explainIssues } from '../../schemas/explain.ts';
import { PlanningProblem, type PlanResult } from '../../schemas/planning-problem.ts';
import { planOptimal } from '../../functions/domain/planning/dp-planner.ts';
import type { Command } from '../command.ts';

const USAGE = `hearth plan --input FILE [--time-budget-ms MS]
  Plans one device: reads a planning problem (JSON, schemas/planning-problem.ts: room, forecasts and prices
  per step, power levels, comfort band, caps, penalties) and prints one JSON object
  { powerW, predictedTempC, cost: { energyEur, revenueEur, penaltyEur, objectiveEur }, solveMs }.
  --time-budget-ms caps the solve (default 5000; past it the better of the baseline and the plan so far).`;

const PlanArgs = z.object({
  input: z.string({ error: '--input FILE is required' }).min(1, '--input FILE is required'),
  'time-budget-ms': z.coerce.number().positive().max(600_000),
});

async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { input: { type: 'string' }, 'time-budget-ms': { type: 'string', default: '5000' } }, strict: true });
  const args = PlanArgs.safeParse(values);
  if (!args.success) throw new Error(`${explainIssues(args.error)}\n\n${USAGE}`);
  const path = args.data.input;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `cannot read ${path}: no such file` : `cannot read ${path}: ${(e as Error).message}`);
  }
  const problem = checkJson(PlanningProblem, text, path);
  if (!problem.ok) throw new Error(problem.error);
  const plan = planOptimal(problem.value, { timeBudgetMs: args.data['time-budget-ms'] });
  const answer: PlanResult = { powerW: plan.powerW, predictedTempC: plan.predictedTempC, cost: plan.cost, solveMs: plan.solveMs };
  console.log(JSON.stringify(answer));
  return 0;
}

export const command: Command = { name: 'plan', usage: USAGE, run };
