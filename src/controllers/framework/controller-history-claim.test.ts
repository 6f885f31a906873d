import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/object.js';
import { labelSelectorFromObject } from '../../api/selectors/label-selector.js';
import { FakeClientSet } from '../../client/fake/fake-client-set.js';
import { CONTROLLER_REVISIONS } from '../../client/resource-types.js';
import { ControllerHistory, type ControllerRevisionObject } from './controller-history.js';
import { claimControllerRevisions } from './controller-history-claim.js';

const TYPE = { apiVersion: 'apps/v1', kind: 'StatefulSet' };
const parent: KubeObject = { metadata: { name: 'web', namespace: 'ns', uid: 'uid-web' } };

function revision(name: string, labels: Record<string, string>, ownerUid?: string): ControllerRevisionObject {
  return {
    metadata: {
      name, namespace: 'ns', labels,
      ...(ownerUid ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'x', uid: ownerUid, controller: true }] } : {}),
    },
    data: {}, revision: 1,
  };
}

describe('claimControllerRevisions', () => {
  it('keeps its matching revisions, adopts matching orphans, releases non-matching ones, ignores others', async () => {
    const clients = new FakeClientSet();
    const client = clients.resource<ControllerRevisionObject>(CONTROLLER_REVISIONS);
    const seeded = clients.seed(CONTROLLER_REVISIONS,
      revision('owned', { app: 'web' }, 'uid-web'),
      revision('orphan', { app: 'web' }),
      revision('relabelled', { app: 'other' }, 'uid-web'),
      revision('foreign', { app: 'web' }, 'uid-other'),
      revision('unrelated-orphan', { app: 'other' }),
    );
    let adoptChecks = 0;
    const { claimed, errors } = await claimControllerRevisions(seeded, {
      parent, parentType: TYPE, selector: labelSelectorFromObject({ matchLabels: { app: 'web' } }),
      history: new ControllerHistory(client), canAdopt: async () => { adoptChecks++; },
    });
    assert.deepEqual(errors, []);
    assert.deepEqual(claimed.map((r) => r.metadata?.name).sort(), ['orphan', 'owned']);
    assert.equal(adoptChecks, 1);
    assert.equal((await client.get('ns', 'orphan')).metadata?.ownerReferences?.[0]?.uid, 'uid-web');
    assert.equal((await client.get('ns', 'relabelled')).metadata?.ownerReferences, undefined);
    assert.equal((await client.get('ns', 'foreign')).metadata?.ownerReferences?.[0]?.uid, 'uid-other');
  });

  it('adopts nothing when the parent may not adopt', async () => {
    const clients = new FakeClientSet();
    const client = clients.resource<ControllerRevisionObject>(CONTROLLER_REVISIONS);
    const seeded = clients.seed(CONTROLLER_REVISIONS, revision('orphan', { app: 'web' }));
    const { claimed, errors } = await claimControllerRevisions(seeded, {
      parent, parentType: TYPE, selector: labelSelectorFromObject({ matchLabels: { app: 'web' } }),
      history: new ControllerHistory(client), canAdopt: () => Promise.reject(new Error('parent is gone')),
    });
    assert.deepEqual(claimed, []);
    assert.equal(errors.length, 1);
  });
});
