import { parseArgs } from 'node:util';
import * as z from 'zod';
import { explainIssues } from '../../schemas/explain.ts';
import { naiveTimestampMs } from '../../functions/domain/time/naive-timestamp.ts';
import { isKnownTimeZone, wallClock, zonedWallClockToUtcMs } from '../../functions/domain/time/zoned-time.ts';
import { DAY_MS } from '../../functions/domain/market/time.ts';
import { DEFAULT_USD_PER_EUR, loadBitcoinRevenue, type RevenueSource } from '../../local/backtest/compute-revenue.ts';
import { loadMarketHistory, type MarketHistory } from '../../local/backtest/market-history.ts';
import { writeFileSync } from 'node:fs';
import { progressBar } from '../../local/progress/progress-bar.ts';
import { backtestReport } from '../../local/report/backtest-report.ts';
import { checkReportPath } from '../../local/report/report-path.ts';
import { POLICY_NAMES, runBacktest, type BacktestResult } from '../../local/backtest/run-backtest.ts';
import type { Command } from '../command.ts';

const USAGE = `hearth backtest --prices FILE --weather FILE [--revenue EUR_PER_KWH | --bitcoin DIR [--usd-per-eur R]]
                [--from YYYY-MM-DD --to YYYY-MM-DD] [--devices N] [--seed S] [--zone Z] [--timezone TZ] [--json]
  Replays real day-ahead prices and weather for N varied households, side by side under three policies:
  a classic thermostat, a greedy miner and Hearth's planner — the latter planned honestly (hourly, 48 h
  ahead, tomorrow's prices only after their 12:45 publication, a weather forecast with errors, its own
  estimate of the room) and executed against the true room. Bills at the spot price (no tariff) and the
  real compute revenue.
  --prices: Energi Data Service CSV (or any format hearth prices reads); --weather: Open-Meteo CSV or JSON.
  --revenue: EUR per kWh of compute for every device; --bitcoin: a folder of daily network CSVs
  (block-subsidy*, hashrate*, btc-usd*, or difficulty*) giving each day's hashprice, converted at
  --usd-per-eur (default ${DEFAULT_USD_PER_EUR}); neither: each generated device's own fixed revenue.
  --from/--to: local dates (--to included) on the --timezone clock (default Europe/Copenhagen); default the
  whole overlap of the files. --json: one JSON object as the last line
  { deviceDays, policies: { thermostat|greedy|hearth: { energyKWh, energyCostEur, computeRevenueEur, netCostEur, discomfortKh } } }.
  --report FILE: one self-contained HTML page with charts of prices, the policies' fleet power and a room.`;

const Day = z.iso.date();
const BacktestArgs = z
  .object({
    prices: z.string({ error: '--prices FILE is required' }).min(1),
    weather: z.string({ error: '--weather FILE is required' }).min(1),
    revenue: z.coerce.number().min(0).max(10).optional(),
    bitcoin: z.string().min(1).optional(),
    'usd-per-eur': z.coerce.number().positive().max(10),
    from: Day.optional(),
    to: Day.optional(),
    devices: z.coerce.number().int().min(1).max(1000),
    seed: z.coerce.number().int().min(0),
    zone: z.string().min(1).optional(),
    timezone: z.string().refine(isKnownTimeZone, 'not a time zone Intl knows (e.g. Europe/Copenhagen)'),
    json: z.boolean(),
    report: z.string().optional(),
  })
  .refine((a) => a.revenue === undefined || a.bitcoin === undefined, { message: 'give --revenue or --bitcoin, not both', path: ['revenue'] });

/** Local midnight starting a `YYYY-MM-DD` day on the zone's clock, as a UTC instant. */
const localMidnight = (day: string, timezone: string) => zonedWallClockToUtcMs(naiveTimestampMs(`${day}T00:00`)!, timezone);

/** The day after a `YYYY-MM-DD` date. */
const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

