import { readFileSync } from 'node:fs';

/** A file under test/fixtures/, as text. */
export const fixture = (path: string): string => readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8');

/** Absolute path of a file under test/fixtures/. */
export const fixturePath = (path: string): string => new URL(`../fixtures/${path}`, import.meta.url).pathname;

/** Consecutive starts of a curve are exactly `minutes` apart: nothing lost, nothing repeated. */
export function gapsIn(points: readonly { start: string }[], minutes: number): string[] {
  const bad: string[] = [];
  for (let i = 1; i < points.length; i++) {
    if (Date.parse(points[i]!.start) - Date.parse(points[i - 1]!.start) !== minutes * 60_000) bad.push(`${points[i - 1]!.start} → ${points[i]!.start}`);
  }
  return bad;
}
