export * from './tables.ts';
export * from './functions.ts';
export * from './topics.ts';
export * from './metrics.ts';
