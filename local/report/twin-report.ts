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
        series: traces.map((d, i) => ({ name: d.deviceId, color: PALETTE[i % PALETTE.length]!, values: d.powerW, step: true })),
      }),
    },
    {
      heading: 'Demand-response windows',
      html: '<p id="dr-windows">No demand-response event was received in this run; events appear here as shaded windows.</p>',
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
