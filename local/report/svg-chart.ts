/**
 * Line charts as inline SVG, drawn when the report is written: the HTML needs no script and no network to
 * show them, and a browser test can check that every chart drew.
 */
export interface Series {
  name: string;
  color: string;
  /** y per x; NaN leaves a gap. */
  values: readonly number[];
  /** Draw as steps (a value holds until the next x), as power and prices do. */
  step?: boolean;
  dashed?: boolean;
}

export interface Band {
  name: string;
  color: string;
  lower: readonly number[];
  upper: readonly number[];
}

export interface Window {
  fromIndex: number;
  toIndex: number;
  label: string;
}

export interface ChartSpec {
  id: string;
  title: string;
  yLabel: string;
  /** Epoch milliseconds of each x. */
  times: readonly number[];
  series: readonly Series[];
  bands?: readonly Band[];
  windows?: readonly Window[];
  width?: number;
  height?: number;
}

const MARGIN = { left: 56, right: 16, top: 28, bottom: 36 };
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fmt = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2));

function niceTicks(lo: number, hi: number, count = 5): number[] {
  const span = hi - lo || 1;
  const step0 = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => span / s <= count) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) ticks.push(Number(v.toFixed(10)));
  return ticks;
}

export function lineChart(spec: ChartSpec): string {
  const width = spec.width ?? 960;
  const height = spec.height ?? 260;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const n = spec.times.length;
  const all = [...spec.series.flatMap((s) => s.values), ...(spec.bands ?? []).flatMap((b) => [...b.lower, ...b.upper])].filter(Number.isFinite);
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (!all.length) [lo, hi] = [0, 1];
  if (lo === hi) [lo, hi] = [lo - 1, hi + 1];
  const pad = (hi - lo) * 0.05;
  lo -= pad;
  hi += pad;
  const x = (i: number) => MARGIN.left + (n <= 1 ? 0 : (i / (n - 1)) * plotW);
  const y = (v: number) => MARGIN.top + (1 - (v - lo) / (hi - lo)) * plotH;

  const path = (values: readonly number[], step: boolean) => {
    let d = '';
    let pen = false;
    values.forEach((v, i) => {
      if (!Number.isFinite(v)) {
        pen = false;
        return;
      }
      if (!pen) d += `M${x(i).toFixed(1)},${y(v).toFixed(1)}`;
      else if (step) d += `H${x(i).toFixed(1)}V${y(v).toFixed(1)}`;
      else d += `L${x(i).toFixed(1)},${y(v).toFixed(1)}`;
      pen = true;
    });
    return d;
  };

  const parts: string[] = [];
  for (const w of spec.windows ?? []) {
    parts.push(
      `<rect class="window" x="${x(w.fromIndex).toFixed(1)}" y="${MARGIN.top}" width="${Math.max(1, x(w.toIndex) - x(w.fromIndex)).toFixed(1)}" height="${plotH}" fill="#f4c542" opacity="0.25"><title>${escape(w.label)}</title></rect>`,
    );
  }
  for (const b of spec.bands ?? []) {
    const upper = b.upper.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`);
    const lower = b.lower.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).reverse();
    parts.push(`<polygon class="band" points="${[...upper, ...lower].join(' ')}" fill="${b.color}" opacity="0.18"><title>${escape(b.name)}</title></polygon>`);
  }
  for (const t of niceTicks(lo, hi)) {
    parts.push(`<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#e3e3e3"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end" class="tick">${fmt(t)}</text>`);
  }
  // One x label per UTC midnight; the first sample is labelled only when no midnight falls in the window.
  const dayMs = 86_400_000;
  const midnights = spec.times.some((t) => t % dayMs === 0);
  for (let i = 0; i < n; i++) {
    if (spec.times[i]! % dayMs === 0 || (i === 0 && !midnights)) {
      parts.push(`<text x="${x(i).toFixed(1)}" y="${height - 12}" text-anchor="middle" class="tick">${new Date(spec.times[i]!).toISOString().slice(5, 10)}</text>`);
    }
  }
  for (const s of spec.series) {
    parts.push(
      `<path class="series" d="${path(s.values, s.step ?? false)}" fill="none" stroke="${s.color}" stroke-width="1.5"${s.dashed ? ' stroke-dasharray="4 3"' : ''}><title>${escape(s.name)}</title></path>`,
    );
  }
  const legend = [...spec.series.map((s) => ({ name: s.name, color: s.color })), ...(spec.bands ?? []).map((b) => ({ name: b.name, color: b.color }))]
    .map((l, i) => `<g transform="translate(${MARGIN.left + i * 150},10)"><rect width="10" height="10" fill="${l.color}"/><text x="14" y="9" class="legend">${escape(l.name)}</text></g>`)
    .join('');
  return `<figure class="chart" id="${escape(spec.id)}"><figcaption>${escape(spec.title)}</figcaption><svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escape(spec.title)}">${legend}<text x="12" y="${MARGIN.top + plotH / 2}" transform="rotate(-90 12 ${MARGIN.top + plotH / 2})" text-anchor="middle" class="tick">${escape(spec.yLabel)}</text>${parts.join('')}</svg></figure>`;
}
