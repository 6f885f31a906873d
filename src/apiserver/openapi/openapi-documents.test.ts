import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { KindInfo } from '../../api/kind-info.js';
import { OpenApiDocuments } from './openapi-documents.js';

function kind(group: string, version: string, kindName: string, resource: string, extra: Partial<KindInfo> = {}): KindInfo {
  return {
    group, version, kind: kindName, listKind: `${kindName}List`, resource, singular: kindName.toLowerCase(),
    namespaced: true, shortNames: [], categories: [], subresources: { status: false }, tracksGeneration: false, ...extra,
  };
}

const scale = { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector' };

const SERVED: readonly KindInfo[] = [
  kind('', 'v1', 'Namespace', 'namespaces', { namespaced: false, subresources: { status: true } }),
  kind('', 'v1', 'Pod', 'pods', { subresources: { status: true } }),
  kind('', 'v1', 'Node', 'nodes', { namespaced: false, subresources: { status: true } }),
  kind('', 'v1', 'Service', 'services', { subresources: { status: true } }),
  kind('', 'v1', 'Endpoints', 'endpoints', { listKind: 'EndpointsList' }),
  kind('', 'v1', 'ConfigMap', 'configmaps'),
  kind('', 'v1', 'Secret', 'secrets'),
  kind('', 'v1', 'ServiceAccount', 'serviceaccounts'),
  kind('', 'v1', 'Event', 'events'),
  kind('apps', 'v1', 'Deployment', 'deployments', { subresources: { status: true, scale } }),
  kind('apps', 'v1', 'ReplicaSet', 'replicasets', { subresources: { status: true, scale } }),
  kind('coordination.k8s.io', 'v1', 'Lease', 'leases'),
  kind('events.k8s.io', 'v1', 'Event', 'events'),
  kind('discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices'),
];

type Doc = {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, { parameters?: { name: string }[]; 'x-kubernetes-group-version-kind'?: unknown; 'x-kubernetes-action'?: string; operationId?: string; responses?: Record<string, { content?: Record<string, { schema: unknown }> }> }>>;
  components: { schemas: Record<string, Record<string, unknown>> };
};

const docs = new OpenApiDocuments({ kinds: SERVED });

function parsed(path: string): Doc {
  const doc = docs.groupVersion(path);
  assert.ok(doc, `no document for ${path}`);
  return JSON.parse(doc.body) as Doc;
}

void test('root lists every served group-version with a hash of its body', () => {
  const root = docs.root();
  assert.deepEqual(Object.keys(root.paths).sort(),
    ['api/v1', 'apis/apps/v1', 'apis/coordination.k8s.io/v1', 'apis/discovery.k8s.io/v1', 'apis/events.k8s.io/v1']);
  const apps = docs.groupVersion('apis/apps/v1')!;
  assert.equal(apps.hash, createHash('sha256').update(apps.body).digest('hex').toUpperCase());
  assert.equal(root.paths['apis/apps/v1']?.serverRelativeURL, `/openapi/v3/apis/apps/v1?hash=${apps.hash}`);
  assert.equal(docs.groupVersion('apis/batch/v1'), undefined);
  assert.equal(docs.groupVersion('apis/apps/v1'), apps, 'serialized once and cached');
});

void test('every kind has a PATCH operation with fieldValidation and its own group-version-kind', () => {
  for (const info of SERVED) {
    const prefix = info.group === '' ? `api/${info.version}` : `apis/${info.group}/${info.version}`;
    const doc = parsed(prefix);
    const item = info.namespaced ? `/${prefix}/namespaces/{namespace}/${info.resource}/{name}` : `/${prefix}/${info.resource}/{name}`;
    const patch = doc.paths[item]?.patch;
    assert.ok(patch, `no patch at ${item}`);
    assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: info.group, version: info.version, kind: info.kind });
    assert.equal(patch['x-kubernetes-action'], 'patch');
    const names = (patch.parameters ?? []).map((p) => p.name);
    assert.ok(names.includes('fieldValidation') && names.includes('force') && names.includes('fieldManager'), `${item}: ${names.join(',')}`);
    // The kind's own schema is in the components of its group-version doc, tagged with the same GVK.
    const tagged = Object.values(doc.components.schemas).filter((s) =>
      isDeepStrictEqual(s['x-kubernetes-group-version-kind'], [{ group: info.group, version: info.version, kind: info.kind }]));
    assert.equal(tagged.length, 1, `${info.kind} schema in ${prefix}`);
  }
});

