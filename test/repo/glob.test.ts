import { describe, expect, it } from 'vitest';
import { globToRegExp } from '../../scripts/lib/repo/glob.ts';

describe('globToRegExp', () => {
  it.each([
    ['*.yaml', 'a.yaml', true],
    ['*.yaml', 'd/a.yaml', false],
    ['**/*.yaml', 'd/e/a.yaml', true],
    ['{a,b}.yaml', 'b.yaml', true],
    ['{a,b}.yaml', 'c.yaml', false],
    ['a?.json', 'ab.json', true],
    ['a.yaml', 'aXyaml', false],
  ])('%s matches %s: %s', (glob, name, expected) => {
    expect(globToRegExp(glob).test(name)).toBe(expected);
  });
});
