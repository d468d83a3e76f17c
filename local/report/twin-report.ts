import type { TwinResult } from '../twin/run-twin.ts';
import { renderReport } from './html-report.ts';
import { lineChart } from './svg-chart.ts';

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];
/** Charts per device stay readable up to this many; the table still lists every device. */
const MAX_DEVICE_CHARTS = 8;

/** The twin's run as one offline HTML page: prices, temperatures against comfort, power, DR windows, a table. */
export function twinReport(result: TwinResult, policy: string): string {
  const { series } = result;
  const traces = series.devices.slice(0, MAX_DEVICE_CHARTS);
  const windows = series.drWindows.map((w) => ({
    fromIndex: Math.max(0, series.times.findIndex((t) => t >= w.start)),
    toIndex: (() => {
      const i = series.times.findIndex((t) => t >= w.end);
      return i < 0 ? series.times.length : i;
    })(),
    label: 'DR event',
  }));
  const fleetKW = series.times.map((_, i) => series.devices.reduce((sum, d) => sum + d.powerW[i]!, 0) / 1000);
  const sections = [
    {
      heading: 'Day-ahead price',
      html: lineChart({
        id: 'chart-prices',
        title: 'DK2 spot price',
        yLabel: 'EUR/MWh',
        times: series.times,
        series: [{ name: 'spot price', color: '#444', values: series.priceEurPerMWh, step: true }],
      }),
    },
    {
      heading: 'Room temperature against the comfort band',
      html: traces
        .map((d, i) =>
          lineChart({
            id: `chart-room-${d.deviceId}`,
            title: `${d.deviceId}: room and outdoor temperature`,
            yLabel: '°C',
            times: series.times,
            height: 220,
            bands: [{ name: 'comfort band', color: '#2ca02c', lower: d.minC, upper: d.maxC }],
            windows,
            series: [
              { name: 'room', color: PALETTE[i % PALETTE.length]!, values: d.roomC },
              { name: 'outdoor', color: '#888', values: series.outdoorC, dashed: true },
            ],
          }),
        )
        .join(''),
    },
    {
      heading: 'Power drawn',
      html: lineChart({
        id: 'chart-power',
        title: `Power per heater (planner ${policy})`,
        yLabel: 'W',
        times: series.times,
        windows,
        series: traces.map((d, i) => ({ name: d.deviceId, color: PALETTE[i % PALETTE.length]!, values: d.powerW, step: true })),
      }),
    },
    {
      heading: 'Demand-response windows',
      html: result.dr
        ? lineChart({ id: 'chart-fleet-dr', title: 'Fleet power around demand-response windows', yLabel: 'kW', times: series.times, windows, series: [{ name: 'fleet', color: '#d62728', values: fleetKW, step: true }] }) +
          drSummary(result.dr)
        : '<p id="dr-windows">No demand-response event was received in this run; events appear here as shaded windows.</p>',
    },
  ];
  const row = (name: string, d: { energyKWh: number; energyCostEur: number; computeRevenueEur: number; netCostEur: number; discomfortKh: number }) => [
    name,
    d.energyKWh.toFixed(1),
    d.energyCostEur.toFixed(2),
    d.computeRevenueEur.toFixed(2),
    d.netCostEur.toFixed(2),
    d.discomfortKh.toFixed(1),
  ];
  return renderReport({
    title: 'Hearth local fleet twin',
    subtitle: `${result.devices.length} heaters, ${result.from} → ${result.to}: DK2 day-ahead prices and Malmö weather, planner ${policy}`,
    sections,
    table: {
      headers: ['device', 'kWh', 'bill EUR', 'revenue EUR', 'net EUR', 'discomfort K·h'],
      rows: [...result.devices.map((d) => row(d.deviceId, d)), row('fleet', result.fleet)],
    },
    notes: [
      'Bill = spot price × energy; revenue = compute energy × the heater’s hashprice-derived rate. Temperatures are the simulated rooms’ at the end of each 15-minute step.',
      'Prices: Energinet / Energi Data Service. Weather data by Open-Meteo.com (CC BY 4.0).',
    ],
  });
}

function drSummary(dr: NonNullable<TwinResult['dr']>): string {
  const escape = (x: string) => x.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return (
    `<p id="dr-windows">Event <code>${escape(dr.gridEventId)}</code>, posted ${escape(dr.postedAt)} (webhook answered ${dr.webhookStatus}), ` +
    `window ${escape(dr.window.start)} → ${escape(dr.window.end)}. Fleet draw: ${dr.fleetKW.before} kW in the two hours before (pre-heat), ` +
    `${dr.fleetKW.during} kW during, ${dr.fleetKW.after} kW in the two hours after; discomfort around the event ${dr.discomfortKh} K·h.</p>`
  );
}
