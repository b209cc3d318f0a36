import fc from 'fast-check';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { KUBECTL_SCHEMA } from '../../scripts/lib/repo/kubectl-yaml-schema.ts';
import { parseYamlStream, readYamlStream } from '../../scripts/lib/repo/yaml-stream.ts';
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
      'content on the separator line',
      'a: 1\n--- {b: 2}\n',
      [
        { value: { a: 1 }, line: 1 },
        { value: { b: 2 }, line: 2 },
      ],
    ],
    [
      'CRLF line ends',
      'a: 1\r\n---\r\nb: 2\r\n',
      [
        { value: { a: 1 }, line: 1 },
        { value: { b: 2 }, line: 3 },
      ],
    ],
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

describe('scalars as kubectl reads them (go-yaml, YAML 1.1)', () => {
  it.each([
    ['yes', true],
    ['on', true],
    ['Y', true],
    ['off', false],
    ['No', false],
    ['true', true],
    ['0644', 420],
    ['0o17', 15],
    ['0x1F', 31],
    ['1_000', 1000],
    ['_1', '_1'],
    ['_1_000', '_1_000'],
    ['09', 9],
    ['1e3', 1000],
    ['.5', 0.5],
    ['~', null],
    ['2026-01-01', '2026-01-01'],
    ['"yes"', 'yes'],
    ["'0644'", '0644'],
    ['!!binary aGVs bG8=', 'aGVsbG8='],
    ['plain text', 'plain text'],
  ])('%s → %j', (scalar, expected) => {
    expect(parseYamlStream(`v: ${scalar}\n`, 'f.yaml')[0]!.value).toEqual({ v: expected });
  });

  it('every boolean spelling of go-yaml is a boolean, and near misses stay strings', () => {
    const spellings = {
      true: ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'],
      false: ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'],
    };
    for (const [value, words] of Object.entries(spellings))
      for (const w of words)
        expect(parseYamlStream(`v: ${w}\n`, 'f.yaml')[0]!.value, w).toEqual({ v: value === 'true' });
    for (const w of ['yEs', 'tRue', 'oN', 'nO', 'falsey', 'offf', 'Yess', 'ok', 'fa'])
      expect(parseYamlStream(`v: ${w}\n`, 'f.yaml')[0]!.value, w).toEqual({ v: w });
  });

  it('merge keys merge, as go-yaml merges them', () => {
    expect(parseYamlStream('a: &x {p: 1}\nb:\n  <<: *x\n  q: 2\n', 'f.yaml')[0]!.value).toEqual({
      a: { p: 1 },
      b: { p: 1, q: 2 },
    });
  });
});

describe('documents are kept as compact copies of what js-yaml reads', () => {
  it('the copy equals js-yaml’s value, for any JSON-like document', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (value) => {
        const text = yaml.dump(value);
        const expected = yaml.load(text, { schema: KUBECTL_SCHEMA });
        expect(parseYamlStream(text, 'f.yaml')[0]?.value ?? null).toStrictEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('numbers JSON cannot write stay what YAML said', () => {
    const value = parseYamlStream('a: .nan\nb: .inf\nc: -.Inf\nd: -0\ne: [1, -0.0]\n', 'f.yaml')[0]!
      .value as {
      a: number;
      b: number;
      c: number;
      d: number;
      e: number[];
    };
    expect(value.a).toBeNaN();
    expect(value.b).toBe(Infinity);
    expect(value.c).toBe(-Infinity);
    expect(Object.is(value.d, -0)).toBe(true);
    expect(Object.is(value.e[1], -0)).toBe(true);
  });

  it('an alias is a copy, as in the JSON kubectl converts YAML to: changing one leaves the other', () => {
    const value = parseYamlStream('a: &x {p: 1}\nb: *x\n', 'f.yaml')[0]!.value as Record<
      string,
      { p: number }
    >;
    expect(value).toEqual({ a: { p: 1 }, b: { p: 1 } });
    value.a!.p = 2;
    expect(value.b!.p).toBe(1);
  });
});

describe('where a document sits in the text', () => {
  const piece = fc.constantFrom(
    'a: 1\n',
    'b:\n  - x\n',
    '# comment\n',
    '\n',
    '---\n',
    '--- {c: 2}\n',
    '--- # note\n',
    '...\n',
    'd: 3\r\n',
    'e: [1,\n',
  );

  it('its offsets are where its first line and the line after it begin', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.boolean(), (pieces, trailingNewline) => {
        let text = pieces.join('');
        if (!trailingNewline) text = text.replace(/\n$/, '');
        const starts = [0];
        for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
        for (const d of readYamlStream(text, 'f.yaml').docs) {
          expect(d.startOffset).toBe(starts[d.startLine - 1] ?? text.length);
          expect(d.endOffset).toBe(starts[d.endLine - 1] ?? text.length);
        }
      }),
      { numRuns: 500 },
    );
  });
});
