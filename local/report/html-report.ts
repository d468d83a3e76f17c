/** A self-contained HTML page: inline CSS and SVG only, so it opens offline from a file. */
export interface ReportTable {
  headers: readonly string[];
  rows: readonly (readonly string[])[];
}

export interface ReportSpec {
  title: string;
  subtitle: string;
  sections: readonly { heading: string; html: string }[];
  table: ReportTable;
  notes: readonly string[];
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1000px;color:#222}
h1{font-size:22px;margin:0}h2{font-size:16px;margin:28px 0 8px}.subtitle{color:#555;margin:4px 0 16px}
figure{margin:8px 0}figcaption{font-weight:600;margin-bottom:4px}svg{max-width:100%;height:auto}
.tick{font-size:11px;fill:#666}.legend{font-size:12px;fill:#333}
table{border-collapse:collapse;margin-top:8px}th,td{padding:4px 10px;text-align:right;border-bottom:1px solid #ddd}
th:first-child,td:first-child{text-align:left}tr.total td{font-weight:700;border-top:2px solid #999}
.notes{color:#555;font-size:12px}`;

export function renderReport(spec: ReportSpec): string {
  const [head, ...body] = [spec.table.headers, ...spec.table.rows];
  const last = body.length - 1;
  const table = `<table id="summary"><thead><tr>${head!.map((h) => `<th>${escape(h)}</th>`).join('')}</tr></thead><tbody>${body
    .map((r, i) => `<tr${i === last ? ' class="total"' : ''}>${r.map((c) => `<td>${escape(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(spec.title)}</title><style>${STYLE}</style></head><body>
<h1>${escape(spec.title)}</h1><p class="subtitle">${escape(spec.subtitle)}</p>
<h2>Fleet summary</h2>${table}
${spec.sections.map((s) => `<h2>${escape(s.heading)}</h2>${s.html}`).join('\n')}
<div class="notes">${spec.notes.map((n) => `<p>${escape(n)}</p>`).join('')}</div>
</body></html>\n`;
}
