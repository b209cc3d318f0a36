import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLuaHealth } from '../../scripts/lib/cluster/lua-health.ts';
import { REPO_ROOT } from '../helpers/fixture-repo.ts';

const script = (name: string) =>
  readFileSync(path.join(REPO_ROOT, 'clusters/base/argocd/health', name), 'utf8');
type Case = [string, unknown, string, string];
const table = (file: string, cases: Case[]) =>
  describe(file, () => {
    const lua = script(file);
    it.each(cases)('%s', (_n, obj, status, message) => {
      expect(runLuaHealth(lua, obj)).toEqual({ status, message });
    });
  });

table('postgresql.cnpg.io_Cluster.lua', [
  ['no status yet', {}, 'Progressing', 'Waiting for the operator'],
  ['healthy', { status: { phase: 'Cluster in healthy state' } }, 'Healthy', 'Cluster in healthy state'],
  [
    'creating a replica',
    { status: { phase: 'Creating a new replica', phaseReason: 'Creating replica postgres-2' } },
    'Progressing',
    'Creating a new replica: Creating replica postgres-2',
  ],
  ['failing over', { status: { phase: 'Failing over' } }, 'Degraded', 'Failing over'],
  [
    'needs a person',
    { status: { phase: 'Cluster is unrecoverable and needs manual intervention' } },
    'Suspended',
    'Cluster is unrecoverable and needs manual intervention',
  ],
  [
    'hibernated',
    { status: { conditions: [{ type: 'cnpg.io/hibernation', status: 'True', message: 'Hibernated' }] } },
    'Suspended',
    'Hibernated',
  ],
  [
    'hibernation failed',
    { status: { conditions: [{ type: 'cnpg.io/hibernation', status: 'False', message: 'boom' }] } },
    'Degraded',
    'boom',
  ],
  ['status without phase', { status: { phaseReason: 'starting' } }, 'Progressing', 'starting'],
  ['unknown phase', { status: { phase: 'Something new' } }, 'Unknown', 'Something new'],
]);

table('postgresql.cnpg.io_ScheduledBackup.lua', [
  ['not run yet', {}, 'Healthy', 'No backup scheduled yet'],
  [
    'scheduled',
    { status: { lastScheduleTime: '2026-12-01T02:00:00Z' } },
    'Healthy',
    'Last backup scheduled at 2026-12-01T02:00:00Z',
  ],
  ['suspended', { spec: { suspend: true } }, 'Suspended', 'Backups are suspended'],
]);

table('barmancloud.cnpg.io_ObjectStore.lua', [
  ['configuration only', { spec: {} }, 'Healthy', ''],
  [
    'with a recovery window',
    { status: { serverRecoveryWindow: { postgres: { firstRecoverabilityPoint: '2026-12-01T02:00:00Z' } } } },
    'Healthy',
    'postgres recoverable from 2026-12-01T02:00:00Z',
  ],
]);

table('kafka.strimzi.io_Kafka.lua', [
  ['no status yet', {}, 'Progressing', 'Waiting for Kafka cluster'],
  [
    'creating',
    { status: { conditions: [{ type: 'NotReady', status: 'True', reason: 'Creating' }] } },
    'Progressing',
    'Waiting for Kafka cluster',
  ],
  [
    'failed reconciliation',
    {
      status: {
        conditions: [{ type: 'NotReady', status: 'True', reason: 'Timeout', message: 'pods not ready' }],
      },
    },
    'Degraded',
    'pods not ready',
  ],
  ['ready', { status: { conditions: [{ type: 'Ready', status: 'True' }] } }, 'Healthy', ''],
  [
    'ready with a warning',
    {
      status: {
        conditions: [
          { type: 'Warning', status: 'True', message: 'deprecated field' },
          { type: 'Ready', status: 'True' },
        ],
      },
    },
    'Healthy',
    'deprecated field',
  ],
]);

