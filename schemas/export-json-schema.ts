import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderJsonSchemas } from './json-schemas.ts';

/** `npm run schemas`: writes schemas/json/ from the zod schemas. */
const outDir = join(dirname(fileURLToPath(import.meta.url)), 'json');
for (const [file, text] of Object.entries(renderJsonSchemas())) {
  const path = join(outDir, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}
console.log(`wrote ${Object.keys(renderJsonSchemas()).length} JSON Schema files to ${outDir}`);
