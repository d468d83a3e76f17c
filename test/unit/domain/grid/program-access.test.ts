import { describe, expect, it } from 'vitest';
import { utilityOfBearerToken } from '../../../../functions/domain/grid/bearer-token.ts';
import { mayPostProgram } from '../../../../functions/domain/grid/program-access.ts';

const programs = [{ programId: 'winter-flex', utility: 'grid-co' }, { programId: 'local-peak' }];
const tokens = [
  { utility: 'default', token: 'default-token-0123456789' },
  { utility: 'grid-co', token: 'grid-co-token-0123456789' },
  { utility: 'grid-co', token: 'grid-co-rotated-01234567' },
];

describe('utilities and their programs', () => {
  it('names the utility whose token is presented, and nobody for a wrong or malformed header', async () => {
    expect(await utilityOfBearerToken('Bearer grid-co-rotated-01234567', tokens)).toBe('grid-co');
    expect(await utilityOfBearerToken('bearer default-token-0123456789', tokens)).toBe('default');
    expect(await utilityOfBearerToken('Bearer grid-co-token-012345678', tokens)).toBeUndefined();
    expect(await utilityOfBearerToken('Basic Z3JpZC1jbw==', tokens)).toBeUndefined();
    expect(await utilityOfBearerToken(undefined, tokens)).toBeUndefined();
  });

  it('lets a utility post only its own programs; unowned programs belong to the default utility', () => {
    expect(mayPostProgram('grid-co', 'winter-flex', programs)).toBe(true);
    expect(mayPostProgram('default', 'winter-flex', programs)).toBe(false);
    expect(mayPostProgram('grid-co', 'local-peak', programs)).toBe(false);
    expect(mayPostProgram('grid-co', 'dispatch', programs)).toBe(false);
    expect(mayPostProgram('default', 'dispatch', programs)).toBe(true);
    expect(mayPostProgram('default', 'anything', [])).toBe(true);
  });
});
