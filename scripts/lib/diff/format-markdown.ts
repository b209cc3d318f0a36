import { viewField, type FieldView } from './field-view.ts';
import {
  applicationMoves,
  applicationAbout,
  applicationNote,
  chartLabel,
  countsLabel,
  environmentHeadline,
  NOT_RENDERED,
  notRenderedGroups,
} from './app-summary.ts';
import {
  applicationLabel,
  countChanges,
  resourceLabel,
  type ApplicationDiff,
  type DiffResult,
  type ResourceChange,
} from './result.ts';

/** The hidden first line the pull-request workflow finds its own comment by. */
export const COMMENT_MARKER = '<!-- gitops-diff -->';
/** GitHub refuses an issue or pull-request comment longer than this. */
export const COMMENT_LIMIT = 65_536;
/** Room kept for the line that says what was left out. */
const RESERVE = 600;
/** A long multi-line value (a dashboard, a Lua script) shows this many diff lines at most. */
const MAX_FIELD_LINES = 60;

export interface MarkdownOptions {
  limit?: number;
}

/**
 * Pure: a pull-request comment. A summary table (environment × Application: added, changed,
 * removed), then a collapsed section per environment with each field change as a diff block,
 * cut at whole resources to stay under the comment limit, with a line saying what was left out.
 */
export function formatDiffMarkdown(result: DiffResult, options: MarkdownOptions = {}): string {
  const limit = options.limit ?? COMMENT_LIMIT;
  const changed = result.environments.filter((e) => e.status !== 'unchanged');
  const unchanged = result.environments.filter((e) => e.status === 'unchanged');
  const intro: string[] = [
    COMMENT_MARKER,
    '### Rendered diff',
    '',
    `Base ${code(result.base.label)} → head ${code(result.head.label)}: ${
      changed.length
        ? `**${changed.length} of ${result.environments.length} environment${result.environments.length === 1 ? '' : 's'} change${changed.length === 1 ? 's' : ''}** (${changed.map((e) => e.env).join(', ')}).`
        : '**no rendered change** in any environment.'
    }${unchanged.length && changed.length ? ` No change in ${unchanged.map((e) => e.env).join(', ')}.` : ''}`,
    '',
  ];
  const introText = intro.join('\n');
  if (!changed.length) return `${introText}\n`;

  const rows: string[] = [];
  for (const env of changed)
    for (const app of env.applications) {
      const n = countChanges(app);
      const notes = [applicationNote(app), ...app.charts.map(chartLabel)].filter(Boolean);
      rows.push(
        `| ${env.env} | ${applicationLabel(env.env, app.name)} | ${n.added} | ${n.changed} | ${n.removed} | ${cell(notes.join('; '))} |`,
      );
    }
  const tableHead =
    '| Environment | Application | Added | Changed | Removed | Notes |\n| --- | --- | ---: | ---: | ---: | --- |\n';
  let out = `${introText}\n${tableHead}`;
  let rowsLeft = 0;
  for (const row of rows) {
    if (rowsLeft || out.length + row.length + 1 + RESERVE > limit) rowsLeft++;
    else out += `${row}\n`;
  }
  out += '\n';
  const groups = notRenderedGroups(result.environments);
  if (groups.length) {
    const counts = groups.map((g) => `${g.apps.length} in ${g.envs.join(', ')}`).join('; ');
    const lists = groups.map((g) => `- ${g.envs.join(', ')}: ${g.apps.join(', ')}`).join('\n');
    const block = `<details>\n<summary>${NOT_RENDERED}: ${counts}</summary>\n\n${lists}\n\n</details>\n\n`;
    if (!rowsLeft && out.length + block.length + RESERVE <= limit) out += block;
  }

  const omitted = new Map<string, number>();
  const omit = (env: string, n: number) => n && omitted.set(env, (omitted.get(env) ?? 0) + n);
  let cut = rowsLeft > 0;
  const fits = (text: string, closing: string) =>
    !cut && out.length + text.length + closing.length + RESERVE <= limit;
  for (const env of changed) {
    const moves = applicationMoves(env);
    const open = `<details>\n<summary><b>${env.env}</b>: ${environmentHeadline(env)}</summary>\n\n${moves ? `Applications: ${moves}\n\n` : ''}`;
    const close = '</details>\n\n';
    if (!fits(open, close)) {
      cut = true;
      for (const app of env.applications) omit(env.env, app.resources.length);
      continue;
    }
    out += open;
    for (const app of env.applications) {
      const chunks = app.resources.map(resourceChunk);
      const fence = fenceFor(chunks.join(''));
      const head = appHeading(env.env, app);
      const appOpen = chunks.length ? `${head}${fence}diff\n` : head;
      const appClose = chunks.length ? `${fence}\n\n` : '';
      if (!fits(appOpen, appClose + close)) {
        cut = true;
        omit(env.env, chunks.length);
        continue;
      }
      out += appOpen;
      for (const chunk of chunks) {
        if (fits(chunk, appClose + close)) out += chunk;
        else {
          cut = true;
          omit(env.env, 1);
        }
      }
      out += appClose;
    }
    out += close;
  }
  if (cut) {
    const total = [...omitted.values()].reduce((a, b) => a + b, 0);
    const where = [...omitted].map(([env, n]) => `${env}: ${n}`).join(', ');
    const envs = [...omitted.keys()];
    out +=
      `> **Left out** to stay under GitHub's ${limit.toLocaleString('en-US')}-character comment limit: ` +
      `${rowsLeft ? `${rowsLeft} table row${rowsLeft === 1 ? '' : 's'} and ` : ''}` +
      `${total} resource change${total === 1 ? '' : 's'}${where ? ` (${where})` : ''}. ` +
      `Run \`zx scripts/diff.mjs${envs.length === 1 ? ` --env ${envs[0]}` : ''}\` for the full diff.\n`;
  }
  return out;
}

