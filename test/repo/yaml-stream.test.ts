import { describe, expect, it } from 'vitest';
import { parseYamlStream } from '../../scripts/lib/repo/yaml-stream.ts';
import { InputError } from '../../scripts/lib/errors.ts';

describe('parseYamlStream', () => {
  it.each([
    ['single document', 'a: 1\n', [{ value: { a: 1 }, line: 1 }]],
    ['leading separator and comment', '---\n# c\nkind: A\n', [{ value: { kind: 'A' }, line: 3 }]],
    [
      'two documents',
      'a: 1\n---\nb: 2\n',
      [
        { value: { a: 1 }, line: 1 },
        { value: { b: 2 }, line: 3 },
      ],
    ],
    ['empty documents skipped', '---\n---\n# only comment\n---\nc: 3\n', [{ value: { c: 3 }, line: 5 }]],
    [
      'document end marker',
      'a: 1\n...\n---\nb: 2\n',
      [
        { value: { a: 1 }, line: 1 },
        { value: { b: 2 }, line: 4 },
      ],
    ],
  ])('%s', (_name, text, expected) => {
    expect(parseYamlStream(text, 'f.yaml').map(({ value, line }) => ({ value, line }))).toEqual(expected);
  });

  it('names file and line of a syntax error', () => {
    const err = (() => {
      try {
        parseYamlStream('a: 1\n---\nkind: A\nmetadata:\n  name: [oops\n', 'x/y.yaml');
      } catch (e) {
        return e;
      }
    })() as InputError;
    expect(err).toBeInstanceOf(InputError);
    expect(err.file).toBe('x/y.yaml');
    expect(err.line).toBeGreaterThanOrEqual(5);
    expect(err.message).toMatch(/^x\/y\.yaml:\d+: invalid YAML/);
  });
});
