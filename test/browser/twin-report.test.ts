import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twinReport } from '../../local/report/twin-report.ts';
import { runTwin } from '../../local/twin/run-twin.ts';
import { main } from '../../cli/main.ts';

/** Debian's package puts Chromium here; `.ci/run` installs it before this suite runs. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The SVG geometry calls the check makes (the project compiles without DOM typings). */
interface SvgShape {
  getTotalLength(): number;
  getBBox(): { width: number };
}
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('twin report in headless Chromium', () => {
  let browser: Browser;
  let reportPath: string;
  const dir = mkdtempSync(join(tmpdir(), 'hearth-report-'));

  beforeAll(async () => {
    const result = await runTwin({ devices: 3, days: 2, seed: 1, from: new Date('2023-01-09T23:00:00Z') });
    reportPath = join(dir, 'twin.html');
    writeFileSync(reportPath, twinReport(result, 'hearth-dp'));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  });
  afterAll(async () => browser?.close());

  it('opens offline and every chart draws its lines', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const outside: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) outside.push(r.url());
    });
    await page.goto(pathToFileURL(reportPath).href);
    const charts = await page.$$eval('figure.chart', (figures) =>
      figures.map((f) => {
        const paths = [...f.querySelectorAll('path.series')] as unknown as SvgShape[];
        const bands = [...f.querySelectorAll('polygon.band')] as unknown as SvgShape[];
        return {
          id: f.id,
          drawnLines: paths.filter((p) => p.getTotalLength() > 100 && p.getBBox().width > 100).length,
          lines: paths.length,
          drawnBands: bands.filter((b) => b.getBBox().width > 100).length,
        };
      }),
    );
    expect(charts.map((c) => c.id)).toEqual(['chart-prices', 'chart-room-heater-001', 'chart-room-heater-002', 'chart-room-heater-003', 'chart-power']);
    for (const c of charts) expect(c.drawnLines, c.id).toBe(c.lines);
    expect(charts.filter((c) => c.id.startsWith('chart-room')).every((c) => c.drawnBands === 1)).toBe(true);
    expect(await page.$$eval('#summary tbody tr', (rows) => rows.length)).toBe(4);
    expect(outside).toEqual([]);

    const shot = process.env.HEARTH_REPORT_SCREENSHOT ?? join(dir, 'twin.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(20_000);
  });
});

describe('backtest report in headless Chromium', () => {
  it('opens offline and draws prices, each policy\'s power and room temperature', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hearth-backtest-report-'));
    const report = join(dir, 'backtest.html');
    const samples = new URL('../../data/samples/', import.meta.url);
    const prices = new URL('prices/DK2-2023-01-02_2023-02-12.csv', samples).pathname;
    const weather = new URL('weather/malmo-2023-01-02_2023-02-12.csv', samples).pathname;
    const original = console.log;
    console.log = () => undefined;
    try {
      expect(await main(['backtest', '--prices', prices, '--weather', weather, '--from', '2023-01-09', '--to', '2023-01-10', '--devices', '3', '--json', '--report', report])).toBe(0);
    } finally {
      console.log = original;
    }
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      await page.goto(pathToFileURL(report).href);
      const charts = await page.$$eval('figure.chart', (figures) =>
        figures.map((f) => ({ id: f.id, lines: f.querySelectorAll('path.series').length, drawn: [...f.querySelectorAll('path.series')].filter((p) => (p as unknown as SvgShape).getBBox().width > 100).length })),
      );
      expect(charts.map((c) => c.id)).toEqual(['chart-prices', 'chart-power', 'chart-room']);
      for (const c of charts) expect(c.drawn, c.id).toBe(c.lines);
      expect(charts.find((c) => c.id === 'chart-power')!.lines).toBe(3);
      expect(await page.$$eval('#summary tbody tr', (rows) => rows.length)).toBe(3);
    } finally {
      await browser.close();
    }
  });
});
