/**
 * The size DynamoDB bills an item by, from its document form (as lib-dynamodb writes it): attribute names
 * and strings by UTF-8 length, numbers by (significant digits ÷ 2) + 1, booleans and null 1 byte, lists and
 * maps 3 bytes plus 1 byte per element (Amazon DynamoDB Developer Guide, "Item sizes and formats").
 */
export function dynamoItemBytes(item: Record<string, unknown>): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + utf8(name) + valueBytes(value), 0);
}

const utf8 = (s: string): number => Buffer.byteLength(s, 'utf8');

function numberBytes(n: number): number {
  const digits = Math.abs(n).toString().replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}

function valueBytes(value: unknown): number {
  if (value === null || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return utf8(value);
  if (typeof value === 'number') return numberBytes(value);
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, v) => sum + 1 + valueBytes(v), 0);
  if (typeof value === 'object') return 3 + Object.entries(value as Record<string, unknown>).reduce((sum, [k, v]) => sum + 1 + utf8(k) + valueBytes(v), 0);
  throw new TypeError(`no DynamoDB size for a ${typeof value}`);
}
