export interface CsvRow {
  /** 1-based line number in the file, for error messages. */
  line: number;
  cells: string[];
}

/**
 * The lines of a CSV export split on `delimiter`: byte-order mark and CR removed, blank lines skipped.
 * The exports read here (EDS, Open-Meteo) never quote fields, so no quote handling is attempted.
 */
export function splitCsv(text: string, delimiter: string): CsvRow[] {
  const rows: CsvRow[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split('\n')
    .forEach((raw, i) => {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line.trim() !== '') rows.push({ line: i + 1, cells: line.split(delimiter) });
    });
  return rows;
}
