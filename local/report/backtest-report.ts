import type { BacktestResult, BacktestSeries, PolicyName } from '../backtest/run-backtest.ts';
import { renderReport } from './html-report.ts';
import { lineChart } from './svg-chart.ts';

const POLICY_COLOURS: Record<PolicyName, string> = { thermostat: '#d62728', greedy: '#ff7f0e', hearth: '#1f77b4' };
/** Beyond two weeks of 15-minute steps, charts show hourly means: a season stays readable and the page small. */
const MAX_STEPS_AT_FULL_RESOLUTION = 14 * 96;

function downsample(series: BacktestSeries): { times: number[]; mean: (values: readonly number[]) => number[] } {
  const factor = series.times.length > MAX_STEPS_AT_FULL_RESOLUTION ? 4 : 1;
  const times = series.times.filter((_, i) => i % factor === 0);
  const mean = (values: readonly number[]) =>
    times.map((_, j) => {
      const chunk = values.slice(j * factor, (j + 1) * factor);
      return chunk.reduce((a, b) => a + b, 0) / chunk.length;
    });
  return { times, mean };
}

export interface BacktestReportContext {
  zone: string;
  span: string;
  devices: number;
  revenue: string;
}

/** A backtest as one offline HTML page: market, the policies' fleet power, one room per policy, the totals. */
export function backtestReport(result: BacktestResult, context: BacktestReportContext): string {
  const { series } = result;
  if (!series) throw new Error('the backtest ran without recording series; run it with record: true');
  const { times, mean } = downsample(series);
  const policies = Object.keys(result.policies) as PolicyName[];
  const sections = [
    {
      heading: 'Day-ahead price',
      html: lineChart({ id: 'chart-prices', title: `${context.zone} spot price`, yLabel: 'EUR/MWh', times, series: [{ name: 'spot', color: '#444', values: mean(series.priceEurPerKWh.map((p) => p * 1000)), step: true }] }),
    },
    {
      heading: 'Power per policy',
      html: lineChart({
        id: 'chart-power',
        title: `Fleet power (${context.devices} heaters)`,
        yLabel: 'kW',
        times,
        series: policies.map((p) => ({ name: p, color: POLICY_COLOURS[p], values: mean(series.fleetPowerW[p].map((w) => w / 1000)), step: true })),
      }),
    },
    {
      heading: 'Room temperature against the comfort band',
      html: lineChart({
        id: 'chart-room',
        title: `${series.sampleDevice.deviceId}: room temperature per policy, and outdoor`,
        yLabel: '°C',
        times,
        bands: [{ name: 'comfort band', color: '#2ca02c', lower: mean(series.sampleDevice.minC), upper: mean(series.sampleDevice.maxC) }],
        series: [
          ...policies.map((p) => ({ name: p, color: POLICY_COLOURS[p], values: mean(series.sampleDevice.roomC[p]) })),
          { name: 'outdoor', color: '#888', values: mean(series.outdoorC), dashed: true },
        ],
      }),
    },
    { heading: 'Demand-response windows', html: '<p id="dr-windows">This backtest has no demand-response events.</p>' },
  ];
  return renderReport({
    title: `Hearth backtest: ${context.zone}`,
    subtitle: `${context.span}: ${context.devices} households, ${result.deviceDays} device-days, ${context.revenue}; planned honestly (day-ahead prices after publication, forecast weather)`,
    sections,
    table: {
      headers: ['policy', 'kWh', 'bill EUR', 'revenue EUR', 'net EUR', 'discomfort K·h'],
      rows: policies.map((p) => {
        const t = result.policies[p];
        return [p, t.energyKWh.toFixed(0), t.energyCostEur.toFixed(2), t.computeRevenueEur.toFixed(2), t.netCostEur.toFixed(2), t.discomfortKh.toFixed(1)];
      }),
    },
    notes: ['Charts show hourly means for runs longer than two weeks. Bill at spot price unless a tariff was given.'],
  });
}
