import { resolveComfortBand, type ComfortBand } from '../../functions/domain/comfort/comfort-band.ts';
import { HOUR_MS, MINUTE_MS } from '../../functions/domain/market/time.ts';
import { levelLadder } from '../../functions/domain/planning/compiled-problem.ts';
import { DEFAULT_PENALTY } from '../../functions/domain/planning/device-problem.ts';
import { planOptimal } from '../../functions/domain/planning/dp-planner.ts';
import { SOLVE_BUDGET_MS } from '../../functions/domain/planning/plan-devices.ts';
import { withProductionObjective } from '../../functions/domain/planning/production-objective.ts';
import { stepCoefficients, stepRoom } from '../../functions/domain/thermal/room-model.ts';
import type { PlanningProblem } from '../../schemas/planning-problem.ts';
import { deviceRevenue, type RevenueSource } from './compute-revenue.ts';
import { WeatherForecaster, knownPriceSteps } from './information.ts';
import { actualSteps, type MarketHistory } from './market-history.ts';
import { GreedyMiner, LiveThermostat } from './policies.ts';
import { backtestPopulation, type BacktestDevice } from './population.ts';

/**
 * A backtest: N households over [from, to), each simulated three times side by side on the same true room
 * and the same weather — under a classic `thermostat`, a `greedy` miner and `hearth` (the production
 * planner) — and billed at the real spot price and real compute revenue.
 *
 * Hearth is run as in production: every hour it plans 48 h ahead (15-minute steps) from the room's measured
 * temperature, with only what was known then (information.ts: published day-ahead prices, the fallback
 * forecast beyond; a weather FORECAST with errors; yesterday's hashprice), on its model of the room
 * (population.ts: not the true one), and the first hour of each plan is executed against the true room.
 */
export const STEP_MINUTES = 15;
export const HORIZON_STEPS = 192;
const STEPS_PER_PLAN = 60 / STEP_MINUTES;

