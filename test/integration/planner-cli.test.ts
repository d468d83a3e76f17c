import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main.ts';
import { evaluatePlan } from '../../functions/domain/accounting/plan-cost.ts';
import { isLevelPower } from '../../functions/domain/planning/power-levels.ts';
import { planThermostat } from '../../functions/domain/planning/thermostat-policy.ts';
import { PlanningProblem } from '../../schemas/planning-problem.ts';

const fixture = (path: string) => fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url));
const sample = (path: string) => fileURLToPath(new URL(`../../data/samples/${path}`, import.meta.url));
const PRICES = sample('prices/DK2-2023-01-02_2023-02-12.csv');
const WEATHER = sample('weather/malmo-2023-01-02_2023-02-12.csv');

describe('hearth plan and hearth backtest', () => {
  let out: string[];
  let err: string[];
  beforeEach(() => {
    out = [];
    err = [];
    vi.spyOn(console, 'log').mockImplementation((m: string) => void out.push(m));
    vi.spyOn(console, 'error').mockImplementation((m: string) => void err.push(m));
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => vi.restoreAllMocks());

  it('plans a device from a problem file and prints the plan, trajectory and cost', async () => {
    for (const file of ['planning/dk2-2023-01-17-48h.json', 'planning/dk2-2023-01-17-48h-production.json']) {
      out.length = 0;
      expect(await main(['plan', '--input', fixture(file)])).toBe(0);
      const problem = PlanningProblem.parse(JSON.parse(readFileSync(fixture(file), 'utf8')));
      const answer = JSON.parse(out.at(-1)!) as { powerW: number[]; predictedTempC: number[]; cost: Record<string, number>; solveMs: number };
      expect(Object.keys(answer).sort()).toEqual(['cost', 'powerW', 'predictedTempC', 'solveMs']);
      expect(answer.powerW).toHaveLength(192);
      expect(answer.predictedTempC).toHaveLength(193);
      expect(answer.powerW.every((w) => isLevelPower(problem.levels, w))).toBe(true);
      expect(answer.cost).toEqual(evaluatePlan(problem, answer.powerW).cost);
      expect(answer.cost.objectiveEur).toBeLessThan(planThermostat(problem).cost.objectiveEur);
      expect(answer.solveMs).toBeGreaterThanOrEqual(0);
    }
    const plain = JSON.parse(out.at(-1)!) as { cost: { energyEur: number; revenueEur: number; penaltyEur: number; objectiveEur: number } };
    expect(plain.cost.objectiveEur).toBeDefined();
  });

  it('refuses bad plan input naming the file or the field, with exit code 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hearth-plan-'));
    const problem = JSON.parse(readFileSync(fixture('planning/dk2-2023-01-17-48h.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'short.json'), JSON.stringify({ ...problem, priceEurPerKWh: [0.1, 0.2] }));
    writeFileSync(join(dir, 'levels.json'), JSON.stringify({ ...problem, levels: [{ powerW: 500, computeW: 900 }] }));
    writeFileSync(join(dir, 'broken.json'), '{"start": ');
    expect(await main(['plan', '--input', join(dir, 'short.json')])).toBe(2);
    expect(await main(['plan', '--input', join(dir, 'levels.json')])).toBe(2);
    expect(await main(['plan', '--input', join(dir, 'broken.json')])).toBe(2);
    expect(await main(['plan', '--input', join(dir, 'missing.json')])).toBe(2);
    expect(await main(['plan'])).toBe(2);
    expect(err[0]).toMatch(/priceEurPerKWh: has 2 steps; outdoorC has 192/);
    expect(err[1]).toMatch(/levels\.0\.computeW: exceeds powerW/);
    expect(err[2]).toMatch(/broken\.json is not valid JSON/);
    expect(err[3]).toMatch(/cannot read .*missing\.json: no such file/);
    expect(err[4]).toMatch(/--input FILE is required/);
  });

  it('backtests the three policies on the sample weeks and prints one JSON object', async () => {
    const code = await main(['backtest', '--prices', PRICES, '--weather', WEATHER, '--from', '2023-01-09', '--to', '2023-01-11', '--devices', '4', '--seed', '2', '--json']);
    expect(code).toBe(0);
    const result = JSON.parse(out.at(-1)!) as { deviceDays: number; policies: Record<string, Record<string, number>> };
    expect(result.deviceDays).toBe(12);
    expect(Object.keys(result.policies).sort()).toEqual(['greedy', 'hearth', 'thermostat']);
    for (const totals of Object.values(result.policies)) {
      expect(Object.keys(totals).sort()).toEqual(['computeRevenueEur', 'discomfortKh', 'energyCostEur', 'energyKWh', 'netCostEur']);
      expect(totals.energyKWh).toBeGreaterThan(0);
      expect(totals.netCostEur).toBeCloseTo(totals.energyCostEur! - totals.computeRevenueEur!, 9);
    }
    const { hearth, thermostat, greedy } = result.policies as Record<string, Record<string, number>>;
    expect(hearth!.netCostEur).toBeLessThan(thermostat!.netCostEur!);
    expect(hearth!.netCostEur).toBeLessThan(greedy!.netCostEur!);
    expect(hearth!.discomfortKh).toBeLessThan(thermostat!.discomfortKh!);
  });

  it('backtests with bitcoin hashprice revenue and a flat revenue, and the same seed repeats', async () => {
    const args = ['backtest', '--prices', PRICES, '--weather', WEATHER, '--from', '2023-01-05', '--to', '2023-01-06', '--devices', '2', '--json'];
    expect(await main([...args, '--bitcoin', fixture('backtest/bitcoin')])).toBe(0);
    const bitcoin = JSON.parse(out.at(-1)!) as { policies: { greedy: { computeRevenueEur: number } } };
    expect(bitcoin.policies.greedy.computeRevenueEur).toBeGreaterThan(0);
    expect(await main([...args, '--revenue', '0'])).toBe(0);
    const none = JSON.parse(out.at(-1)!) as { policies: Record<string, { computeRevenueEur: number }> };
    for (const p of Object.values(none.policies)) expect(p.computeRevenueEur).toBe(0);
    expect(await main([...args, '--revenue', '0'])).toBe(0);
    expect(out.at(-1)).toBe(out.at(-2));
  });

  it('writes an offline HTML report of the backtest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hearth-backtest-'));
    const report = join(dir, 'backtest.html');
    expect(await main(['backtest', '--prices', PRICES, '--weather', WEATHER, '--from', '2023-01-09', '--to', '2023-01-10', '--devices', '2', '--json', '--report', report])).toBe(0);
    const html = readFileSync(report, 'utf8');
    for (const id of ['chart-prices', 'chart-power', 'chart-room']) expect(html).toContain(`id="${id}"`);
    expect(html).not.toMatch(/<script|https?:\/\//);
    expect(JSON.parse(out.at(-1)!)).not.toHaveProperty('series');
  });

  it('refuses bad backtest options with a clear message', async () => {
    const base = ['backtest', '--prices', PRICES, '--weather', WEATHER];
    expect(await main([...base, '--from', '2022-12-01', '--to', '2022-12-03'])).toBe(2);
    expect(await main([...base, '--revenue', '0.1', '--bitcoin', fixture('backtest/bitcoin')])).toBe(2);
    expect(await main([...base, '--devices', 'many'])).toBe(2);
    expect(await main(['backtest', '--prices', 'nowhere.csv', '--weather', WEATHER])).toBe(2);
    expect(err[0]).toMatch(/must lie inside the data: --from 2023-01-03 … --to 2023-02-12/);
    expect(err[1]).toMatch(/--revenue or --bitcoin, not both/);
    expect(err[2]).toMatch(/devices/);
    expect(err[3]).toMatch(/cannot read nowhere\.csv: no such file/);
  });
});
