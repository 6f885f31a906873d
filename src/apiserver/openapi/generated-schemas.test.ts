import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { generateSchemas, renderSchemas, SCHEMAS_FILE } from '../../../scripts/generate-openapi.js';

const schemas = generateSchemas();

void test('the committed schemas.json is what the generator produces (regenerate with scripts/generate-openapi.ts)', () => {
  const committed = readFileSync(SCHEMAS_FILE, 'utf8');
  assert.ok(committed === renderSchemas(schemas), 'src/apiserver/openapi/generated/schemas.json is stale: run node --import tsx scripts/generate-openapi.ts');
});

void test('top-level kinds carry their group-version-kind; nested types do not', () => {
  assert.deepEqual(schemas['io.k8s.api.apps.v1.Deployment']?.['x-kubernetes-group-version-kind'], [{ group: 'apps', version: 'v1', kind: 'Deployment' }]);
  assert.deepEqual(schemas['io.k8s.api.core.v1.Pod']?.['x-kubernetes-group-version-kind'], [{ group: '', version: 'v1', kind: 'Pod' }]);
  assert.deepEqual(schemas['io.k8s.api.events.v1.Event']?.['x-kubernetes-group-version-kind'], [{ group: 'events.k8s.io', version: 'v1', kind: 'Event' }]);
  assert.equal(schemas['io.k8s.api.apps.v1.DeploymentSpec']?.['x-kubernetes-group-version-kind'], undefined);
});