table('strimzi-ready.lua', [
  ['no status yet', { kind: 'KafkaTopic' }, 'Progressing', 'Waiting for the Strimzi operator'],
  [
    'topic ready',
    { kind: 'KafkaTopic', status: { conditions: [{ type: 'Ready', status: 'True' }] } },
    'Healthy',
    '',
  ],
  [
    'user rejected',
    { kind: 'KafkaUser', status: { conditions: [{ type: 'Ready', status: 'False', message: 'bad ACL' }] } },
    'Degraded',
    'bad ACL',
  ],
  [
    'node pool complete',
    { kind: 'KafkaNodePool', spec: { replicas: 3 }, status: { nodeIds: [0, 1, 2] } },
    'Healthy',
    '3 nodes',
  ],
  [
    'node pool scaling',
    { kind: 'KafkaNodePool', spec: { replicas: 3 }, status: { nodeIds: [0] } },
    'Progressing',
    '1/3 nodes',
  ],
]);

table('redis.redis.opstreelabs.in_RedisReplication.lua', [
  ['no status yet', {}, 'Progressing', 'Waiting for the operator'],
  ['ready', { status: { state: 'Ready', masterNode: 'redis-0' } }, 'Healthy', 'Primary redis-0'],
  ['configuring', { status: { state: 'Configuring' } }, 'Progressing', 'Configuring'],
  ['failed', { status: { state: 'Failed', reason: 'no master' } }, 'Degraded', 'no master'],
  ['older operator, primary known', { status: { masterNode: 'redis-1' } }, 'Healthy', 'Primary redis-1'],
  ['older operator, no primary', { status: { masterNode: '' } }, 'Progressing', 'Waiting for the operator'],
]);

table('redis.redis.opstreelabs.in_RedisSentinel.lua', [
  ['no status', {}, 'Healthy', ''],
  [
    'not ready',
    { status: { conditions: [{ type: 'Ready', status: 'False', message: 'no quorum' }] } },
    'Degraded',
    'no quorum',
  ],
]);

table('mysql.oracle.com_InnoDBCluster.lua', [
  ['no status yet', {}, 'Progressing', 'Waiting for the operator'],
  [
    'online',
    { status: { cluster: { status: 'ONLINE', onlineInstances: 3 } } },
    'Healthy',
    'ONLINE (3 online)',
  ],
  ['members joining', { status: { cluster: { status: 'ONLINE_PARTIAL' } } }, 'Progressing', 'ONLINE_PARTIAL'],
  [
    'no quorum',
    { status: { cluster: { status: 'NO_QUORUM', onlineInstances: 1 } } },
    'Degraded',
    'NO_QUORUM (1 online)',
  ],
]);

table('mongodbcommunity.mongodb.com_MongoDBCommunity.lua', [
  ['no status yet', {}, 'Progressing', 'Waiting for the operator'],
  [
    'running',
    { status: { phase: 'Running', currentMongoDBMembers: 3 } },
    'Healthy',
    'Replica set of 3 members',
  ],
  [
    'pending',
    { status: { phase: 'Pending', message: 'StatefulSet not ready' } },
    'Progressing',
    'StatefulSet not ready',
  ],
  ['failed', { status: { phase: 'Failed', message: 'auth error' } }, 'Degraded', 'auth error'],
]);

table('postgresql.cnpg.io_Database.lua', [
  ['not reconciled yet', {}, 'Progressing', 'Waiting for the operator'],
  [
    'status without applied',
    { status: { observedGeneration: 1 } },
    'Progressing',
    'Waiting for the operator',
  ],
  ['applied', { status: { applied: true } }, 'Healthy', ''],
  [
    'owner role missing',
    { status: { applied: false, message: 'role "payments" does not exist' } },
    'Degraded',
    'role "payments" does not exist',
  ],
  ['failed without a message', { status: { applied: false } }, 'Degraded', 'not applied'],
]);
