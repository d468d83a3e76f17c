import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Plugin } from 'esbuild';
import type * as TS from 'typescript';

/**
 * The AWS SDK clients' generated schema modules. They write traits with computed keys naming string constants
 * of the same file (`{ [_e]: _c, [_hE]: 409 }`, `{ [_h]: ["PUT", "/things/{thingName}", 200] }`). esbuild
 * counts a computed key as a possible side effect, so it keeps the schema of every operation of a client,
 * called or not (evanw/esbuild#4373, aws/aws-sdk-js-v3#7607); with literal keys it drops the unused ones.
 */
export const SCHEMA_MODULE = /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/;

/**
 * Names whose literal key means something else than the computed one: `__proto__: x` in an object literal
 * sets the prototype, a class's `"constructor"` is its constructor, a static `"prototype"` is an error.
 */
const MEANS_OTHERWISE = new Set(['__proto__', 'constructor', 'prototype']);

// Loaded on first use: the CDK app reaches this file through lib/bundling.ts, and only a build needs the
// parser, which takes most of a second to load.
let typescript: typeof TS | undefined;
const ts = (): typeof TS => (typescript ??= createRequire(import.meta.url)('typescript') as typeof TS);

interface StringConstant {
  value: string;
  /** Where its declaration ends: a key before it would read it in its temporal dead zone. */
  declaredBy: number;
}

/** `const name = "…"` (or a template without substitutions) at the top level of the module. */
function topLevelStringConstants(file: TS.SourceFile): Map<string, StringConstant> {
  const { isVariableStatement, isIdentifier, isStringLiteral, isNoSubstitutionTemplateLiteral, NodeFlags } = ts();
  const constants = new Map<string, StringConstant>();
  for (const statement of file.statements) {
    if (!isVariableStatement(statement)) continue;
    const list = statement.declarationList;
    if ((list.flags & NodeFlags.BlockScoped) !== NodeFlags.Const) continue;
    for (const declaration of list.declarations) {
      const init = declaration.initializer;
      if (isIdentifier(declaration.name) && init && (isStringLiteral(init) || isNoSubstitutionTemplateLiteral(init))) {
        constants.set(declaration.name.text, { value: init.text, declaredBy: declaration.end });
      }
    }
  }
  return constants;
}

/**
 * Every name the module binds, with how often: declarations of any kind at any depth, parameters, imports,
 * function and class names. A constant bound once is the binding every reference to its name resolves to.
 */
function bindingCounts(file: TS.SourceFile): Map<string, number> {
  const t = ts();
  const counts = new Map<string, number>();
  const bind = (name: TS.BindingName | TS.Identifier | undefined): void => {
    if (!name) return;
    if (t.isIdentifier(name)) counts.set(name.text, (counts.get(name.text) ?? 0) + 1);
    else for (const element of name.elements) if (!t.isOmittedExpression(element)) bind(element.name);
  };
  const visit = (node: TS.Node): void => {
    if (t.isVariableDeclaration(node) || t.isParameter(node)) bind(node.name);
    else if (t.isFunctionDeclaration(node) || t.isFunctionExpression(node) || t.isClassDeclaration(node) || t.isClassExpression(node)) bind(node.name);
    else if (t.isImportClause(node) || t.isNamespaceImport(node) || t.isImportSpecifier(node) || t.isImportEqualsDeclaration(node)) bind(node.name);
    t.forEachChild(node, visit);
  };
  visit(file);
  return counts;
}

/**
 * The module with every computed key that names a top-level string constant of its own (`[_e]`) written as
 * that constant's literal (`"error"`); everything else byte for byte as it was. Throws, naming the file, on a
 * computed key it cannot prove to be such a constant: a key esbuild must keep would quietly bring every
 * schema back.
 */
export function literalSchemaKeys(source: string, fileName: string): string {
  const t = ts();
  const file = t.createSourceFile(fileName, source, t.ScriptTarget.Latest, false, t.ScriptKind.JS);
  // Internal but long-standing: what the parser could not read. A recovered parse proves nothing.
  const [syntaxError] = (file as unknown as { parseDiagnostics: readonly TS.Diagnostic[] }).parseDiagnostics;
  if (syntaxError) throw new Error(`${fileName}: cannot parse: ${t.flattenDiagnosticMessageText(syntaxError.messageText, ' ')} at offset ${syntaxError.start}`);

  const constants = topLevelStringConstants(file);
  const bindings = bindingCounts(file);
  const edits: { start: number; end: number; text: string }[] = [];

  const refuse = (key: TS.ComputedPropertyName, why: string): never => {
    const { line, character } = file.getLineAndCharacterOfPosition(key.getStart(file));
    throw new Error(`${fileName}:${line + 1}:${character + 1}: computed key ${key.getText(file)} ${why}`);
  };
  const visit = (node: TS.Node): void => {
    if (!t.isComputedPropertyName(node)) return t.forEachChild(node, visit);
    const name = node.expression;
    // Already literal: nothing to prove, nothing to change.
    if (t.isStringLiteral(name) || t.isNumericLiteral(name) || t.isNoSubstitutionTemplateLiteral(name)) return;
    if (!t.isIdentifier(name)) return refuse(node, 'is not the name of a constant');
    const constant = constants.get(name.text);
    if (!constant) return refuse(node, 'names no top-level string constant of this module');
    if (bindings.get(name.text) !== 1) return refuse(node, `names '${name.text}', which the module binds more than once`);
    if (node.getStart(file) < constant.declaredBy) return refuse(node, `comes before '${name.text}' is declared`);
    if (MEANS_OTHERWISE.has(constant.value)) return refuse(node, `would become the key "${constant.value}", which means something else as a literal`);
    edits.push({ start: node.getStart(file), end: node.end, text: JSON.stringify(constant.value) });
  };
  visit(file);

  let out = '';
  let at = 0;
  for (const { start, end, text } of edits) {
    out += source.slice(at, start) + text;
    at = end;
  }
  return out + source.slice(at);
}

/** esbuild plugin: the SDK's schema modules read through `literalSchemaKeys`. */
export const literalSchemaKeysPlugin: Plugin = {
  name: 'literal-schema-keys',
  setup(build) {
    build.onLoad({ filter: SCHEMA_MODULE }, async ({ path }) => ({ contents: literalSchemaKeys(await readFile(path, 'utf8'), path), loader: 'js' }));
  },
};
