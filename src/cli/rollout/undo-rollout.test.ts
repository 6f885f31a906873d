import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClientSet } from '../../client/fake/fake-client-set.js';
import { DEPLOYMENTS, REPLICASETS, ROLLOUTS } from '../../client/resource-types.js';
import type { KubeObject } from '../../api/object.js';
import type { RolloutObject } from './cli-object-types.js';
import { canaryRollout, replicaSet } from './rollout-cli.fixture.js';
import { isDerivative, undoRollout } from './undo-rollout.js';

/** Revisions 1, 2 and 3 (web:v1..v3); the rollout's template is revision 3's. */
function cluster(rollout = canaryRollout()) {
  if (rollout.spec.template?.spec?.containers[0]) rollout.spec.template.spec.containers[0].image = 'web:v3';
  const clients = new FakeClientSet();
  clients.seed(ROLLOUTS, rollout);
  clients.seed(REPLICASETS, replicaSet('aaa', 1, 3, 'web:v1'), replicaSet('bbb', 2, 1, 'web:v2'), replicaSet('ccc', 3, 0, 'web:v3'));
  return clients;
}

const imageOf = async (clients: FakeClientSet) =>
  (await clients.resource<RolloutObject>(ROLLOUTS).get('default', 'demo')).spec.template?.spec?.containers[0]?.image;

describe('undo', () => {
  it('puts the previous revision\'s template back, without its pod-template-hash label', async () => {
    const clients = cluster();
    assert.equal(await undoRollout({ clients, namespace: 'default', name: 'demo', toRevision: 0 }), "rollout 'demo' undo\n");
    const rollout = await clients.resource<RolloutObject>(ROLLOUTS).get('default', 'demo');
    // Revisions 1, 2, 3: the newest is 3, so the previous one is 2.
    assert.equal(rollout.spec.template?.spec?.containers[0]?.image, 'web:v2');
    assert.deepEqual(rollout.spec.template?.metadata?.labels, { app: 'demo' });
    assert.deepEqual(clients.actions.map((action) => `${action.verb} ${action.resource}`), ['patch rollouts']);
  });

  it('--to-revision picks that revision, and says which revisions exist when it is missing', async () => {
    const clients = cluster();
    await undoRollout({ clients, namespace: 'default', name: 'demo', toRevision: 1 });
    assert.equal(await imageOf(clients), 'web:v1');
    await assert.rejects(
      undoRollout({ clients, namespace: 'default', name: 'demo', toRevision: 7 }),
      /unable to find specified revision 7 in history of rollout "demo" \(revisions: 1, 2, 3\)/,
    );
  });

  it('skips the patch when the template already matches that revision', async () => {
    const clients = cluster();
    const out = await undoRollout({ clients, namespace: 'default', name: 'demo', toRevision: 3 });
    assert.equal(out, 'skipped rollback (current template already matches revision 3)\n');
    assert.deepEqual(clients.actions, []);
  });

  it('patches the Deployment of a workloadRef rollout', async () => {
    const rollout = canaryRollout();
    delete rollout.spec.template;
    rollout.spec.workloadRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
    const clients = cluster(rollout);
    clients.seed<KubeObject>(DEPLOYMENTS, {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'demo' } }, template: { metadata: { labels: { app: 'demo' } }, spec: { containers: [{ name: 'web', image: 'web:v3' }] } } },
    });
    await undoRollout({ clients, namespace: 'default', name: 'demo', toRevision: 0 });
    const deployment = await clients.resource<KubeObject & { spec: { template: { spec: { containers: { image: string }[] } } } }>(DEPLOYMENTS).get('default', 'web');
    assert.equal(deployment.spec.template.spec.containers[0]?.image, 'web:v2');
  });

  it('compares templates as apimachinery\'s DeepDerivative: unset fields match anything', () => {
    assert.equal(isDerivative({ a: 1, b: undefined }, { a: 1, b: 2, c: 3 }), true);
    assert.equal(isDerivative({ a: [1, 2] }, { a: [1, 2] }), true);
    assert.equal(isDerivative({ a: [1] }, { a: [1, 2] }), false);
    assert.equal(isDerivative({ a: 'x' }, { a: 'y' }), false);
  });
});
