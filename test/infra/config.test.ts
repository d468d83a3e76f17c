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
    ).toEqual({ environment: 'prod', alarmEmail: 'ops@example.com', shadowUpdateQuota: 2000 });
  });

  it.each([
    [CONTEXT_KEYS.environment, 'Prod_1'],
    [CONTEXT_KEYS.alarmEmail, 'not-an-address'],
    [CONTEXT_KEYS.shadowUpdateQuota, '0'],
    [CONTEXT_KEYS.shadowUpdateQuota, 'fast'],
  ])('refuses %s = %s, naming the key', (key, value) => {
    expect(() => configOf({ [key]: value })).toThrow(key);
  });
});
