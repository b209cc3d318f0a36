import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitReader } from '../../scripts/lib/diff/git-checkout.ts';
import { resolveRevision } from '../../scripts/lib/diff/revision.ts';
import { initRepo } from '../helpers/git-fixture.ts';

let top: string;
let commit: string;
beforeAll(() => {
  top = mkdtempSync(path.join(tmpdir(), 'git-checkout-'));
  mkdirSync(path.join(top, 'gitops/clusters'), { recursive: true });
  writeFileSync(path.join(top, 'README.md'), 'other things\n');
  writeFileSync(path.join(top, 'gitops/clusters/settings.yaml'), 'repoURL: x\n');
  commit = initRepo(top);
  writeFileSync(path.join(top, 'gitops/clusters/settings.yaml'), 'repoURL: changed\n');
});
afterAll(() => rmSync(top, { recursive: true, force: true }));

describe('gitReader', () => {
  it("copies a commit's files of the repository folder, also when it is a sub-folder of the git repository", async () => {
    const reader = gitReader(path.join(top, 'gitops'));
    const prefix = await reader.prefix();
    expect(prefix).toBe('gitops/');
    const checkout = await reader.checkout(commit, prefix);
    try {
      expect(readdirSync(checkout.dir)).toEqual(['clusters']);
      expect(readFileSync(path.join(checkout.dir, 'clusters/settings.yaml'), 'utf8')).toBe('repoURL: x\n');
    } finally {
      checkout.dispose();
    }
    expect(() => readdirSync(checkout.dir)).toThrow();
  });

  it('resolves revisions and the default branch; labels say what was asked for', async () => {
    const reader = gitReader(top);
    expect(await reader.defaultBranch()).toBe('main');
    expect(await resolveRevision(reader, 'main')).toEqual({
      ref: 'main',
      commit,
      label: `${commit.slice(0, 7)} (main)`,
    });
    expect((await resolveRevision(reader, commit.slice(0, 10))).label).toBe(commit.slice(0, 7));
    await expect(reader.commit('nope')).rejects.toThrow('unknown revision "nope"');
    await expect(reader.commit('--output=/tmp/x')).rejects.toThrow('unknown revision "--output=/tmp/x"');
  });
});
