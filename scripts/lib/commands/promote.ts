import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../cli/write-file-atomic.ts';
import path from 'node:path';
import type { CommandIO } from '../cli/io.ts';
import { oneOf, parseFlags } from '../cli/flags.ts';
import { UsageError } from '../errors.ts';
import { formatPromotionMessage } from '../notify/format-promotion.ts';
import { describeOutcome, renderDryRun, sendSlack } from '../notify/send-slack.ts';
import { promotionCommitMessage } from '../release/commit-message.ts';
import { gitIn } from '../release/git.ts';
import { checkSourceLive, type LiveGate } from '../release/live-gate.ts';
import { readPins, type Pin } from '../release/pins.ts';
import { planPromotion, summarizeChanges, type PinChange } from '../release/plan.ts';
import { diffRenders, type ResourceChange } from '../release/render-diff.ts';
import { scratchCopy } from '../release/scratch-copy.ts';
import { replaceScalar } from '../release/yaml-scalar-edit.ts';
import { openRepository } from '../repo/repository.ts';
import { environmentNamed } from '../repo/settings.ts';
import { validate } from './validate.ts';
import { parseDocument } from 'yaml';

export const PROMOTE_USAGE = `Usage: zx scripts/promote.mjs --from ENV[@REV] [--to ENV] [options]

Moves release pins (image tags/digests in overlay kustomization \`images:\`, chart versions in
apps/overlays/<env>/release-pins.yaml) from one environment to the next, gated, in one commit.

  --from ENV        source environment; ENV@REV with --to ENV rolls ENV back to its pins at REV
  --to ENV          target environment (default: the next one in clusters/settings.yaml)
  --only APP[,APP]  only pins feeding these Applications (or named by image / release-pins key)
  --dry-run         print the plan and write nothing
  --yes             confirm a promotion into the last environment without a prompt
  --branch NAME     commit on a new branch NAME (default for the last environment:
                    promote/<from>-to-<to>-<shortsha>)
  --push            push the commit (the branch, or the current branch for earlier environments)
  --skip-live-check do not require the source environment Synced and Healthy (recorded in the commit)
  --hotfix REASON   allow skipping an environment (recorded in the commit)
  --snapshot FILE   Applications (kubectl get applications -o yaml) standing in for the source cluster
  --kubeconfig F, --context C   cluster access for the live check
  --output json     print the result as JSON
  --notify          post the result to Slack (SLACK_WEBHOOK_URL); with --dry-run, print the message
  --help

Exit: 0 promoted or nothing to promote, 1 a gate stopped the promotion, 2 could not run.`;

export interface PromotionResult {
  status: 'promoted' | 'nothing-to-promote' | 'dry-run' | 'stopped';
  from: string;
  to: string;
  changes: PinChange[];
  notInTarget: string[];
  resources: ResourceChange[];
  gate?: { name: string; message: string; details?: string[] };
  liveCheck?: string;
  commit?: string;
  branch?: string;
  pushed?: boolean;
}

