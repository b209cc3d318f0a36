import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLuaHealth } from '../../scripts/lib/cluster/lua-health.ts';
import { REPO_ROOT } from '../helpers/fixture-repo.ts';

const script = (name: string) =>
  readFileSync(path.join(REPO_ROOT, 'clusters/base/argocd/health', name), 'utf8');
const withConditions = (...conditions: Record<string, string>[]) => ({ status: { conditions } });

describe('cert-manager.lua (Certificate, Issuer, ClusterIssuer)', () => {
  const lua = script('cert-manager.lua');
  it.each([
    ['no status yet', {}, 'Progressing', 'Waiting for cert-manager'],
    [
      'issuing wins over an old Ready',
      withConditions(
        { type: 'Ready', status: 'True', message: 'old' },
        { type: 'Issuing', status: 'True', message: 'Renewing certificate as renewal was scheduled' },
      ),
      'Progressing',
      'Renewing certificate as renewal was scheduled',
    ],
    [
      'ready',
      withConditions({
        type: 'Ready',
        status: 'True',
        message: 'Certificate is up to date and has not expired',
      }),
      'Healthy',
      'Certificate is up to date and has not expired',
    ],
    [
      'failed issuer registration',
      withConditions({ type: 'Ready', status: 'False', message: 'Failed to register ACME account' }),
      'Degraded',
      'Failed to register ACME account',
    ],
    [
      'only unrelated conditions',
      withConditions({ type: 'Issuing', status: 'False' }),
      'Progressing',
      'Waiting for cert-manager',
    ],
  ])('%s', (_n, obj, status, message) => {
    expect(runLuaHealth(lua, obj)).toEqual({ status, message });
  });
});

describe('bitnami.com_SealedSecret.lua', () => {
  const lua = script('bitnami.com_SealedSecret.lua');
  it.each([
    ['not seen yet', {}, 'Progressing', 'Waiting for the controller to decrypt'],
    ['decrypted', withConditions({ type: 'Synced', status: 'True' }), 'Healthy', ''],
    [
      'sealed for another cluster',
      withConditions({ type: 'Synced', status: 'False', message: 'no key could decrypt secret (api-token)' }),
      'Degraded',
      'no key could decrypt secret (api-token)',
    ],
  ])('%s', (_n, obj, status, message) => {
    expect(runLuaHealth(lua, obj)).toEqual({ status, message });
  });
});