void test('module names map to upstream package names, with special string formats', () => {
  // Upstream's v3 shapes: kubectl explain prints <IntOrString> and map[string]Quantity for them.
  const intOrString = schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString']!;
  assert.deepEqual([intOrString.oneOf, intOrString.format, intOrString['x-kubernetes-int-or-string'], intOrString.type],
    [[{ type: 'integer' }, { type: 'string' }], 'int-or-string', true, undefined]);
  const quantity = schemas['io.k8s.apimachinery.pkg.api.resource.Quantity']!;
  assert.deepEqual([quantity.oneOf, quantity.format, quantity.type], [[{ type: 'string' }, { type: 'number' }], 'quantity', undefined]);
  assert.equal(schemas['io.k8s.apimachinery.pkg.apis.meta.v1.Time']?.format, 'date-time');
  assert.equal(schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']?.type, 'object');
  assert.ok(schemas['io.k8s.api.autoscaling.v1.Scale']);
});

void test('properties keep descriptions, required lists, refs, arrays and maps', () => {
  const spec = schemas['io.k8s.api.apps.v1.DeploymentSpec']!;
  assert.deepEqual(spec.required, ['selector', 'template']);
  const props = spec.properties as Record<string, Record<string, unknown>>;
  assert.deepEqual(props.template?.allOf, [{ $ref: '#/components/schemas/io.k8s.api.core.v1.PodTemplateSpec' }]);
  assert.match(String(props.replicas?.description), /desired pods/);
  assert.equal(props.replicas?.type, 'integer');
  const podSpec = schemas['io.k8s.api.core.v1.PodSpec']!.properties as Record<string, Record<string, unknown>>;
  assert.deepEqual(podSpec.containers?.items, { $ref: '#/components/schemas/io.k8s.api.core.v1.Container' });
  assert.equal(podSpec.containers?.type, 'array');
  assert.deepEqual(podSpec.nodeSelector?.additionalProperties, { type: 'string' });
  const maxSurge = (schemas['io.k8s.api.apps.v1.RollingUpdateDeployment']!.properties as Record<string, Record<string, unknown>>).maxSurge;
  assert.deepEqual(maxSurge?.allOf, [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString' }]);
});

void test('every $ref points at a generated schema (the closure is complete) and unrelated kinds are left out', () => {
  const refs = [...JSON.stringify(schemas).matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
  assert.ok(refs.length > 100);
  for (const ref of refs) assert.ok(ref in schemas, `dangling $ref ${ref}`);
  assert.equal(schemas['io.k8s.api.networking.v1.NetworkPolicy'], undefined);
  assert.equal(schemas['io.k8s.api.networking.v1.Ingress'], undefined);
});

void test('serves apps/v1 DaemonSet, StatefulSet and ControllerRevision, with opaque revision data', () => {
  for (const kind of ['DaemonSet', 'DaemonSetList', 'StatefulSet', 'StatefulSetList', 'ControllerRevision', 'ControllerRevisionList']) {
    assert.deepEqual(schemas[`io.k8s.api.apps.v1.${kind}`]?.['x-kubernetes-group-version-kind'], [{ group: 'apps', version: 'v1', kind }]);
  }
  const props = (name: string): Record<string, Record<string, unknown>> => schemas[name]!.properties as Record<string, Record<string, unknown>>;
  assert.deepEqual(props('io.k8s.api.apps.v1.StatefulSetSpec').volumeClaimTemplates?.items, { $ref: '#/components/schemas/io.k8s.api.core.v1.PersistentVolumeClaim' });
  assert.deepEqual(props('io.k8s.api.apps.v1.DaemonSetStatus').conditions?.['x-kubernetes-patch-merge-key'], 'type');
  assert.deepEqual(props('io.k8s.api.apps.v1.ControllerRevision').data?.allOf, [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.runtime.RawExtension' }]);
  assert.equal(schemas['io.k8s.apimachinery.pkg.runtime.RawExtension']?.properties, undefined);
});

void test('serves batch/v1 Job and CronJob, with their pod templates tagged for strategic merge', () => {
  assert.deepEqual(schemas['io.k8s.api.batch.v1.CronJob']?.['x-kubernetes-group-version-kind'], [{ group: 'batch', version: 'v1', kind: 'CronJob' }]);
  const jobSpec = schemas['io.k8s.api.batch.v1.JobSpec']!.properties as Record<string, Record<string, unknown>>;
  assert.deepEqual(jobSpec.template?.allOf, [{ $ref: '#/components/schemas/io.k8s.api.core.v1.PodTemplateSpec' }]);
  const jobStatus = schemas['io.k8s.api.batch.v1.JobStatus']!.properties as Record<string, Record<string, unknown>>;
  assert.deepEqual([jobStatus.conditions?.['x-kubernetes-patch-merge-key'], jobStatus.conditions?.['x-kubernetes-patch-strategy']], ['type', 'merge']);
});

void test('strategic-merge tags from src/api/patch-meta.ts are on the properties they belong to', () => {
  const props = (name: string): Record<string, Record<string, unknown>> => schemas[name]!.properties as Record<string, Record<string, unknown>>;
  const containers = props('io.k8s.api.core.v1.PodSpec').containers!;
  assert.deepEqual([containers['x-kubernetes-patch-merge-key'], containers['x-kubernetes-patch-strategy']], ['name', 'merge']);
  assert.equal(props('io.k8s.api.core.v1.PodSpec').volumes!['x-kubernetes-patch-strategy'], 'merge,retainKeys');
  assert.equal(props('io.k8s.api.core.v1.Container').ports!['x-kubernetes-patch-merge-key'], 'containerPort');
  assert.equal(props('io.k8s.api.apps.v1.DeploymentSpec').strategy!['x-kubernetes-patch-strategy'], 'retainKeys');
  assert.equal(props('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta').ownerReferences!['x-kubernetes-patch-merge-key'], 'uid');
  assert.equal(props('io.k8s.api.core.v1.PodSpec').tolerations!['x-kubernetes-patch-merge-key'], undefined, 'untagged lists stay untagged');
});

void test('our own kinds (src/api/gateway) get CRD-style schemas: reversed-group names, GVK, enums inlined', () => {
  const route = schemas['io.k8s.networking.gateway.v1.HTTPRoute']!;
  assert.deepEqual(route['x-kubernetes-group-version-kind'], [{ group: 'gateway.networking.k8s.io', version: 'v1', kind: 'HTTPRoute' }]);
  assert.deepEqual(route.required, ['spec']);
  const path = schemas['io.k8s.networking.gateway.v1.HTTPPathMatch']!.properties as Record<string, Record<string, unknown>>;
  assert.deepEqual(path.type?.enum, ['Exact', 'PathPrefix', 'RegularExpression']);
  const redirect = schemas['io.k8s.networking.gateway.v1.HTTPRequestRedirectFilter']!.properties as Record<string, Record<string, unknown>>;
  assert.deepEqual([redirect.statusCode?.type, redirect.statusCode?.enum], ['integer', [301, 302, 303, 307, 308]]);
  const spec = schemas['io.k8s.networking.gateway.v1.GatewaySpec']!.properties as Record<string, Record<string, unknown>>;
  assert.deepEqual(spec.listeners?.items, { $ref: '#/components/schemas/io.k8s.networking.gateway.v1.Listener' });
  // Imports from kubernetes-types resolve to the upstream meta types.
  const status = schemas['io.k8s.networking.gateway.v1.GatewayStatus']!.properties as Record<string, Record<string, unknown>>;
  assert.deepEqual(status.conditions?.items, { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Condition' });
  assert.ok(schemas['io.k8s.networking.gateway.v1.ReferenceGrant']);
});

void test('serves autoscaling/v2 HorizontalPodAutoscaler (and its v1 view), behavior included', () => {
  for (const [version, kind] of [['v2', 'HorizontalPodAutoscaler'], ['v2', 'HorizontalPodAutoscalerList'], ['v1', 'HorizontalPodAutoscaler']] as const) {
    assert.deepEqual(schemas[`io.k8s.api.autoscaling.${version}.${kind}`]?.['x-kubernetes-group-version-kind'], [{ group: 'autoscaling', version, kind }]);
  }
  const spec = schemas['io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec']!.properties as Record<string, Record<string, unknown>>;
  assert.deepEqual(spec.behavior?.allOf, [{ $ref: '#/components/schemas/io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerBehavior' }]);
});
