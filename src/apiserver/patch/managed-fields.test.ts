import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GroupVersionKind, KubeObject } from '../../api/object.js';
import { recordUpdate } from './managed-fields.js';
import { serverSideApply } from './server-side-apply.js';

const CONFIG_MAP = { group: '', version: 'v1', kind: 'ConfigMap' } as const;
const DEPLOYMENT = { group: 'apps', version: 'v1', kind: 'Deployment' } as const;
const WIDGET = { group: 'example.com', version: 'v1', kind: 'Widget' } as const;
const T0 = new Date('2026-01-02T03:04:05Z');
const T1 = new Date('2026-01-02T03:05:00Z');

function fieldsOf(obj: KubeObject, manager: string): unknown {
  return obj.metadata?.managedFields?.find((e) => e.manager === manager)?.fieldsV1;
}

function write(old: KubeObject | undefined, change: (obj: KubeObject) => void, manager: string, gvk: GroupVersionKind = CONFIG_MAP, subresource?: string): KubeObject {
  const updated = old === undefined ? {} : structuredClone(old);
  change(updated);
  recordUpdate({ old, updated, manager, gvk, now: old === undefined ? T0 : T1, ...(subresource === undefined ? {} : { subresource }) });
  return updated;
}

const configMap = (data: Record<string, string>, labels?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default', ...(labels ? { labels } : {}) }, data,
});

describe('recordUpdate ownership (structured-merge-diff Compare)', () => {
  it('a created map is owned itself: f:data {.: {}, f:k}', () => {
    const obj = write(undefined, (o) => Object.assign(o, configMap({ k: 'v' })), 'kubectl-create');
    assert.deepEqual(fieldsOf(obj, 'kubectl-create'), { 'f:data': { '.': {}, 'f:k': {} } });
  });

  it('a key added to an existing map is owned without the map', () => {
    const created = write(undefined, (o) => Object.assign(o, configMap({ k: 'v' })), 'kubectl-create');
    const edited = write(created, (o) => ((o['data'] as Record<string, string>)['k2'] = 'w'), 'kubectl-edit');
    assert.deepEqual(fieldsOf(edited, 'kubectl-edit'), { 'f:data': { 'f:k2': {} } });
    assert.deepEqual(fieldsOf(edited, 'kubectl-create'), { 'f:data': { '.': {}, 'f:k': {} } });
  });

  it('a map removed entirely leaves every manager that owned it or anything in it', () => {
    const created = write(undefined, (o) => Object.assign(o, configMap({ k: 'v' }, { a: '1' })), 'kubectl-create');
    const labelled = write(created, (o) => ((o.metadata?.labels ?? {})['b'] = '2'), 'kubectl-label');
    assert.deepEqual(fieldsOf(labelled, 'kubectl-label'), { 'f:metadata': { 'f:labels': { 'f:b': {} } } });
    const stripped = write(labelled, (o) => delete o.metadata?.labels, 'stripper');
    assert.deepEqual(fieldsOf(stripped, 'kubectl-create'), { 'f:data': { '.': {}, 'f:k': {} } });
    // kubectl-label owned nothing else, so its entry goes; the remover owns nothing either.
    assert.deepEqual(stripped.metadata?.managedFields?.map((e) => e.manager), ['kubectl-create']);
  });

  it('a struct in the zero value (container resources) is not owned, what grows in it is', () => {
    const deployment: KubeObject = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } },
    };
    const created = write(undefined, (o) => Object.assign(o, structuredClone(deployment)), 'kubectl-create', DEPLOYMENT);
    const limited = write(created, (o) => {
      const spec = o['spec'] as { template: { spec: { containers: Record<string, unknown>[] } } };
      Object.assign(spec.template.spec.containers[0] ?? {}, { resources: { limits: { cpu: '1' } } });
    }, 'kubectl-set', DEPLOYMENT);
    assert.deepEqual(fieldsOf(limited, 'kubectl-set'), {
      'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"app"}': { 'f:resources': { 'f:limits': { '.': {}, 'f:cpu': {} } } } } } } },
    });
    // The create's container item and lists: f:containers and f:template are in a zero Deployment.
    assert.deepEqual(fieldsOf(created, 'kubectl-create'), {
      'f:spec': {
        'f:selector': {},
        'f:template': {
          'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
          'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:name': {}, 'f:image': {} } } },
        },
      },
    });
  });

  it('a kind served like a custom resource has an empty zero value: f:spec is owned itself', () => {
    const obj = write(undefined, (o) => Object.assign(o, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 1 } }), 'kubectl-create', WIDGET);
    assert.deepEqual(fieldsOf(obj, 'kubectl-create'), { 'f:spec': { '.': {}, 'f:size': {} } });
  });

  it('a status write owns the lists and items it added, and only status', () => {
    const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x' }] }, status: { phase: 'Pending' } };
    const running = write(pod, (o) => {
      o['status'] = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], podIP: '10.0.0.5' };
    }, 'k8ts-agent', { group: '', version: 'v1', kind: 'Pod' }, 'status');
    assert.deepEqual(fieldsOf(running, 'k8ts-agent'), {
      'f:status': { 'f:phase': {}, 'f:podIP': {}, 'f:conditions': { '.': {}, 'k:{"type":"Ready"}': { '.': {}, 'f:type': {}, 'f:status': {} } } },
    });
    const ready = write(running, (o) => {
      o['status'] = { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }], podIP: '10.0.0.5' };
    }, 'other', { group: '', version: 'v1', kind: 'Pod' }, 'status');
    assert.deepEqual(fieldsOf(ready, 'other'), { 'f:status': { 'f:conditions': { 'k:{"type":"Ready"}': { 'f:status': {} } } } });
  });
});