export const POLICY_NAMES = ['thermostat', 'greedy', 'hearth'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

export interface PolicyTotals {
  energyKWh: number;
  energyCostEur: number;
  computeRevenueEur: number;
  netCostEur: number;
  /** K·h outside the comfort band (below its minimum plus above its maximum), at the end of each step. */
  discomfortKh: number;
}

/** Per-step series for a report: the market, the fleet's power per policy, and the first device's room. */
export interface BacktestSeries {
  times: number[];
  priceEurPerKWh: number[];
  outdoorC: number[];
  fleetPowerW: Record<PolicyName, number[]>;
  sampleDevice: { deviceId: string; minC: number[]; maxC: number[]; roomC: Record<PolicyName, number[]> };
}

export interface BacktestResult {
  deviceDays: number;
  policies: Record<PolicyName, PolicyTotals>;
  /** Present when the run was asked to record (`record: true`). */
  series?: BacktestSeries;
}

export interface BacktestOptions {
  history: MarketHistory;
  revenue: RevenueSource;
  fromMs: number;
  toMs: number;
  devices: number;
  seed: number;
  /** The market's and the households' clock (day-ahead publication, comfort schedules). */
  timezone: string;
  /** Called with the share done, now and then. */
  onProgress?: (share: number) => void;
  /** Keep per-step series for a report. */
  record?: boolean;
}

const emptyTotals = (): PolicyTotals => ({ energyKWh: 0, energyCostEur: 0, computeRevenueEur: 0, netCostEur: 0, discomfortKh: 0 });

/** The device's own hourly plans, replanned each hour, with the previous plan as the fallback. */
class HearthController {
  private plan: number[] = [];

  constructor(private readonly device: BacktestDevice) {}

  replan(problem: PlanningProblem): void {
    // The plan made an hour ago, moved to now: the last good plan if this solve ran out of time.
    const shifted = this.plan.length ? [...this.plan.slice(STEPS_PER_PLAN), ...new Array<number>(STEPS_PER_PLAN).fill(0)] : undefined;
    this.plan = planOptimal(withProductionObjective(problem), { timeBudgetMs: SOLVE_BUDGET_MS, fallbackPowerW: shifted }).powerW;
  }

  powerAt(stepInPlan: number): number {
    return this.plan[stepInPlan] ?? 0;
  }

  get levels() {
    return this.device.record.levels;
  }
}

/** Compute power drawn at a level's power, as evaluatePlan credits it. */
function computeShareOf(device: BacktestDevice): Map<number, number> {
  const ladder = levelLadder({ levels: device.record.levels });
  return new Map(ladder.powerW.map((p, i) => [p, ladder.computeW[i]!]));
}

export function runBacktest(options: BacktestOptions): BacktestResult {
  const { history, fromMs, toMs, timezone } = options;
  const stepMs = STEP_MINUTES * MINUTE_MS;
  const steps = Math.round((toMs - fromMs) / stepMs);
  if (!(steps > 0) || (toMs - fromMs) % HOUR_MS !== 0) throw new RangeError('a backtest runs whole hours, at least one');
  const span = steps + HORIZON_STEPS;
  const actual = actualSteps(history, fromMs, span, STEP_MINUTES);
  const hourly = actualSteps(history, fromMs - 30 * MINUTE_MS, Math.ceil(span / STEPS_PER_PLAN) + 72, 60).outdoorC;
  const forecaster = new WeatherForecaster((hourMs) => hourly[Math.min(hourly.length - 1, Math.max(0, Math.round((hourMs - fromMs) / HOUR_MS)))]!, options.seed);
  const devices = backtestPopulation(options.devices, options.seed, timezone, steps);
  const bands = new Map<string, ComfortBand>();
  const bandOf = (d: BacktestDevice): ComfortBand => {
    const key = JSON.stringify(d.record.comfort);
    let band = bands.get(key);
    if (!band) bands.set(key, (band = resolveComfortBand({ schedule: d.record.comfort, timezone, start: new Date(fromMs), steps: span, stepMinutes: STEP_MINUTES })));
    return band;
  };

  const totals = Object.fromEntries(POLICY_NAMES.map((n) => [n, emptyTotals()])) as Record<PolicyName, PolicyTotals>;
  const state = devices.map((d) => ({
    device: d,
    band: bandOf(d),
    revenue: deviceRevenue(options.revenue, d),
    compute: computeShareOf(d),
    coefficients: stepCoefficients(d.trueRoom, STEP_MINUTES / 60),
    roomC: { thermostat: d.initialRoomC, greedy: d.initialRoomC, hearth: d.initialRoomC } as Record<PolicyName, number>,
    thermostat: new LiveThermostat(),
    greedy: new GreedyMiner(),
    hearth: new HearthController(d),
  }));

  const perPolicy = () => Object.fromEntries(POLICY_NAMES.map((n) => [n, [] as number[]])) as Record<PolicyName, number[]>;
  const series: BacktestSeries | undefined = options.record
    ? {
        times: [],
        priceEurPerKWh: [],
        outdoorC: [],
        fleetPowerW: perPolicy(),
        sampleDevice: { deviceId: state[0]?.device.record.deviceId ?? '', minC: [], maxC: [], roomC: perPolicy() },
      }
    : undefined;

  for (let k = 0; k < steps; k++) {
    const nowMs = fromMs + k * stepMs;
    if (k % STEPS_PER_PLAN === 0) {
      const prices = knownPriceSteps(history.intervals, nowMs, timezone, HORIZON_STEPS, STEP_MINUTES);
      const outdoor = forecaster.outdoorSteps(nowMs, HORIZON_STEPS, STEP_MINUTES);
      for (const s of state) {
        s.hearth.replan({
          start: new Date(nowMs).toISOString(),
          stepMinutes: STEP_MINUTES,
          initialTempC: s.roomC.hearth,
          room: { uaWPerK: s.device.modelRoom.uaWPerK, capacityKWhPerK: s.device.modelRoom.capacityKWhPerK },
          otherHeatW: s.device.modelRoom.otherHeatW,
          outdoorC: outdoor,
          priceEurPerKWh: prices,
          computeRevenueEurPerKWh: s.revenue.knownAt(nowMs),
          levels: s.device.record.levels,
          comfort: { minC: s.band.minC.slice(k, k + HORIZON_STEPS), maxC: s.band.maxC.slice(k, k + HORIZON_STEPS) },
          capW: null,
          penalty: { ...DEFAULT_PENALTY },
        });
      }
      options.onProgress?.(k / steps);
    }
    const price = actual.priceEurPerKWh[k]!;
    const outdoorC = actual.outdoorC[k]!;
    if (series) {
      series.times.push(nowMs);
      series.priceEurPerKWh.push(price);
      series.outdoorC.push(outdoorC);
      for (const name of POLICY_NAMES) series.fleetPowerW[name].push(0);
    }
    for (const s of state) {
      const { record, trueRoom } = s.device;
      const minC = s.band.minC[k]!;
      const maxC = s.band.maxC[k]!;
      const revenue = s.revenue.actual(nowMs);
      const power: Record<PolicyName, number> = {
        thermostat: s.thermostat.decide(s.roomC.thermostat, minC, maxC, record.levels),
        greedy: s.greedy.decide(s.roomC.greedy, minC, maxC, record.levels, price, revenue),
        hearth: s.hearth.powerAt(k % STEPS_PER_PLAN),
      };
      const otherW = trueRoom.otherHeatW + s.device.unknownHeat(k);
      if (series && s === state[0]) {
        series.sampleDevice.minC.push(minC);
        series.sampleDevice.maxC.push(maxC);
      }
      for (const name of POLICY_NAMES) {
        const p = power[name];
        const t = totals[name];
        const kWh = (p / 1000) * (STEP_MINUTES / 60);
        t.energyKWh += kWh;
        t.energyCostEur += kWh * price;
        t.computeRevenueEur += ((s.compute.get(p) ?? 0) / 1000) * (STEP_MINUTES / 60) * revenue;
        const roomC = stepRoom(s.coefficients, s.roomC[name], p + otherW, outdoorC);
        s.roomC[name] = roomC;
        if (series) {
          series.fleetPowerW[name][k]! += p;
          if (s === state[0]) series.sampleDevice.roomC[name].push(roomC);
        }
        t.discomfortKh += (Math.max(0, minC - roomC) + Math.max(0, roomC - maxC)) * (STEP_MINUTES / 60);
      }
    }
  }
  options.onProgress?.(1);
  for (const t of Object.values(totals)) t.netCostEur = t.energyCostEur - t.computeRevenueEur;
  return { deviceDays: (options.devices * (toMs - fromMs)) / (24 * HOUR_MS), policies: totals, ...(series ? { series } : {}) };
}
