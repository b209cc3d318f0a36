import type { Finding } from '../finding.ts';
import type { Rule, RuleContext } from '../rule.ts';
import { containersOf, podTemplates } from '../workload/pod-templates.ts';
import { at, name } from './rule-helpers.ts';

/** `1.30.3` > `1.29.10`; non-numeric parts compare as text. Undefined when either is not a version. */
export function compareVersions(a: string, b: string): number | undefined {
  const parse = (v: string) => /^v?(\d+(?:\.\d+)*)/.exec(v)?.[1]?.split('.').map(Number);
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return undefined;
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

interface Pinned {
  version: string;
  report: () => Finding;
}

/** Chart versions and image tags an environment runs, keyed by chart or image name. */
function versionsOf(ctx: RuleContext): Map<string, Pinned> {
  const out = new Map<string, Pinned>();
  for (const c of ctx.charts) {
    const app = ctx.resources.find(
      (r) => r.object.kind === 'Application' && r.object.metadata?.name === c.app,
    );
    if (app) out.set(`chart ${c.chart}`, { version: c.version, report: () => at(ctx, app, ['spec'], '') });
  }
  for (const t of podTemplates(ctx.resources))
    for (const { container, path } of containersOf(t.spec)) {
      const image = String(container.image ?? '');
      const colon = image.lastIndexOf(':');
      if (colon < 0 || image.includes('@') || image.lastIndexOf('/') > colon) continue;
      out.set(`image ${image.slice(0, colon)}`, {
        version: image.slice(colon + 1),
        report: () => at(ctx, t.resource, [...t.path, ...path, 'image'], `${name(t.resource)}`),
      });
    }
  return out;
}

export const promotionOrder: Rule = {
  id: 'promotion/version-order',
  severity: 'warning',
  title: 'No environment runs a newer chart or image than the environment before it',
  why: 'Releases move forward one environment at a time; a newer version further along skipped the earlier environments.',
  hint: 'promote through the earlier environments (zx scripts/promote.mjs), or record a hotfix',
  checkAcross: (envs) => {
    const ordered = [...envs]
      .filter((e) => e.env)
      .sort(
        (a, b) =>
          a.settings.environments.findIndex((x) => x.name === a.env) -
          b.settings.environments.findIndex((x) => x.name === b.env),
      );
    const out: Finding[] = [];
    for (let i = 1; i < ordered.length; i++) {
      const before = versionsOf(ordered[i - 1]!);
      for (const [key, pinned] of versionsOf(ordered[i]!)) {
        const earlier = before.get(key);
        if (!earlier || compareVersions(pinned.version, earlier.version) !== 1) continue;
        out.push({
          ...pinned.report(),
          message: `${ordered[i]!.env} runs ${key} ${pinned.version}, newer than ${ordered[i - 1]!.env} (${earlier.version})`,
        });
      }
    }
    return out;
  },
};
