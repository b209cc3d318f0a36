import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonBound } from '../../../scripts/lib/check/rules/api-limits.ts';

describe('the size bound the API limit rules check first', () => {
  it('is never less than the object’s size as UTF-8 JSON', () => {
    const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }));
    const value = fc.letrec((tie) => ({
      leaf: fc.oneof(text, fc.double(), fc.integer(), fc.boolean(), fc.constant(null)),
      node: fc.oneof(
        { depthSize: 'small' },
        tie('leaf'),
        fc.array(tie('node'), { maxLength: 5 }),
        fc.dictionary(text, tie('node'), { maxKeys: 5 }),
      ),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        expect(jsonBound(v)).toBeGreaterThanOrEqual(Buffer.byteLength(JSON.stringify(v), 'utf8'));
      }),
      { numRuns: 2000 },
    );
  });

  it('holds for the longest numbers and for characters JSON escapes', () => {
    for (const v of [
      -0.0000012345678901234567,
      -1.7976931348623157e308,
      -2.2250738585072014e-308,
      -123456789012345680000,
      '\u0000\u001f"\\',
      '\ud800',
      '😀',
    ])
      expect(jsonBound(v)).toBeGreaterThanOrEqual(Buffer.byteLength(JSON.stringify(v), 'utf8'));
  });
});
