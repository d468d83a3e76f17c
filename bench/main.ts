import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { BenchFigure, BenchSection } from './section.ts';

/**
 * `npm run -s bench -- [--json] [--only a,b]`: runs the benchmark sections in bench/sections/. Progress goes
 * to stderr; with --json the last stdout line is one JSON object `{ "<section>": { figures } }`.
 */
const SECTIONS_DIR = new URL('./sections/', import.meta.url);

async function loadSections(): Promise<BenchSection[]> {
  const files = readdirSync(fileURLToPath(SECTIONS_DIR)).filter((f) => f.endsWith('.ts')).sort();
  const sections: BenchSection[] = [];
  for (const file of files) sections.push(((await import(new URL(file, SECTIONS_DIR).href)) as { section: BenchSection }).section);
  return sections;
}

const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, only: { type: 'string' } }, strict: true });
const sections = await loadSections();
const wanted = values.only?.split(',').map((s) => s.trim()).filter(Boolean);
const unknown = wanted?.filter((w) => !sections.some((s) => s.name === w)) ?? [];
if (unknown.length) {
  console.error(`bench: no section ${unknown.join(', ')}; sections are ${sections.map((s) => s.name).join(', ')}`);
  process.exit(2);
}
const results: Record<string, Record<string, BenchFigure>> = {};
for (const section of sections.filter((s) => !wanted || wanted.includes(s.name))) {
  const log = (line: string) => process.stderr.write(`[${section.name}] ${line}\n`);
  log(section.description);
  results[section.name] = await section.run(log);
  if (!values.json) console.log(`${section.name}: ${JSON.stringify(results[section.name])}`);
}
if (values.json) console.log(JSON.stringify(results));