describe('server-side apply ownership', () => {
  it('Apply owns leaves and list items only (no `.` for the maps it added)', () => {
    const out = serverSideApply({
      live: undefined, applied: configMap({ k: 'v' }, { a: '1' }), manager: 'kubectl', force: false, gvk: CONFIG_MAP, now: T0,
    });
    assert.deepEqual(fieldsOf(out, 'kubectl'), { 'f:data': { 'f:k': {} }, 'f:metadata': { 'f:labels': { 'f:a': {} } } });
  });

  it('an applied port without protocol is the live TCP port (list-map keys with the protocol default)', () => {
    const POD = { group: '', version: 'v1', kind: 'Pod' } as const;
    const pod = (ports: Record<string, unknown>[]): KubeObject => ({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x', ports }] },
    });
    const live = write(undefined, (o) => Object.assign(o, pod([{ containerPort: 53, protocol: 'UDP' }, { containerPort: 53, protocol: 'TCP' }])), 'kubectl-create', POD);
    const out = serverSideApply({ live, applied: pod([{ containerPort: 53, name: 'dns' }]), manager: 'kubectl', force: false, gvk: POD, now: T1 });
    const spec = out['spec'] as { containers: { ports: unknown[] }[] };
    assert.deepEqual(spec.containers[0]?.ports, [{ containerPort: 53, protocol: 'UDP' }, { containerPort: 53, protocol: 'TCP', name: 'dns' }]);
    assert.deepEqual(fieldsOf(out, 'kubectl'), {
      'f:spec': { 'f:containers': { 'k:{"name":"c"}': {
        '.': {}, 'f:name': {}, 'f:image': {},
        'f:ports': { 'k:{"containerPort":53,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:name': {} } },
      } } },
    });
  });

  it('an apply that removes a map another manager added does not conflict on it; the map leaves that manager', () => {
    // kubectl-label (Update) added the labels map; an applier that took over its only key then stops applying it.
    const live = write(undefined, (o) => Object.assign(o, configMap({ k: 'v' }, { a: '1' })), 'kubectl-label');
    const applied = serverSideApply({
      live, applied: configMap({ k: 'v2' }, { a: '2' }), manager: 'kubectl', force: true, gvk: CONFIG_MAP, now: T1,
    });
    // Only the maps themselves are left to it (a member without members below encodes as {}).
    assert.deepEqual(fieldsOf(applied, 'kubectl-label'), { 'f:data': {}, 'f:metadata': { 'f:labels': {} } });
    const dropped = serverSideApply({ live: applied, applied: configMap({ k: 'v2' }), manager: 'kubectl', force: false, gvk: CONFIG_MAP, now: T1 });
    assert.equal(dropped.metadata?.labels, undefined);
    assert.deepEqual(fieldsOf(dropped, 'kubectl-label'), { 'f:data': {} });
  });
});
