import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { CONTEXT_KEYS, DEFAULT_CONFIG, readConfig } from '../../lib/config.ts';

const configOf = (context: Record<string, unknown>) => readConfig(new App({ context }).node);

describe('deployment parameters (CDK context)', () => {
  it('defaults without context', () => {
    expect(configOf({})).toEqual(DEFAULT_CONFIG);
  });

  it('reads values given on the command line as strings', () => {
    expect(
      configOf({ [CONTEXT_KEYS.environment]: 'prod', [CONTEXT_KEYS.alarmEmail]: 'ops@example.com', [CONTEXT_KEYS.shadowUpdateQuota]: '2000' }),
    ).toEqual({ environment: 'prod', alarmEmail: 'ops@example.com', shadowUpdateQuota: 2000, shadowPushConcurrency: 4, drPrograms: [] });
  });

  it('reads DR programs from cdk.json (an array) or the command line (JSON)', () => {
    const programs = [{ programId: 'winter-flex', utility: 'grid-co', simpleShed: { '1': 0.4 }, restoreMinutes: 90 }];
    expect(configOf({ [CONTEXT_KEYS.drPrograms]: programs }).drPrograms).toEqual(programs);
    expect(configOf({ [CONTEXT_KEYS.drPrograms]: JSON.stringify(programs) }).drPrograms).toEqual(programs);
  });

  it.each([
    [CONTEXT_KEYS.environment, 'Prod_1'],
    [CONTEXT_KEYS.alarmEmail, 'not-an-address'],
    [CONTEXT_KEYS.shadowUpdateQuota, '0'],
    [CONTEXT_KEYS.shadowUpdateQuota, 'fast'],
    [CONTEXT_KEYS.shadowPushConcurrency, '0'],
    [CONTEXT_KEYS.drPrograms, '[{"programId":'],
    [CONTEXT_KEYS.drPrograms, [{ programId: 'p', simpleShed: { '1': 2 } }]],
  ])('refuses %s = %s, naming the key', (key, value) => {
    expect(() => configOf({ [key]: value })).toThrow(key);
  });
});
