import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { CommandIO } from '../cli/io.ts';
import { oneOf, parseFlags } from '../cli/flags.ts';
import { writeFileAtomic } from '../cli/write-file-atomic.ts';
import { ALL_RULES } from '../check/rules/index.ts';
import { createSchemaRegistry, SCHEMA_CACHE_DIR } from '../check/schema/registry.ts';
import { repositoryLevels } from '../check/validate.ts';
import { validateEnvironments } from '../check/validate-environments.ts';
import { UsageError } from '../errors.ts';
import { formatPromotionMessage, type PromotionNotice } from '../notify/format-promotion.ts';
import { describeOutcome, renderDryRun, sendSlack } from '../notify/send-slack.ts';
import { promotionCommitMessage } from '../release/commit-message.ts';
import { checkOnDefaultBranch } from '../release/deployed-gate.ts';
import { gitIn } from '../release/git.ts';
import { checkSourceLive } from '../release/live-gate.ts';
import { readPins, type Pin } from '../release/pins.ts';
import { pinLabel, planPromotion, unmatchedOnly, type PinChange } from '../release/plan.ts';
import { diffRenders, formatResourceChange, type ResourceChange } from '../release/render-diff.ts';
import { scratchCopy } from '../release/scratch-copy.ts';
import { replaceScalar } from '../release/yaml-scalar-edit.ts';
import { appsWithChartsNotRendered, chartsNotRenderedNotice } from '../repo/helm-not-rendered.ts';
import { openRepository } from '../repo/repository.ts';
import { environmentNamed } from '../repo/settings.ts';
import type { EnvironmentRender } from '../repo/walk.ts';
import { systemClock, type Clock } from '../time/clock.ts';

export const PROMOTE_USAGE = `Usage: zx scripts/promote.mjs --from ENV[@REV] [--to ENV] [options]

Moves release pins (image tags/digests in overlay kustomization \`images:\`, chart versions in
apps/overlays/<env>/release-pins.yaml) from one environment to the next, gated, in one commit.

  --from ENV        source environment; ENV@REV with --to ENV (or no --to) rolls ENV back to its
                    pins at REV, committed as rollback(ENV) on a branch rollback/ENV-<sha>
  --to ENV          target environment (default: the next one in clusters/settings.yaml)
  --only NAME[,…]   only pins feeding these Applications, or named by image or pin key; a name
                    that matches nothing is an error
  --dry-run         print the plan (every changed field old → new) and write nothing
  --yes             confirm a promotion into the last environment without a prompt
  --branch NAME     commit on a new branch NAME (default for the last environment:
                    promote/<from>-to-<to>-<shortsha>)
  --push            push the commit (the branch, or the current branch for earlier environments)
  --skip-live-check REASON   promote without checking that the source environment is Synced and
                    Healthy (the reason is recorded in the commit and the Slack message)
  --hotfix REASON   allow skipping an environment (recorded in the commit)
  --snapshot FILE   Applications (kubectl get applications -o yaml) standing in for the source cluster
  --kubeconfig F, --context C   cluster access for the live check
  --format F        text (default) or json
  --output FILE     write the result to FILE (stdout then stays empty; progress goes to stderr)
  --notify          post the result to Slack (SLACK_WEBHOOK_URL); with --dry-run, print the
                    message to stderr
  --help

Exit: 0 promoted or nothing to promote, 1 a gate stopped the promotion, 2 could not run.`;

export interface PromotionResult {
  status: 'promoted' | 'nothing-to-promote' | 'dry-run' | 'stopped';
  from: string;
  to: string;
  rollback: boolean;
  changes: PinChange[];
  notInTarget: string[];
  resources: ResourceChange[];
  gate?: { name: string; message: string; details?: string[] };
  liveCheck?: string;
  commit?: string;
  branch?: string;
  pushed?: boolean;
}

/** What tests inject: time for the live check's requests and the promotion id. */
export interface PromoteDeps {
  clock?: Clock;
}

