import { tables, type TableKey } from '../../wiring/tables.ts';

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

export const tableName = (table: TableKey): string => requireEnv(tables[table].envVar);
