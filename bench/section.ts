/** A figure, or a group of named figures (per-device request counts, say). */
export type BenchFigure = number | string | boolean | { readonly [name: string]: BenchFigure };

/** One benchmark section; each lives in its own file under bench/sections/ and is found there by name. */
export interface BenchSection {
  name: string;
  description: string;
  /** Measures and returns the section's figures, which become `{ [name]: figures }` in the JSON output. */
  run(log: (line: string) => void): Promise<Record<string, BenchFigure>>;
}
