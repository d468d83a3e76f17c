/**
 * Energi Data Service JSON answers built from real rows of the EDS CSV download, which carries the same fields.
 * No verbatim EDS JSON answer is public (test/fixtures/README.md); these keep the CSV's values, with JSON's
 * `T`-separated zone-less stamps, newest first as the API sorts by default.
 */
const csvRows = (text: string) =>
  text
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [utc, dk, area, dkk, eur] = line.split(';') as [string, string, string, string, string];
      const iso = (s: string) => `${s.replace(' ', 'T').slice(0, 16)}:00`;
      return { utc: iso(utc), dk: iso(dk), area, dkk: Number(dkk.replace(',', '.')), eur: Number(eur.replace(',', '.')) };
    });

/** The hourly `Elspotprices` dataset. */
export const elspotDocument = (csv: string) => {
  const records = csvRows(csv).map((r) => ({ HourUTC: r.utc, HourDK: r.dk, PriceArea: r.area, SpotPriceDKK: r.dkk, SpotPriceEUR: r.eur }));
  return { total: records.length, limit: 100, dataset: 'Elspotprices', records };
};

/** The same prices as `DayAheadPrices` has published them since 2025-10-01: four 15-minute records per hour. */
export const dayAheadDocument = (csv: string) => {
  const rows = csvRows(csv);
  const records = rows.flatMap((r) =>
    [45, 30, 15, 0].map((minute) => {
      const at = (s: string) => `${s.slice(0, 14)}${String(minute).padStart(2, '0')}:00`;
      return { TimeUTC: at(r.utc), TimeDK: at(r.dk), PriceArea: r.area, DayAheadPriceDKK: r.dkk, DayAheadPriceEUR: r.eur };
    }),
  );
  const areas = [...new Set(rows.map((r) => r.area))];
  return { total: records.length, filters: JSON.stringify({ PriceArea: areas }), limit: records.length, dataset: 'DayAheadPrices', records };
};
