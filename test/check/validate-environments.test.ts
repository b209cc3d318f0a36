import { afterEach, describe, expect, it } from 'vitest';
import type { Rule } from '../../scripts/lib/check/rule.ts';
import { createSchemaRegistry, SCHEMA_CACHE_DIR } from '../../scripts/lib/check/schema/registry.ts';
import { NO_SEVERITY_CONFIG } from '../../scripts/lib/check/severity-config.ts';
import { validateEnvironments } from '../../scripts/lib/check/validate-environments.ts';
import type { EnvironmentRender } from '../../scripts/lib/repo/walk.ts';
import { openRepository, type Repository } from '../../scripts/lib/repo/repository.ts';
import { fixtureRepo, renderCache } from '../helpers/fixture-repo.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** The fixture repository (dev and prod), with each environment's render handed out when the test says. */
async function gatedRepository(): Promise<{
  repo: Repository;
  release: (env: string, how?: Error) => void;
}> {
  const fx = fixtureRepo('validate/clean');
  const real = await openRepository(fx.dir, { cacheDir: renderCache() });
  cleanups.push(() => real.dispose(), fx.cleanup);
  const gates = new Map<string, (how?: Error) => void>();
  const repo: Repository = {
    ...real,
    render: (env) =>
      new Promise<EnvironmentRender>((resolve, reject) =>
        gates.set(env, (how) => (how ? reject(how) : resolve(real.render(env)))),
      ),
  };
  return { repo, release: (env, how) => gates.get(env)!(how) };
}

/** A rule that notes which environments it was run for, and says when it has run for `env`. */
function spyRule(seen: string[], env: string): { rule: Rule; ran: Promise<void> } {
  let ran!: () => void;
  const done = new Promise<void>((r) => (ran = r));
  const rule: Rule = {
    id: 'test/spy',
    severity: 'info',
    title: 't',
    why: 'w',
    hint: 'h',
    check: (ctx) => {
      seen.push(ctx.env);
      if (ctx.env === env) ran();
      return [];
    },
  };
  return { rule, ran: done };
}

describe('validateEnvironments', () => {
  it('checks an environment as soon as it is rendered, while the next still renders', async () => {
    const { repo, release } = await gatedRepository();
    const seen: string[] = [];
    const spy = spyRule(seen, 'dev');
    const registry = createSchemaRegistry({ cacheDir: SCHEMA_CACHE_DIR });
    const result = validateEnvironments(repo, ['dev', 'prod'], registry, [spy.rule], NO_SEVERITY_CONFIG);
    release('dev');
    // prod is released only once dev has been checked: checking dev waiting for prod never ends.
    await spy.ran;
    expect(seen).toEqual(['dev']);
    release('prod');
    const { renders } = await result;
    expect(seen).toEqual(['dev', 'prod']);
    expect(renders.map((r) => r.env.name)).toEqual(['dev', 'prod']);
  });

  it('fails with the error of an environment that fails while an earlier one is still rendering', async () => {
    const { repo, release } = await gatedRepository();
    const registry = createSchemaRegistry({ cacheDir: SCHEMA_CACHE_DIR });
    const result = validateEnvironments(repo, ['dev', 'prod'], registry, [], NO_SEVERITY_CONFIG);
    // prod fails first, before anything waits on it: it must not be an unhandled rejection.
    release('prod', new Error('kubectl not found on PATH'));
    await new Promise((r) => setImmediate(r));
    release('dev');
    await expect(result).rejects.toThrow('kubectl not found on PATH');
  });
});
