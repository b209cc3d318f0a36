import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scratchCopy } from '../../scripts/lib/release/scratch-copy.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('scratchCopy', () => {
  it('copies the tree without .git and node_modules; an edit never reaches the original file', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'scratch-src-'));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    mkdirSync(path.join(root, 'apps/dev'), { recursive: true });
    mkdirSync(path.join(root, '.git'));
    mkdirSync(path.join(root, 'node_modules'));
    writeFileSync(path.join(root, 'apps/dev/pins.yaml'), 'web: 1.0.0\n');
    writeFileSync(path.join(root, 'apps/dev/other.yaml'), 'a: 1\n');
    symlinkSync('other.yaml', path.join(root, 'apps/dev/alias.yaml'));
    const copy = scratchCopy(root, new Map([['apps/dev/pins.yaml', 'web: 2.0.0\n']]));
    cleanups.push(copy.dispose);
    expect(readFileSync(path.join(copy.dir, 'apps/dev/pins.yaml'), 'utf8')).toBe('web: 2.0.0\n');
    expect(readFileSync(path.join(root, 'apps/dev/pins.yaml'), 'utf8')).toBe('web: 1.0.0\n');
    expect(readFileSync(path.join(copy.dir, 'apps/dev/other.yaml'), 'utf8')).toBe('a: 1\n');
    expect(readlinkSync(path.join(copy.dir, 'apps/dev/alias.yaml'))).toBe('other.yaml');
    expect(() => readFileSync(path.join(copy.dir, '.git'))).toThrow();
    expect(() => readFileSync(path.join(copy.dir, 'node_modules'))).toThrow();
  });
});
