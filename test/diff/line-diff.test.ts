import { describe, expect, it } from 'vitest';
import { lineDiff } from '../../scripts/lib/diff/line-diff.ts';
import { viewField } from '../../scripts/lib/diff/field-view.ts';

const show = (a: string, b: string, context = 1) =>
  lineDiff(a === '' ? [] : a.split('\n'), b === '' ? [] : b.split('\n'), context).map((l) =>
    l.op === 'skip' ? `… ${l.count}` : `${l.op} ${l.text}`,
  );

describe('lineDiff', () => {
  it.each<[string, string, string, string[]]>([
    ['one line changed', 'a\nb\nc', 'a\nB\nc', ['= a', '- b', '+ B', '= c']],
    ['a line added', 'a\nc', 'a\nb\nc', ['= a', '+ b', '= c']],
    ['a line removed', 'a\nb\nc', 'a\nc', ['= a', '- b', '= c']],
    ['from nothing', '', 'a\nb', ['+ a', '+ b']],
    [
      'far from the change, compacted',
      '1\n2\n3\n4\n5\n6',
      '1\n2\n3\n4\n5\nsix',
      ['… 4', '= 5', '- 6', '+ six'],
    ],
    [
      'two changes apart',
      '1\n2\n3\n4\n5\n6\n7',
      'one\n2\n3\n4\n5\n6\nseven',
      ['- 1', '+ one', '= 2', '… 3', '= 6', '- 7', '+ seven'],
    ],
  ])('%s', (_name, a, b, expected) => expect(show(a, b)).toEqual(expected));
});

describe('viewField', () => {
  it.each<[string, Parameters<typeof viewField>[0], ReturnType<typeof viewField>]>([
    [
      'scalars inline',
      { path: 'spec.replicas', old: 2, new: 3 },
      { path: 'spec.replicas', kind: 'inline', old: '2', new: '3' },
    ],
    [
      'absent side',
      { path: 'spec.paused', new: true },
      { path: 'spec.paused', kind: 'inline', old: '(absent)', new: 'true' },
    ],
    ['empty string', { path: 'a', old: '', new: 'x' }, { path: 'a', kind: 'inline', old: '""', new: 'x' }],
    [
      'a note',
      { path: 'spec.encryptedData.a', note: 'sealed value changed' },
      { path: 'spec.encryptedData.a', kind: 'note', note: 'sealed value changed' },
    ],
    [
      'an order change',
      { path: 'env', old: ['A', 'B'], new: ['B', 'A'], note: 'order changed' },
      { path: 'env', kind: 'inline', old: 'A, B', new: 'B, A' },
    ],
    [
      'multi-line text as a line diff',
      { path: 'data["app.conf"]', old: 'a=1\nb=2\n', new: 'a=1\nb=3\n' },
      {
        path: 'data["app.conf"]',
        kind: 'lines',
        lines: [
          { op: '=', text: 'a=1' },
          { op: '-', text: 'b=2' },
          { op: '+', text: 'b=3' },
        ],
      },
    ],
    [
      'a large object as YAML lines',
      { path: 'spec.x', new: { a: 'a'.repeat(50), b: 'b'.repeat(50) } },
      {
        path: 'spec.x',
        kind: 'lines',
        lines: [
          { op: '+', text: `a: ${'a'.repeat(50)}` },
          { op: '+', text: `b: ${'b'.repeat(50)}` },
        ],
      },
    ],
    [
      'only a trailing newline differs',
      { path: 't', old: 'x\ny', new: 'x\ny\n' },
      { path: 't', kind: 'inline', old: '"x\\ny"', new: '"x\\ny\\n"' },
    ],
  ])('%s', (_name, change, expected) => expect(viewField(change)).toEqual(expected));
});
