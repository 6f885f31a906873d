 
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/object.js';
import { serverSideApply } from './server-side-apply.js';
import { recordUpdate } from './managed-fields.js';
import { ApplyConflictError } from './patch-error.js';

const DEPLOYMENT = { group: 'apps', version: 'v1', kind: 'Deployment' } as const;
const T0 = new Date('2026-01-02T03:04:05.678Z');
const T1 = new Date('2026-01-02T03:05:00.000Z');

function manifest(replicas: number, containers: Record<string, unknown>[] = [{ name: 'nginx', image: 'nginx:1.25' }]): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers } },
    },
  };
}

/** The object after `kubectl apply` (client-side) created it: POST by kubectl-client-side-apply. */
function createdByClientSideApply(): KubeObject {
  const obj = manifest(1);
  obj.metadata = { ...obj.metadata, uid: 'u-1', resourceVersion: '5', creationTimestamp: '2026-01-01T00:00:00Z', generation: 1 };
  recordUpdate({ old: undefined, updated: obj, manager: 'kubectl-client-side-apply', gvk: DEPLOYMENT, now: T0 });
  return obj;
}

function entry(obj: KubeObject, manager: string): Record<string, any> | undefined {
  return obj.metadata?.managedFields?.find((e) => e.manager === manager) as Record<string, any> | undefined;
}

function spec(obj: KubeObject): Record<string, any> {
  return obj['spec'] as Record<string, any>;
}

void describe('recordUpdate', () => {
  void it('on create gives the writer every field it set, never server metadata or status', () => {
    const obj = createdByClientSideApply();
    assert.deepEqual(obj.metadata?.managedFields, [{
      manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'apps/v1', time: '2026-01-02T03:04:05Z', fieldsType: 'FieldsV1',
      fieldsV1: {
        // Maps the create added are owned themselves (`.`); spec, template and its metadata are
        // in a Deployment's zero value, so not.
        'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
        'f:spec': {
          'f:replicas': {},
          'f:selector': {},
          'f:template': {
            'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
            'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:name': {}, 'f:image': {} } } },
          },
        },
      },
    }]);
  });

  void it('moves changed fields to the writer and tracks status writes separately', () => {
    const old = createdByClientSideApply();
    const scaled = structuredClone(old);
    spec(scaled)['replicas'] = 4;
    recordUpdate({ old, updated: scaled, manager: 'kubectl-scale', gvk: DEPLOYMENT, now: T1 });
    assert.deepEqual(entry(scaled, 'kubectl-scale')?.['fieldsV1'], { 'f:spec': { 'f:replicas': {} } });
    assert.equal(entry(scaled, 'kubectl-client-side-apply')?.['fieldsV1']['f:spec']['f:replicas'], undefined);

    const withStatus = structuredClone(scaled);
    withStatus['status'] = { replicas: 4, conditions: [{ type: 'Available', status: 'True' }] };
    recordUpdate({ old: scaled, updated: withStatus, manager: 'k8ts-controller', gvk: DEPLOYMENT, now: T1, subresource: 'status' });
    const status = entry(withStatus, 'k8ts-controller');
    assert.equal(status?.['subresource'], 'status');
    assert.deepEqual(status?.['fieldsV1'], { 'f:status': { 'f:replicas': {}, 'f:conditions': { '.': {}, 'k:{"type":"Available"}': { '.': {}, 'f:type': {}, 'f:status': {} } } } });
  });
});