export async function main(args: string[], io: CommandIO, deps: PromoteDeps = {}): Promise<number> {
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
      'skip-live-check': { type: 'string' },
      hotfix: { type: 'string' },
      snapshot: { type: 'string' },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
      format: { type: 'string' },
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
  const skipReason = values['skip-live-check'];
  if (skipReason !== undefined && skipReason.trim() === '')
    throw new UsageError(
      '--skip-live-check needs a reason',
      'e.g. --skip-live-check "dev cluster rebuilt, checked by hand"',
    );
  if (values.output === 'json' || values.output === 'text')
    throw new UsageError(
      `--output takes a file name; for ${values.output} output use --format ${values.output}`,
    );
  const format = oneOf('format', values.format, ['text', 'json'] as const, 'text');
  const clock = deps.clock ?? systemClock;
  // stdout carries only the report: with --format json or --output, the text lines are progress on stderr.
  const reportLines: string[] = [];
  const say = (s: string) => {
    if (format === 'text' && !values.output) io.stdout(`${s}\n`);
    else io.stderr(`${s}\n`);
    reportLines.push(s);
  };

  const repo = await openRepository(io.cwd, { env: io.env });
  try {
    const git = gitIn(repo.root, io.env);
    const envNames = repo.settings.environments.map((e) => e.name);
    const [fromEnv, fromRev] = values.from.split('@') as [string, string | undefined];
    environmentNamed(repo.settings, fromEnv);
    const rollback = fromRev !== undefined;
    const to = values.to ?? (rollback ? fromEnv : envNames[envNames.indexOf(fromEnv) + 1]);
    if (!to) throw new UsageError(`${fromEnv} is the last environment: there is nothing to promote into`);
    environmentNamed(repo.settings, to);
    if (rollback && to !== fromEnv)
      throw new UsageError(
        `a rollback (--from ${values.from}) restores ${fromEnv}'s own pins: --to must be ${fromEnv}`,
      );
    if (!rollback && to === fromEnv)
      throw new UsageError(
        `--from and --to name the same environment (${to})`,
        `to roll ${to} back to its pins at a revision: --from ${to}@REV`,
      );
    const result: PromotionResult = {
      status: 'stopped',
      from: values.from,
      to,
      rollback,
      changes: [],
      notInTarget: [],
      resources: [],
    };
    const renders: EnvironmentRender[] = [];
    const finish = (code: number) => {
      const report =
        format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : `${reportLines.join('\n')}\n`;
      if (values.output) writeFileAtomic(path.resolve(io.cwd, values.output), report);
      else if (format === 'json') io.stdout(report);
      const notice = chartsNotRenderedNotice(
        appsWithChartsNotRendered(renders),
        'the plan and the validation gate did not see inside them',
      );
      if (notice) io.stderr(notice);
      return code;
    };
    const stop = (name: string, message: string, details?: string[]) => {
      result.gate = { name, message, ...(details ? { details } : {}) };
      io.stderr(`promotion stopped (${name}): ${message}\n`);
      for (const d of details ?? []) io.stderr(`  - ${d}\n`);
      return finish(1);
    };

    // Gate: direction. Forward by one environment; skipping needs a hotfix reason.
    const fromIdx = envNames.indexOf(fromEnv);
    const toIdx = envNames.indexOf(to);
    if (!rollback && toIdx < fromIdx)
      return stop('order', `${fromEnv} → ${to} goes backwards; promotions move ${envNames.join(' → ')}`, [
        `to restore ${to}'s earlier pins: --from ${to}@REV`,
      ]);
    if (!rollback && toIdx > fromIdx + 1 && !values.hotfix)
      return stop('order', `${fromEnv} → ${to} skips ${envNames.slice(fromIdx + 1, toIdx).join(', ')}`, [
        'pass --hotfix "reason" to skip an environment deliberately',
      ]);

    // Gate: the commit must hold the pins and nothing else; untracked files are not committed, so they do not matter.
    if (!values['dry-run']) {
      const dirty = await git.changedTrackedFiles();
      if (dirty.length)
        return stop('clean-tree', `tracked files have uncommitted changes: ${dirty.join(', ')}`, [
          'commit or stash them, then promote again',
        ]);
    }

    renders.push(await repo.render(to));
    const targetPins = await readPins(repo, to);
    let sourcePins: Pin[];
    let sourceSha: string;
    if (rollback) {
      sourceSha = await git.resolve(fromRev!).catch(() => {
        throw new UsageError(`--from ${values.from}: "${fromRev}" is not a commit of this repository`);
      });
      sourcePins = [];
      // A kustomization holds many pins: each file is read from git and parsed once.
      const docs = new Map<string, Promise<unknown>>();
      for (const p of targetPins) {
        let doc = docs.get(p.file);
        if (!doc) {
          doc = git
            .showFile(sourceSha, p.file)
            .then((t) => (t === undefined ? undefined : parseDocument(t).toJS()));
          docs.set(p.file, doc);
        }
        const value = valueAt(await doc, p.path);
        if (value !== undefined) sourcePins.push({ ...p, value });
      }
    } else {
      renders.push(await repo.render(fromEnv));
      sourcePins = await readPins(repo, fromEnv);
      sourceSha = await git.head();
    }
    const only = values.only
      ? values.only
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [];
    const unknown = unmatchedOnly(only, sourcePins, targetPins);
    if (unknown.length)
      throw new UsageError(
        `--only ${unknown.join(', ')}: no Application, image or pin key of ${fromEnv}${fromEnv === to ? '' : ` or ${to}`} is called that`,
        `pins here: ${[...new Set([...sourcePins, ...targetPins].map(pinLabel))].sort().join(', ') || 'none'}`,
      );
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

    const last = to === envNames.at(-1);
    // Gate: nothing reaches the last environment that the environments before it never ran.
    if (last && !values['dry-run']) {
      const deployed = await checkOnDefaultBranch(git, sourceSha);
      if (!deployed.ok)
        return stop('not-deployed', deployed.message, [
          rollback
            ? 'roll back to a revision of the default branch'
            : 'merge it to the default branch, let it deploy, then promote',
        ]);
    }

    // Gate: the source runs these pins, Synced and Healthy. A check that cannot be made stops the promotion.
    // Both run before the promoted state is rendered: a promotion they stop costs no render.
    let liveCheck = 'not run in a dry run';
    if (rollback) liveCheck = `not applicable — rollback to ${to}'s pins at ${sourceSha.slice(0, 12)}`;
    else if (skipReason !== undefined) liveCheck = `skipped — ${skipReason.trim()}`;
    else if (!values['dry-run']) {
      const pinCommit = await git.lastCommitTouching([...new Set(sourcePins.map((p) => p.file))]);
      const live = await checkSourceLive({
        env: environmentNamed(repo.settings, fromEnv),
        expected: renders[1]!.applications.map((a) => a.name),
        pinCommit,
        git,
        clock,
        processEnv: io.env,
        ...(values.snapshot ? { snapshot: path.resolve(io.cwd, values.snapshot) } : {}),
        ...(values.kubeconfig ? { kubeconfig: values.kubeconfig } : {}),
        ...(values.context ? { context: values.context } : {}),
      });
      if (live.status === 'unavailable')
        return stop('live-check', `cannot check that ${fromEnv} runs these pins: ${live.detail}`, [
          `fix cluster access (--kubeconfig, --context, the kubeContext of ${fromEnv} in clusters/settings.yaml) or use --snapshot FILE`,
          'or promote without the check: --skip-live-check "reason" (recorded in the commit)',
        ]);
      if (live.status === 'failed')
        return stop('live-check', live.detail, [...live.problems, 'wait for the sync, then promote again']);
      liveCheck = live.detail;
      say(`Live check: ${live.detail}`);
    }
    result.liveCheck = liveCheck;

    // The promoted state, in a scratch copy: plan diff and validation before the work tree is touched.
    const edits = new Map<string, string>();
    for (const c of plan.changes) {
      const current = edits.get(c.file) ?? readFileSync(path.join(repo.root, c.file), 'utf8');
      edits.set(c.file, replaceScalar(current, c.path, c.to));
    }
    const scratch = scratchCopy(repo.root, edits);
    const scratchRepo = await openRepository(scratch.dir, { env: io.env });
    try {
      result.resources = diffRenders(renders[0]!.resources, (await scratchRepo.render(to)).resources);
      say(
        rollback
          ? `Rollback plan for ${to} (pins at ${sourceSha.slice(0, 12)}):`
          : `Promotion plan ${values.from} → ${to}:`,
      );
      for (const c of plan.changes)
        say(
          `  ${pinLabel(c)}: ${c.from} → ${c.to}  (${c.key} in ${c.file}${c.apps.length ? `; ${c.apps.join(', ')}` : ''})`,
        );
      for (const k of plan.notInTarget)
        say(`  skipped: ${k} has no pin in ${to} (promotions never add pins)`);
      say(`Rendered resources of ${to} that change: ${result.resources.length}`);
      for (const r of result.resources) for (const line of formatResourceChange(r)) say(line);

      if (values['dry-run']) {
        result.status = 'dry-run';
        if (values.notify)
          io.stderr(
            renderDryRun(
              formatPromotionMessage(
                notice(result, '(dry run)', await git.author(), liveCheck, values.hotfix),
              ),
            ),
          );
        say('Dry run: nothing written.');
        return finish(0);
      }

      // Gate: the target environment validates in its promoted state (the scratch render, checked as validate
      // does, at the rule levels of clusters/validate.yaml: an unpinned image is an error there, a warning by default).
      const validation = await validateEnvironments(
        scratchRepo,
        [to],
        createSchemaRegistry({ cacheDir: SCHEMA_CACHE_DIR }),
        ALL_RULES,
        repositoryLevels(scratchRepo, ALL_RULES),
      );
      const errors = validation.findings.filter((f) => f.severity === 'error');
      if (errors.length)
        return stop(
          'validation',
          `${to} does not validate with these pins; nothing was written`,
          errors.slice(0, 20).map((f) => `${f.file}:${f.line} ${f.rule} ${f.message}`),
        );
    } finally {
      scratchRepo.dispose();
      scratch.dispose();
    }

    // Gate: the last environment needs an explicit yes.
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
    const branch =
      values.branch ??
      (rollback
        ? `rollback/${to}-${shortSha}`
        : last
          ? `promote/${fromEnv}-to-${to}-${shortSha}`
          : undefined);
    if (branch) await git.checkoutNewBranch(branch);
    const author = await git.author();
    const message = promotionCommitMessage(
      fromEnv,
      to,
      plan.changes,
      {
        promotedFrom: `${fromEnv}@${sourceSha}`,
        promotionId: `${new Date(clock.now()).toISOString().replace(/[-:]/g, '').slice(0, 15)}-${randomUUID().slice(0, 8)}`,
        promotedBy: author,
        ...(values.hotfix ? { hotfixReason: values.hotfix } : {}),
        liveCheck,
      },
      rollback,
    );
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
            author,
            liveCheck,
            values.hotfix,
            githubDiffUrl(await git.remoteUrl(), result.commit),
          ),
        ),
        { env: io.env, clock },
      );
      io.stderr(`${describeOutcome(outcome)}\n`);
    }
    return finish(0);
  } finally {
    repo.dispose();
  }
}

/** The Slack notice for a promotion result. */
function notice(
  r: PromotionResult,
  commit: string,
  author: string,
  liveCheck: string,
  hotfix?: string,
  diffUrl?: string,
): PromotionNotice {
  return {
    from: r.from,
    to: r.to,
    rollback: r.rollback,
    pins: r.changes.map((c) => ({ label: pinLabel(c), key: c.key, apps: c.apps, from: c.from, to: c.to })),
    commit,
    branch: r.branch ?? '',
    author,
    liveCheck,
    ...(diffUrl ? { diffUrl } : {}),
    ...(hotfix ? { hotfix } : {}),
  };
}

function githubDiffUrl(remote: string | undefined, commit: string): string | undefined {
  const m = remote && /github\.com[:/]([^/]+)\/(.+?)(\.git)?$/.exec(remote);
  return m ? `https://github.com/${m[1]}/${m[2]}/commit/${commit}` : undefined;
}

function valueAt(doc: unknown, p: (string | number)[]): string | undefined {
  let node = doc;
  for (const seg of p)
    node = node && typeof node === 'object' ? (node as Record<string | number, unknown>)[seg] : undefined;
  return node === undefined || node === null ? undefined : String(node);
}