void test('apps/v1 has upstream-style collection, item and subresource paths', () => {
  const doc = parsed('apis/apps/v1');
  assert.equal(doc.openapi, '3.0.0');
  assert.deepEqual(doc.info, { title: 'Kubernetes', version: 'v1.32.0' });
  const base = '/apis/apps/v1/namespaces/{namespace}/deployments';
  assert.deepEqual(Object.keys(doc.paths[base]!).filter((k) => k !== 'parameters').sort(), ['delete', 'get', 'post']);
  assert.equal(doc.paths[base]!.get!.operationId, 'listAppsV1NamespacedDeployment');
  assert.equal(doc.paths[base]!.delete!['x-kubernetes-action'], 'deletecollection');
  assert.deepEqual(Object.keys(doc.paths[`${base}/{name}`]!).filter((k) => k !== 'parameters').sort(), ['delete', 'get', 'patch', 'put']);
  assert.ok(doc.paths[`${base}/{name}/status`]?.put);
  const scalePatch = doc.paths[`${base}/{name}/scale`]?.patch;
  assert.deepEqual(scalePatch?.['x-kubernetes-group-version-kind'], { group: 'autoscaling', version: 'v1', kind: 'Scale' });
  assert.ok(doc.components.schemas['io.k8s.api.autoscaling.v1.Scale']);
  assert.ok(doc.paths['/apis/apps/v1/deployments']?.get, 'list across namespaces');
  assert.deepEqual(doc.paths[`${base}/{name}`]!.get!.responses?.['200']?.content?.['application/json']?.schema,
    { $ref: '#/components/schemas/io.k8s.api.apps.v1.Deployment' });
  assert.equal(doc.components.schemas['io.k8s.api.core.v1.Node'], undefined, 'only the closure of apps/v1 paths');
});

void test('cluster-scoped kinds have no namespace segment', () => {
  const doc = parsed('api/v1');
  assert.ok(doc.paths['/api/v1/nodes/{name}/status']?.patch);
  assert.ok(doc.paths['/api/v1/namespaces/{name}']?.get);
  assert.equal(doc.paths['/api/v1/namespaces/{namespace}/nodes'], undefined);
  assert.equal(doc.paths['/api/v1/namespaces/{namespace}/pods/{name}']?.get?.operationId, 'readCoreV1NamespacedPod');
});

void test('Deployment schema resolves spec.template.spec.containers items to Container with image described', () => {
  const schemas = parsed('apis/apps/v1').components.schemas;
  const follow = (schemaName: string, field: string): Record<string, unknown> => {
    const props = schemas[schemaName]?.properties as Record<string, { allOf?: { $ref: string }[]; $ref?: string }> | undefined;
    const prop = props?.[field];
    assert.ok(prop, `${schemaName}.${field}`);
    return prop;
  };
  const refName = (s: Record<string, unknown>): string =>
    String(((s.allOf as { $ref: string }[] | undefined)?.[0]?.$ref ?? s.$ref)).replace('#/components/schemas/', '');
  const spec = refName(follow('io.k8s.api.apps.v1.Deployment', 'spec'));
  const template = refName(follow(spec, 'template'));
  const podSpec = refName(follow(template, 'spec'));
  const containers = follow(podSpec, 'containers');
  const container = refName(containers.items as Record<string, unknown>);
  assert.equal(container, 'io.k8s.api.core.v1.Container');
  assert.match(String(follow(container, 'image').description), /Container image name/);
  assert.ok((schemas[container]?.required as string[]).includes('name'));
});

void test('a kind without a schema still gets paths (GVK + fieldValidation) with an open object body', () => {
  const widgets = new OpenApiDocuments({ kinds: [kind('example.com', 'v1', 'Widget', 'widgets')] });
  const doc = JSON.parse(widgets.groupVersion('apis/example.com/v1')!.body) as Doc;
  const patch = doc.paths['/apis/example.com/v1/namespaces/{namespace}/widgets/{name}']?.patch;
  assert.deepEqual(patch?.['x-kubernetes-group-version-kind'], { group: 'example.com', version: 'v1', kind: 'Widget' });
  assert.deepEqual(doc.paths['/apis/example.com/v1/namespaces/{namespace}/widgets/{name}']?.get?.responses?.['200']?.content?.['application/json']?.schema, { type: 'object' });
});