void describe('serverSideApply', () => {
  void it('reports the §3.5 conflict on .spec.replicas with upstream wording', () => {
    const live = createdByClientSideApply();
    const attempt = () => serverSideApply({ live, applied: manifest(3), manager: 'kubectl', force: false, gvk: DEPLOYMENT, now: T1 });
    assert.throws(attempt, (err: unknown) => {
      assert.ok(err instanceof ApplyConflictError);
      assert.equal(err.code, 'Conflict');
      assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
      assert.deepEqual(err.conflicts, [{ manager: 'kubectl-client-side-apply', field: '.spec.replicas', message: 'conflict with "kubectl-client-side-apply" using apps/v1' }]);
      return true;
    });
  });

  void it('with force moves ownership of the conflicting field to the applier', () => {
    const live = createdByClientSideApply();
    const out = serverSideApply({ live, applied: manifest(3), manager: 'kubectl', force: true, gvk: DEPLOYMENT, now: T1 });
    assert.equal(spec(out)['replicas'], 3);
    assert.equal(out.metadata?.uid, 'u-1', 'server metadata is kept');
    const applier = entry(out, 'kubectl');
    assert.equal(applier?.['operation'], 'Apply');
    assert.equal(applier?.['time'], '2026-01-02T03:05:00Z');
    assert.deepEqual(applier?.['fieldsV1']['f:spec']['f:replicas'], {});
    const csa = entry(out, 'kubectl-client-side-apply');
    assert.equal(csa?.['fieldsV1']['f:spec']['f:replicas'], undefined);
    assert.deepEqual(csa?.['fieldsV1']['f:spec']['f:selector'], {}, 'unchanged shared fields stay owned by both');
    assert.deepEqual(out.metadata?.managedFields?.map((e) => e.operation), ['Apply', 'Update'], 'upstream order: Apply before Update');
  });

  void it('an apply that agrees with the live values does not conflict', () => {
    const out = serverSideApply({ live: createdByClientSideApply(), applied: manifest(1), manager: 'kubectl', force: false, gvk: DEPLOYMENT, now: T1 });
    assert.equal(spec(out)['replicas'], 1);
    assert.equal(out.metadata?.managedFields?.length, 2);
  });

  void it('creates the object when nothing is live, owning what it applied', () => {
    const out = serverSideApply({ live: undefined, applied: manifest(2), manager: 'kubectl', force: false, gvk: DEPLOYMENT, now: T0 });
    assert.equal(out.metadata?.name, 'web');
    const fields = entry(out, 'kubectl')?.['fieldsV1'];
    assert.deepEqual(fields['f:metadata'], { 'f:labels': { 'f:app': {} } });
    assert.deepEqual(fields['f:spec']['f:template']['f:spec']['f:containers'], { 'k:{"name":"nginx"}': { '.': {}, 'f:name': {}, 'f:image': {} } });
  });

  void it('removes a field the manager stopped applying unless another manager owns it', () => {
    const first = manifest(2);
    (first.metadata as Record<string, any>)['labels'] = { app: 'web', team: 'a', shared: 'y' };
    let live = serverSideApply({ live: undefined, applied: first, manager: 'kubectl', force: false, gvk: DEPLOYMENT, now: T0 });
    // Another manager also sets the `shared` label (to the same value: no conflict, co-owned).
    live = serverSideApply({ live, applied: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { shared: 'y' } } }, manager: 'other', force: false, gvk: DEPLOYMENT, now: T0 });

    const second = manifest(2);
    live = serverSideApply({ live, applied: second, manager: 'kubectl', force: false, gvk: DEPLOYMENT, now: T1 });
    assert.deepEqual(live.metadata?.labels, { app: 'web', shared: 'y' });
    assert.deepEqual(entry(live, 'kubectl')?.['fieldsV1']['f:metadata'], { 'f:labels': { 'f:app': {} } });
  });

  void it('lets two managers own different containers of one list; dropping one removes only it', () => {
    const a = manifest(1, [{ name: 'a', image: 'a:1' }]);
    const b = manifest(1, [{ name: 'b', image: 'b:1' }]);
    let live = serverSideApply({ live: undefined, applied: a, manager: 'mgr-a', force: false, gvk: DEPLOYMENT, now: T0 });
    live = serverSideApply({ live, applied: b, manager: 'mgr-b', force: false, gvk: DEPLOYMENT, now: T0 });
    assert.deepEqual(spec(live)['template'].spec.containers, [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:1' }]);

    // mgr-b changing mgr-a's image conflicts at the item's field, printed with the merge key.
    assert.throws(
      () => serverSideApply({ live, applied: manifest(1, [{ name: 'b', image: 'b:1' }, { name: 'a', image: 'a:2' }]), manager: 'mgr-b', force: false, gvk: DEPLOYMENT, now: T1 }),
      { message: 'Apply failed with 1 conflict: conflict with "mgr-a": .spec.template.spec.containers[name="a"].image' },
    );

    const aWithoutContainers = manifest(1, []);
    live = serverSideApply({ live, applied: aWithoutContainers, manager: 'mgr-a', force: false, gvk: DEPLOYMENT, now: T1 });
    assert.deepEqual(spec(live)['template'].spec.containers, [{ name: 'b', image: 'b:1' }]);
  });

  void it('lists several conflicts grouped per manager', () => {
    const live = createdByClientSideApply();
    const applied = manifest(3, [{ name: 'nginx', image: 'nginx:1.27' }]);
    assert.throws(
      () => serverSideApply({ live, applied, manager: 'kubectl', force: false, gvk: DEPLOYMENT, now: T1 }),
      { message: 'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name="nginx"].image' },
    );
  });

  void it('never mutates its inputs', () => {
    const live = createdByClientSideApply();
    const applied = manifest(3);
    const before = structuredClone({ live, applied });
    serverSideApply({ live, applied, manager: 'kubectl', force: true, gvk: DEPLOYMENT, now: T1 });
    assert.deepEqual({ live, applied }, before);
  });
});
