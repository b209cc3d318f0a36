import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLuaHealth } from '../../scripts/lib/cluster/lua-health.ts';
import { REPO_ROOT } from '../helpers/fixture-repo.ts';

const script = (name: string) =>
  readFileSync(path.join(REPO_ROOT, 'clusters/base/argocd/health', name), 'utf8');

describe('argoproj.io_Application.lua', () => {
  const lua = script('argoproj.io_Application.lua');
  it.each([
    ['no status yet', {}, 'Progressing', ''],
    ['healthy child', { status: { health: { status: 'Healthy' } } }, 'Healthy', ''],
    [
      'degraded child with message',
      { status: { health: { status: 'Degraded', message: 'Deployment x failed' } } },
      'Degraded',
      'Deployment x failed',
    ],
    ['progressing child', { status: { health: { status: 'Progressing' } } }, 'Progressing', ''],
    ['suspended child', { status: { health: { status: 'Suspended' } } }, 'Suspended', ''],
    ['missing child', { status: { health: { status: 'Missing' } } }, 'Missing', ''],
  ])('%s', (_n, obj, status, message) => {
    expect(runLuaHealth(lua, obj)).toEqual({ status, message });
  });
});

describe('istio-config.lua', () => {
  const lua = script('istio-config.lua');
  const meta = { metadata: { name: 'x', generation: 3 } };
  it.each([
    ['no status (istiod status off)', meta, 'Healthy', ''],
    [
      'observed and reconciled',
      { ...meta, status: { observedGeneration: 3, conditions: [{ type: 'Reconciled', status: 'True' }] } },
      'Healthy',
      '',
    ],
    [
      'analysis error',
      {
        ...meta,
        status: {
          validationMessages: [
            { level: 'ERROR', type: { code: 'IST0101' }, description: 'Referenced gateway not found' },
          ],
        },
      },
      'Degraded',
      'IST0101 Referenced gateway not found',
    ],
    [
      'analysis warning only',
      {
        ...meta,
        status: {
          observedGeneration: 3,
          validationMessages: [
            {
              level: 'WARNING',
              type: { code: 'IST0118' },
              description: 'Port name is not under naming convention',
            },
          ],
        },
      },
      'Healthy',
      'IST0118 Port name is not under naming convention',
    ],
    [
      'older generation observed',
      { ...meta, status: { observedGeneration: 2 } },
      'Progressing',
      'Waiting for istiod to observe generation 3',
    ],
    [
      'not yet reconciled',
      {
        ...meta,
        status: {
          observedGeneration: 3,
          conditions: [{ type: 'Reconciled', status: 'False', message: '2/5 proxies up to date' }],
        },
      },
      'Progressing',
      '2/5 proxies up to date',
    ],
  ])('%s', (_n, obj, status, message) => {
    expect(runLuaHealth(lua, obj)).toEqual({ status, message });
  });
});

describe('runLuaHealth', () => {
  it('reports a failing script as Unknown', () => {
    expect(runLuaHealth('error("boom")', {}).status).toBe('Unknown');
    expect(runLuaHealth('return {', {}).message).toMatch(/does not compile/);
    expect(runLuaHealth('return 1', {}).message).toMatch(/no table/);
  });
  it('stops a script that never ends', () => {
    expect(runLuaHealth('while true do end', {})).toMatchObject({
      status: 'Unknown',
      message: expect.stringMatching(/too long/),
    });
  });
  it('passes integers as Lua integers (Lua 5.1 formatting)', () => {
    expect(
      runLuaHealth('return {status="Healthy", message=tostring(obj.n) .. "/" .. tostring(obj.f)}', {
        n: 3,
        f: 1.5,
      }),
    ).toEqual({
      status: 'Healthy',
      message: '3/1.5',
    });
  });
});

describe('runLuaHealth with deeply nested objects', () => {
  // An EnvoyFilter's typed_config nests far deeper than Lua's default 20-slot stack.
  const nested = (depth: number): Record<string, unknown> =>
    depth === 0 ? { leaf: 'x' } : { level: nested(depth - 1), list: [nested(0)] };
  it('passes an object nested 60 levels deep to the script', () => {
    const lua =
      'local d = 0; local o = obj; while o.level ~= nil do d = d + 1; o = o.level end; return { status = "Healthy", message = tostring(d) }';
    expect(runLuaHealth(lua, nested(60))).toEqual({ status: 'Healthy', message: '60' });
  });
});