export async function main(args: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    {
      from: { type: 'string' },
      to: { type: 'string' },
      only: { type: 'string' },
      'dry-run': { type: 'boolean' },
      yes: { type: 'boolean' },
      branch: { type: 'string' },
      push: { type: 'boolean' },
      'skip-live-check': { type: 'boolean' },
      hotfix: { type: 'string' },
      snapshot: { type: 'string' },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
      output: { type: 'string' },
      notify: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    PROMOTE_USAGE,
  );
  if (values.help) {
    io.stdout(`${PROMOTE_USAGE}\n`);
    return 0;
  }
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`, 'see --help');
  if (!values.from) throw new UsageError('--from is required', 'e.g. zx scripts/promote.mjs --from dev');
  if (values.hotfix !== undefined && values.hotfix.trim() === '')
    throw new UsageError('--hotfix needs a reason');
  const output = oneOf('output', values.output, ['text', 'json'] as const, 'text');
  const say = (s: string) => {
    if (output === 'text') io.stdout(`${s}\n`);
  };

  const repo = await openRepository(io.cwd);
  const git = gitIn(repo.root);
  const envNames = repo.settings.environments.map((e) => e.name);
  const [fromEnv, fromRev] = values.from.split('@') as [string, string | undefined];
  environmentNamed(repo.settings, fromEnv);
  const rollback = fromRev !== undefined;
  const to = values.to ?? (rollback ? fromEnv : envNames[envNames.indexOf(fromEnv) + 1]);
  if (!to) throw new UsageError(`${fromEnv} is the last environment: there is nothing to promote into`);
  environmentNamed(repo.settings, to);
  const result: PromotionResult = {
    status: 'stopped',
    from: values.from,
    to,
    changes: [],
    notInTarget: [],
    resources: [],
  };
  const finish = (code: number) => {
    if (output === 'json') io.stdout(`${JSON.stringify(result, null, 2)}\n`);
    repo.dispose();
    return code;
  };
  const stop = (name: string, message: string, details?: string[]) => {
    result.gate = { name, message, ...(details ? { details } : {}) };
    if (output === 'text') {
      io.stderr(`promotion stopped (${name}): ${message}\n`);
      for (const d of details ?? []) io.stderr(`  - ${d}\n`);
    }
    return finish(1);
  };

  // Gate: direction. Forward by one environment; skipping needs a hotfix reason; rollback stays in place.
  const fromIdx = envNames.indexOf(fromEnv);
  const toIdx = envNames.indexOf(to);
  if (rollback && to !== fromEnv)
    return stop('order', `a rollback (--from ${values.from}) must target ${fromEnv} itself`);
  if (!rollback && toIdx <= fromIdx)
    return stop('order', `${fromEnv} → ${to} goes backwards; promotions move ${envNames.join(' → ')}`);
  if (!rollback && toIdx > fromIdx + 1 && !values.hotfix)
    return stop('order', `${fromEnv} → ${to} skips ${envNames.slice(fromIdx + 1, toIdx).join(', ')}`, [
      'pass --hotfix "reason" to skip an environment deliberately',
    ]);

  // Gate: clean work tree (the commit must hold the pins and nothing else).
  if (!values['dry-run'] && !(await git.isClean()))
    return stop('clean-tree', 'the work tree has uncommitted changes', [
      'commit or stash them, then promote again',
    ]);

  const targetPins = await readPins(repo, to);
  let sourcePins: Pin[];
  let sourceSha: string;
  if (rollback) {
    sourceSha = await git.resolve(fromRev!).catch(() => {
      throw new UsageError(`--from ${values.from}: "${fromRev}" is not a commit of this repository`);
    });
    sourcePins = [];
    for (const p of targetPins) {
      const old = await git.showFile(sourceSha, p.file);
      const value = old === undefined ? undefined : valueAt(old, p.path);
      if (value !== undefined) sourcePins.push({ ...p, value });
    }
  } else {
    sourcePins = await readPins(repo, fromEnv);
    sourceSha = await git.head();
  }
  const only = values.only
    ? values.only
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
  const plan = planPromotion(sourcePins, targetPins, only);
  result.changes = plan.changes;
  result.notInTarget = plan.notInTarget;
  if (plan.changes.length === 0) {
    result.status = 'nothing-to-promote';
    say(
      `Nothing to promote: ${to} already runs the pins of ${values.from}${only.length ? ` for ${only.join(', ')}` : ''}.`,
    );
    return finish(0);
  }

  // The promoted state, in a scratch copy: plan diff and validation before the work tree is touched.
  const edits = new Map<string, string>();
  for (const c of plan.changes) {
    const current = edits.get(c.file) ?? readFileSync(path.join(repo.root, c.file), 'utf8');
    edits.set(c.file, replaceScalar(current, c.path, c.to));
  }
  const scratch = scratchCopy(repo.root, edits);
  try {
    const before = (await repo.render(to)).resources;
    const scratchRepo = await openRepository(scratch.dir, { cacheDir: null });
    try {
      result.resources = diffRenders(before, (await scratchRepo.render(to)).resources);
    } finally {
      scratchRepo.dispose();
    }
    say(`Promotion plan ${values.from} → ${to}:`);
    for (const c of plan.changes)
      say(`  ${c.apps.join(', ') || c.name}: ${c.key} ${c.from} → ${c.to}  (${c.file})`);
    for (const k of plan.notInTarget) say(`  skipped: ${k} has no pin in ${to} (promotions never add pins)`);
    say(`Rendered resources of ${to} that change: ${result.resources.length}`);
    for (const r of result.resources)
      say(`  ${r.change} ${r.id}${r.fields ? ` (${r.fields} field${r.fields === 1 ? '' : 's'})` : ''}`);

    if (values['dry-run']) {
      result.status = 'dry-run';
      if (values.notify)
        io.stdout(
          renderDryRun(
            formatPromotionMessage(notice(result, '(dry run)', await git.author(), values.hotfix)),
          ),
        );
      say('Dry run: nothing written.');
      return finish(0);
    }

    // Gate: the target environment validates in its promoted state.
    const validation = await validate({ cwd: scratch.dir, envs: [to] });
    const errors = validation.findings.filter((f) => f.severity === 'error');
    if (errors.length)
      return stop(
        'validation',
        `${to} does not validate with these pins; nothing was written`,
        errors.slice(0, 20).map((f) => `${f.file}:${f.line} ${f.rule} ${f.message}`),
      );
  } finally {
    scratch.dispose();
  }

  // Gate: the source runs these pins, Synced and Healthy.
  if (values['skip-live-check']) result.liveCheck = 'skipped by --skip-live-check';
  else if (!rollback) {
    const pinCommit = await git.lastCommitTouching([...new Set(sourcePins.map((p) => p.file))]);
    const live: LiveGate = await checkSourceLive({
      env: environmentNamed(repo.settings, fromEnv),
      pinCommit,
      git,
      ...(values.snapshot ? { snapshot: path.resolve(io.cwd, values.snapshot) } : {}),
      ...(values.kubeconfig ? { kubeconfig: values.kubeconfig } : {}),
      ...(values.context ? { context: values.context } : {}),
    });
    if (live.status === 'failed')
      return stop('live-check', live.detail, [
        ...live.problems,
        'wait for the sync, or pass --skip-live-check',
      ]);
    result.liveCheck = live.detail;
    say(`Live check: ${live.detail}`);
  }

  // Gate: the last environment needs an explicit yes.
  const last = to === envNames.at(-1);
  if (last && !values.yes) {
    if (!io.interactive || !io.prompt)
      return stop('confirm', `promoting into ${to} needs --yes (no terminal to ask on)`);
    const answer = (
      await io.prompt(`Promote ${plan.changes.length} pin(s) into ${to}? Type "${to}" to confirm: `)
    ).trim();
    if (answer !== to) return stop('confirm', 'not confirmed');
  }

  for (const [file, text] of edits) writeFileAtomic(path.join(repo.root, file), text);
  const shortSha = sourceSha.slice(0, 7);
  const branch = values.branch ?? (last ? `promote/${fromEnv}-to-${to}-${shortSha}` : undefined);
  if (branch) await git.checkoutNewBranch(branch);
  const message = promotionCommitMessage(fromEnv, to, plan.changes, {
    promotedFrom: `${fromEnv}@${sourceSha}`,
    promotionId: `${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}-${randomUUID().slice(0, 8)}`,
    promotedBy: await git.author(),
    ...(values.hotfix ? { hotfixReason: values.hotfix } : {}),
    ...(result.liveCheck ? { liveCheck: result.liveCheck } : {}),
  });
  result.commit = await git.commit([...edits.keys()], message);
  result.branch = branch ?? (await git.currentBranch());
  result.status = 'promoted';
  say(`Committed ${result.commit.slice(0, 12)} on ${result.branch}: ${message.split('\n')[0]}`);
  if (values.push) {
    const attempts = await git.push(result.branch);
    result.pushed = true;
    say(`Pushed ${result.branch}${attempts > 1 ? ` after rebasing ${attempts - 1} time(s)` : ''}.`);
  }
  if (values.notify) {
    const outcome = await sendSlack(
      formatPromotionMessage(
        notice(
          result,
          result.commit,
          await git.author(),
          values.hotfix,
          githubDiffUrl(await git.remoteUrl(), result.commit),
        ),
      ),
      { env: io.env },
    );
    io.stderr(`${describeOutcome(outcome)}\n`);
  }
  return finish(0);
}

/** The Slack notice for a promotion result. */
function notice(r: PromotionResult, commit: string, author: string, hotfix?: string, diffUrl?: string) {
  return {
    from: r.from,
    to: r.to,
    pins: r.changes.map((c) => ({ app: c.apps.join(', ') || c.name, key: c.key, from: c.from, to: c.to })),
    commit,
    branch: r.branch ?? '',
    author,
    ...(diffUrl ? { diffUrl } : {}),
    ...(hotfix ? { hotfix } : {}),
  };
}

function githubDiffUrl(remote: string | undefined, commit: string): string | undefined {
  const m = remote && /github\.com[:/]([^/]+)\/(.+?)(\.git)?$/.exec(remote);
  return m ? `https://github.com/${m[1]}/${m[2]}/commit/${commit}` : undefined;
}

function valueAt(text: string, p: (string | number)[]): string | undefined {
  let node: unknown = parseDocument(text).toJS();
  for (const seg of p)
    node = node && typeof node === 'object' ? (node as Record<string | number, unknown>)[seg] : undefined;
  return node === undefined || node === null ? undefined : String(node);
}
