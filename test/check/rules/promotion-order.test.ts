import { describe, expect, it } from 'vitest';
import { compareVersions } from '../../../scripts/lib/check/rules/promotion-order.ts';

describe('compareVersions', () => {
  it.each([
    ['1.30.3', '1.29.10', 1],
    ['1.29.10', '1.30.3', -1],
    ['v2.0', '2.0.0', 0],
    ['1.5.0-rc1', '1.4.9', 1],
    ['latest', '1.0.0', undefined],
  ])('%s vs %s → %s', (a, b, expected) => expect(compareVersions(a, b)).toBe(expected));
});