/** [from's local midnight, the local midnight after `to`): whole local days, 23 or 25 h long across DST. */
function period(history: MarketHistory, from: string | undefined, to: string | undefined, timezone: string): { fromMs: number; toMs: number } {
  // A day of data before the period lets the price forecast persist yesterday.
  const firstDay = nextDay(wallClock(history.firstMs, timezone).slice(0, 10));
  const lastDay = wallClock(history.endMs - DAY_MS, timezone).slice(0, 10);
  const fromMs = localMidnight(from ?? firstDay, timezone);
  const toMs = localMidnight(nextDay(to ?? lastDay), timezone);
  if (fromMs < history.firstMs || toMs > history.endMs) {
    throw new Error(`the period must lie inside the data: --from ${firstDay} … --to ${lastDay} at the widest`);
  }
  if (!(toMs > fromMs)) throw new Error('--to must not be before --from');
  return { fromMs, toMs };
}

function table(result: BacktestResult): string {
  const rows = POLICY_NAMES.map((name) => {
    const t = result.policies[name];
    return [name, t.energyKWh.toFixed(0), t.energyCostEur.toFixed(2), t.computeRevenueEur.toFixed(2), t.netCostEur.toFixed(2), t.discomfortKh.toFixed(1)];
  });
  const header = ['policy', 'energy kWh', 'energy EUR', 'revenue EUR', 'net EUR', 'discomfort K·h'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      prices: { type: 'string' },
      weather: { type: 'string' },
      revenue: { type: 'string' },
      bitcoin: { type: 'string' },
      'usd-per-eur': { type: 'string', default: String(DEFAULT_USD_PER_EUR) },
      from: { type: 'string' },
      to: { type: 'string' },
      devices: { type: 'string', default: '20' },
      seed: { type: 'string', default: '1' },
      zone: { type: 'string' },
      timezone: { type: 'string', default: 'Europe/Copenhagen' },
      json: { type: 'boolean', default: false },
      report: { type: 'string' },
    },
    strict: true,
  });
  const args = BacktestArgs.safeParse(values);
  if (!args.success) throw new Error(`${explainIssues(args.error)}\n\n${USAGE}`);
  const a = args.data;
  if (a.report !== undefined) checkReportPath(a.report);
  const history = await loadMarketHistory({ prices: a.prices, weather: a.weather }, a.zone);
  const revenue: RevenueSource = a.bitcoin
    ? await loadBitcoinRevenue(a.bitcoin, a['usd-per-eur'])
    : a.revenue !== undefined
      ? { kind: 'constant', eurPerKWh: a.revenue }
      : { kind: 'fleet' };
  const { fromMs, toMs } = period(history, a.from, a.to, a.timezone);
  const bar = progressBar(process.stderr, 'backtest');
  const started = performance.now();
  const result = runBacktest({ history, revenue, fromMs, toMs, devices: a.devices, seed: a.seed, timezone: a.timezone, onProgress: (s) => bar.update(s), record: a.report !== undefined });
  bar.done();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const span = `${wallClock(fromMs, a.timezone).slice(0, 10)} … ${wallClock(toMs - 1, a.timezone).slice(0, 10)}`;
  const revenueText = revenue.kind === 'bitcoin' ? `bitcoin hashprice (${revenue.formula}, ${revenue.usdPerEur} USD/EUR)` : revenue.kind === 'constant' ? `${revenue.eurPerKWh} EUR/kWh of compute` : 'each device’s fixed revenue';
  if (a.report !== undefined) {
    writeFileSync(a.report, backtestReport(result, { zone: history.zone, span, devices: a.devices, revenue: revenueText }));
    process.stderr.write(`report written to ${a.report}\n`);
  }
  const { series: _series, ...summary } = result;
  if (a.json) {
    process.stderr.write(`backtest ${history.zone} ${span}: ${a.devices} devices, ${revenueText}, ${seconds} s\n`);
    console.log(JSON.stringify(summary));
    return 0;
  }
  console.log(`Backtest ${history.zone}, ${span}: ${a.devices} households (seed ${a.seed}), ${result.deviceDays} device-days, ${revenueText}, spot price only\n`);
  console.log(table(result));
  console.log(`\n${seconds} s`);
  return 0;
}

export const command: Command = { name: 'backtest', usage: USAGE, run };