function appHeading(env: string, app: ApplicationDiff): string {
  const about = applicationAbout(app);
  const lines = [`**${applicationLabel(env, app.name)}**${about ? ` (${about})` : ''}: ${countsLabel(app)}`];
  for (const c of app.charts) lines.push(`- ${escapeText(chartLabel(c))}`);
  return `${lines.join('\n')}\n\n`;
}

function resourceChunk(r: ResourceChange): string {
  const label = resourceLabel(r.resource);
  if (r.change !== 'changed') return `${r.change === 'added' ? '+' : '-'} ${r.change} ${label}\n`;
  const lines = [`@@ changed ${label}${r.renamedFrom ? ` (was ${r.renamedFrom})` : ''} @@`];
  for (const f of r.fields) lines.push(...diffLines(viewField(f)));
  return `${lines.join('\n')}\n`;
}

/** One field in a ```diff block: `-`/`+` colour old and new, `!` marks a value not shown. */
function diffLines(v: FieldView): string[] {
  if (v.kind === 'note') return [`! ${v.path}: ${v.note}`];
  if (v.kind === 'inline')
    return [
      ...(v.old === '(absent)' ? [] : [`- ${v.path}: ${v.old}`]),
      ...(v.new === '(absent)' ? [] : [`+ ${v.path}: ${v.new}`]),
    ];
  const body = v.lines.map((l) =>
    l.op === 'skip'
      ? `  … ${l.count} unchanged line${l.count === 1 ? '' : 's'}`
      : `${l.op === '=' ? ' ' : l.op}   ${l.text}`,
  );
  const shown = body.slice(0, MAX_FIELD_LINES);
  if (body.length > shown.length)
    shown.push(`  … ${body.length - shown.length} more lines (run the diff locally)`);
  return [`  ${v.path}:`, ...shown];
}

/** A fence longer than any run of backticks inside the block. */
function fenceFor(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  return '`'.repeat(Math.max(3, longest + 1));
}

function code(s: string): string {
  const fence = '`'.repeat(Math.max(1, ...(s.match(/`+/g) ?? []).map((m) => m.length + 1)));
  return fence.length > 1 ? `${fence} ${s} ${fence}` : `\`${s}\``;
}

function cell(s: string): string {
  return escapeText(s).replace(/\|/g, '\\|');
}

function escapeText(s: string): string {
  return s.replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;'));
}
