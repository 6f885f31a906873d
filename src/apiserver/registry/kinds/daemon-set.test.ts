// The DaemonSet and ControllerRevision strategies inside the generic registry: what the server
// owns on a DaemonSet (generation, template generation), the patch `kubectl rollout undo ds`
// sends, a ControllerRevision's data kept as written and never rewritten, and the apps/v1
// discovery facts kubectl reads.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../api/object.js';
import { FakeClock } from '../../../lib/clock.js';
import { MemoryStore } from '../../../storage/memory/memory-store.js';
import { DiscoveryDocuments } from '../../discovery/discovery-documents.js';
import { ApiRegistry } from '../api-registry.js';
import { InvalidError } from '../api-errors.js';
import { harness, WRITE } from '../registry-fixtures.test.js';
import { controllerRevisionStrategy } from './controller-revision.js';
import { daemonSetStrategy } from './daemon-set.js';
import { builtinKinds } from './index.js';

const TEMPLATE_GENERATION = 'deprecated.daemonset.template.generation';

function daemonSet(image = 'agent:1'): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image }] } },
    },
  };
}

type Shape = { spec: { template: { spec: { containers: { image: string }[] } } } };
const imageOf = (obj: KubeObject) => (obj as unknown as Shape).spec.template.spec.containers[0]?.image;
const generations = (obj: KubeObject) => [obj.metadata?.generation, obj.metadata?.annotations?.[TEMPLATE_GENERATION]];

describe('apps/v1 DaemonSet in the registry', () => {
  it('counts spec changes in generation and template changes in the template-generation annotation', async () => {
    const { registry } = harness(daemonSetStrategy);
    const { object: created } = await registry.create('default', daemonSet(), WRITE);
    assert.deepEqual(generations(created), [1, '1']);
    assert.deepEqual(created['status'], { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 });
    const { object: newImage } = await registry.patch('default', 'agent', 'strategic', { spec: { template: { spec: { containers: [{ name: 'agent', image: 'agent:2' }] } } } }, WRITE);
    assert.deepEqual(generations(newImage), [2, '2']);
    const { object: slower } = await registry.patch('default', 'agent', 'merge', { spec: { minReadySeconds: 5 } }, WRITE);
    assert.deepEqual(generations(slower), [3, '2']);
    const { object: status } = await registry.patch('default', 'agent', 'merge', { status: { numberReady: 1 } }, { ...WRITE, subresource: 'status' });
    assert.deepEqual(generations(status), [3, '2']);
    // `kubectl replace -f` of the original manifest sends no annotation: the server keeps counting.
    const { object: replaced } = await registry.update('default', 'agent', { ...daemonSet(), metadata: { name: 'agent', namespace: 'default', annotations: { [TEMPLATE_GENERATION]: '40' } } }, WRITE);
    assert.deepEqual(generations(replaced), [4, '3']);
  });

  it('rollout undo: the revision patch replaces the template; the selector stays immutable', async () => {
    const { registry } = harness(daemonSetStrategy);
    const { object: created } = await registry.create('default', daemonSet(), WRITE);
    const revisionOne = (created as unknown as { spec: { template: Record<string, unknown> } }).spec.template;
    await registry.patch('default', 'agent', 'strategic', { spec: { template: { spec: { containers: [{ name: 'agent', image: 'agent:2' }] } } } }, WRITE);
    const { object: undone } = await registry.patch('default', 'agent', 'strategic', { spec: { template: { ...revisionOne, $patch: 'replace' } } }, WRITE);
    assert.equal(imageOf(undone), 'agent:1');
    await assert.rejects(registry.patch('default', 'agent', 'merge', { spec: { selector: { matchLabels: { app: 'other' } } } }, WRITE), (e: unknown) =>
      e instanceof InvalidError && e.causes.some((c) => c.field === 'spec.selector' && c.message.endsWith('field is immutable')));
  });
});

describe('apps/v1 ControllerRevision in the registry', () => {
  const revision = (data: unknown, number = 1): KubeObject => ({
    apiVersion: 'apps/v1', kind: 'ControllerRevision',
    metadata: {
      name: 'agent-6b8f7c', namespace: 'default', labels: { app: 'agent' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'u1', controller: true, blockOwnerDeletion: true }],
    },
    data,
    revision: number,
  });

  it('keeps data exactly as written, renumbers, and refuses to rewrite data', async () => {
    const { registry } = harness(controllerRevisionStrategy);
    const data = { spec: { template: { $patch: 'replace', metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image: 'agent:1' }] } } } };
    const { object: created } = await registry.create('default', revision(data), WRITE);
    assert.deepEqual(created['data'], data);
    assert.equal(created.metadata?.generation, undefined);
    const { object: renumbered } = await registry.patch('default', 'agent-6b8f7c', 'merge', { revision: 3 }, WRITE);
    assert.equal(renumbered['revision'], 3);
    await assert.rejects(registry.update('default', 'agent-6b8f7c', revision({ spec: {} }, 3), WRITE), (e: unknown) =>
      e instanceof InvalidError && e.message === 'ControllerRevision.apps "agent-6b8f7c" is invalid: data: Invalid value: {"spec":{}}: field is immutable');
    await assert.rejects(registry.create('default', { ...revision(undefined), metadata: { name: 'empty', namespace: 'default' } }, WRITE), (e: unknown) =>
      e instanceof InvalidError && e.message === 'ControllerRevision.apps "empty" is invalid: data: Required value: data is mandatory');
  });
});

describe('apps/v1 discovery', () => {
  it('serves daemonsets (ds), statefulsets (sts, with scale) and controllerrevisions', () => {
    const registry = new ApiRegistry({ store: new MemoryStore(), kinds: builtinKinds, clock: new FakeClock() });
    const discovery = new DiscoveryDocuments({ registry });
    type Resource = { name: string; kind: string; group?: string; shortNames?: string[]; categories?: string[] };
    const apps = discovery.apiResourceList('apps', 'v1') as { resources: Resource[] };
    assert.deepEqual(apps.resources.map((r) => r.name).sort(), [
      'controllerrevisions', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status',
      'replicasets', 'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status',
    ]);
    const facts = (name: string) => {
      const r = apps.resources.find((x) => x.name === name);
      return [r?.kind, r?.shortNames, r?.categories];
    };
    assert.deepEqual(facts('daemonsets'), ['DaemonSet', ['ds'], ['all']]);
    assert.deepEqual(facts('statefulsets'), ['StatefulSet', ['sts'], ['all']]);
    assert.deepEqual(facts('controllerrevisions'), ['ControllerRevision', undefined, undefined]);
    const scale = apps.resources.find((r) => r.name === 'statefulsets/scale');
    assert.deepEqual([scale?.group, scale?.kind], ['autoscaling', 'Scale']);
    registry.close();
  });
});
