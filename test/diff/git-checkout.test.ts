import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitReader } from '../../scripts/lib/diff/git-checkout.ts';
import { resolveRevision } from '../../scripts/lib/diff/revision.ts';
import { git, initRepo } from '../helpers/git-fixture.ts';

/**
 * Moves the inode change times the index recorded `seconds` back (index format 2: a 12-byte
 * header, then entries of 62 bytes plus the path, NUL-padded to a multiple of 8, ctime first; a
 * SHA-1 of the rest closes the file).
 */
function backdateIndexCtimes(indexFile: string, seconds: number): void {
  const index = readFileSync(indexFile);
  expect(index.toString('latin1', 0, 4)).toBe('DIRC');
  expect(index.readUInt32BE(4)).toBe(2);
  let at = 12;
  for (let i = 0; i < index.readUInt32BE(8); i++) {
    index.writeUInt32BE(index.readUInt32BE(at) - seconds, at);
    const nameLength = index.readUInt16BE(at + 60) & 0xfff;
    at += Math.ceil((62 + nameLength + 1) / 8) * 8;
  }
  createHash('sha1')
    .update(index.subarray(0, index.length - 20))
    .digest()
    .copy(index, index.length - 20);
  writeFileSync(indexFile, index);
}

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

  describe('files the work tree holds unchanged are linked, by content', () => {
    let repo: string;
    let head: string;
    const files = ['a.yaml', 'b.yaml', 'c.yaml'];
    const past = new Date('2026-01-01T00:00:00Z');
    beforeAll(() => {
      repo = mkdtempSync(path.join(tmpdir(), 'git-links-'));
      for (const f of files) writeFileSync(path.join(repo, f), `${f}: 1\n`);
      head = initRepo(repo);
      // Written well before the index, so no file is "racy" against it.
      for (const f of files) utimesSync(path.join(repo, f), past, past);
      git(repo, 'update-index', '--refresh');
    });
    afterAll(() => rmSync(repo, { recursive: true, force: true }));

    async function checkout(): Promise<{ linked: string[]; text: Record<string, string> }> {
      const out = await gitReader(repo).checkout(head, '');
      try {
        const same = (f: string) => statSync(path.join(out.dir, f)).ino === statSync(path.join(repo, f)).ino;
        const text = Object.fromEntries(files.map((f) => [f, readFileSync(path.join(out.dir, f), 'utf8')]));
        return { linked: files.filter(same), text };
      } finally {
        out.dispose();
      }
    }

    it('run after run: the links of an earlier checkout change the inodes, not the content', async () => {
      // As if the index had been written a minute before the files' last inode change, which is
      // what the hard links of an earlier checkout are to git (they change the inode's ctime).
      backdateIndexCtimes(path.join(repo, '.git', 'index'), 60);
      for (const run of [1, 2]) expect({ run, ...(await checkout()) }).toMatchObject({ run, linked: files });
    });

    it('not a file rewritten with its old size and time: that one comes from the commit', async () => {
      writeFileSync(path.join(repo, 'b.yaml'), 'b.yaml: 2\n');
      utimesSync(path.join(repo, 'b.yaml'), past, past);
      try {
        const { linked, text } = await checkout();
        expect(linked).toEqual(['a.yaml', 'c.yaml']);
        expect(text['b.yaml']).toBe('b.yaml: 1\n');
      } finally {
        writeFileSync(path.join(repo, 'b.yaml'), 'b.yaml: 1\n');
      }
    });
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
