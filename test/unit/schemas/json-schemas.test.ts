import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderJsonSchemas } from '../../../schemas/json-schemas.ts';

const dir = new URL('../../../schemas/json/', import.meta.url).pathname;
const filesOnDisk = (sub = ''): string[] =>
  readdirSync(join(dir, sub), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesOnDisk(join(sub, e.name)) : [join(sub, e.name)]));

describe('published JSON Schemas', () => {
  it('match the zod schemas (run `npm run schemas` after changing a schema)', () => {
    const rendered = renderJsonSchemas();
    expect(filesOnDisk().sort()).toEqual(Object.keys(rendered).sort());
    for (const [file, text] of Object.entries(rendered)) {
      expect(readFileSync(join(dir, file), 'utf8'), `schemas/json/${file} is stale`).toBe(text);
    }
  });
});
