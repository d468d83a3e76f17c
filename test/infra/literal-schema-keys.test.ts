import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { SCHEMA_MODULE, literalSchemaKeys, literalSchemaKeysPlugin } from '../../lib/literal-schema-keys.ts';
import { REPO_ROOT } from '../../lib/repo-root.ts';

const rewrite = (lines: string[]) => literalSchemaKeys(lines.join('\n'), 'schemas_0.js');

describe('literalSchemaKeys', () => {
  it('writes keys naming top-level string constants as their literals, and nothing else', () => {
    const source = [
      'const _e = "error";',
      "const _h = 'http', _q = `httpQuery`;",
      'const n0 = "com.example";',
      '// { [_e]: 1 } in a comment',
      'export var A$ = [-3, n0, "A", { [_e]: "client", [ _h ]: ["GET", "/a/{id}", 200] }, /* [_q] */ [0, { [_q]: _e }]];',
      'const text = "{ [_e]: 1 }", pattern = /{ [_e]: 1 }/, template = `{ [_e]: ${({ [_e]: 1 })[_e]} }`;',
      'export var B$ = { ["literal"]: 1, [2]: 2, get [_q]() { return _h; } };',
      'export class C { static [_e] = 1; }',
      'const { [_h]: destructured } = B$;',
    ];
    expect(rewrite(source)).toBe(
      [
        'const _e = "error";',
        "const _h = 'http', _q = `httpQuery`;",
        'const n0 = "com.example";',
        '// { [_e]: 1 } in a comment',
        'export var A$ = [-3, n0, "A", { "error": "client", "http": ["GET", "/a/{id}", 200] }, /* [_q] */ [0, { "httpQuery": _e }]];',
        'const text = "{ [_e]: 1 }", pattern = /{ [_e]: 1 }/, template = `{ [_e]: ${({ "error": 1 })[_e]} }`;',
        'export var B$ = { ["literal"]: 1, [2]: 2, get "httpQuery"() { return _h; } };',
        'export class C { static "error" = 1; }',
        'const { "http": destructured } = B$;',
      ].join('\n'),
    );
  });

  it('leaves a module without computed keys as it was', () => {
    const source = 'const _a = "a";\nexport var A$ = [0, _a, { a: 1 }];\n';
    expect(literalSchemaKeys(source, 'x.js')).toBe(source);
  });

  it.each([
    ['a name of no constant', ['export var A$ = { [_e]: 1 };'], /schemas_0\.js:1:19: computed key \[_e\] names no top-level string constant/],
    ['a let', ['let _e = "error";', 'export var A$ = { [_e]: 1 };'], /\[_e\] names no top-level string constant/],
    ['a number constant', ['const _n = 1;', 'export var A$ = { [_n]: 1 };'], /\[_n\] names no top-level string constant/],
    ['a constant of a nested scope', ['const f = () => { const _e = "error"; return { [_e]: 1 }; };'], /\[_e\] names no top-level string constant/],
    ['a shadowed constant', ['const _e = "error";', 'export const f = (_e) => ({ [_e]: 1 });'], /names '_e', which the module binds more than once/],
    ['a constant declared after the key', ['export var A$ = { [_e]: 1 };', 'const _e = "error";'], /comes before '_e' is declared/],
    ['an expression', ['const _e = "error";', 'export var A$ = { [_e + "s"]: 1 };'], /\[_e \+ "s"\] is not the name of a constant/],
    ['a symbol', ['export var A$ = { [Symbol.iterator]: 1 };'], /is not the name of a constant/],
    ['__proto__', ['const _p = "__proto__";', 'export var A$ = { [_p]: 1 };'], /would become the key "__proto__"/],
    ['constructor', ['const _c = "constructor";', 'export class A { [_c]() {} }'], /would become the key "constructor"/],
  ])('refuses a computed key naming %s, with the file and position', (_what, source, error) => {
    expect(() => rewrite(source)).toThrow(error);
  });

  it('refuses a module it cannot parse', () => {
    expect(() => literalSchemaKeys('const _e = "error";\nexport var A$ = { [_e]: 1 ;', 'broken.js')).toThrow(/^broken\.js: cannot parse/);
  });
});

/** Every generated schema module of the installed SDK clients. */
const schemaModules = readdirSync(join(REPO_ROOT, 'node_modules/@aws-sdk'))
  .filter((name) => name.startsWith('client-'))
  .flatMap((client) => {
    const dir = join(REPO_ROOT, 'node_modules/@aws-sdk', client, 'dist-es/schemas');
    return readdirSync(dir)
      .map((file) => join(dir, file))
      .filter((path) => SCHEMA_MODULE.test(path));
  });

const bundle = async (contents: string, plugins: esbuild.Plugin[]): Promise<string> => {
  const result = await esbuild.build({
    stdin: { contents, resolveDir: REPO_ROOT, loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    logLevel: 'error',
    plugins,
  });
  return result.outputFiles[0]!.text;
};

describe('the SDK clients’ schema modules', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-schema-keys-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The module's exports as text: functions (the schemas' lazy references) by their source. */
  const exportsOf = async (code: string, name: string): Promise<string> => {
    const file = join(dir, `${name}.mjs`);
    writeFileSync(file, code);
    const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    return JSON.stringify(module, (_key, value: unknown) => (typeof value === 'function' ? `function ${String(value)}` : value));
  };

  it('are all found', () => {
    expect(schemaModules.map((path) => path.slice(path.indexOf('@aws-sdk/')))).toContain('@aws-sdk/client-iot/dist-es/schemas/schemas_0.js');
  });

  it.each(schemaModules.map((path) => [path.slice(path.indexOf('@aws-sdk/')), path]))('%s: rewritten without a computed key left, exporting the same schemas', async (name, path) => {
    const rewritten = literalSchemaKeys(readFileSync(path, 'utf8'), path);
    expect(rewritten).not.toMatch(/\[\s*_\w+\s*\]\s*:/);
    const entry = `export * from ${JSON.stringify(path)};`;
    const slug = name.replaceAll(/\W/g, '-');
    const [original, literal] = await Promise.all([bundle(entry, []), bundle(entry, [literalSchemaKeysPlugin])]);
    expect(literal).not.toBe(original);
    expect(await exportsOf(literal, `${slug}-literal`)).toBe(await exportsOf(original, `${slug}-original`));
  });

  it('lets esbuild drop the schemas of operations a bundle does not use', async () => {
    const iot = schemaModules.find((path) => path.includes('/client-iot/'))!;
    const entry = `export { CreateThing$ } from ${JSON.stringify(iot)};`;
    const [original, literal] = await Promise.all([bundle(entry, []), bundle(entry, [literalSchemaKeysPlugin])]);
    expect(original).toContain('/streams/{streamId}');
    expect(literal).not.toContain('/streams/{streamId}');
    expect(literal).toContain('"/things/{thingName}"');
  });
});
