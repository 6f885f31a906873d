import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GroupVersionKind, KubeObject } from '../../api/object.js';
import { BadRequestError } from '../../lib/errors.js';
import { FieldValidator } from '../openapi/field-validation.js';
import { InvalidError } from './api-errors.js';
import { bodyTypeError, goDecodeMessage } from './body-type-errors.js';
import { harness, pod, podStrategy, WRITE } from './registry-fixtures.test.js';
import { rolloutStrategy } from './kinds/index.js';

const validator = new FieldValidator();
const POD: GroupVersionKind = { group: '', version: 'v1', kind: 'Pod' };
const DEPLOYMENT: GroupVersionKind = { group: 'apps', version: 'v1', kind: 'Deployment' };
const CONFIG_MAP: GroupVersionKind = { group: '', version: 'v1', kind: 'ConfigMap' };

/** The Go decode message of the first wrongly typed field, or undefined when the body is fine. */
function decodeError(gvk: GroupVersionKind, obj: unknown): string | undefined {
  const [first] = validator.findings(gvk, obj).wrongType;
  return first === undefined ? undefined : goDecodeMessage(first);
}

function podWith(spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', ...metadata }, spec: { containers: [{ name: 'c', image: 'x' }], ...spec } };
}

function container(fields: Record<string, unknown>): KubeObject {
  return podWith({ containers: [{ name: 'c', image: 'x', ...fields }] });
}

describe('body type check', () => {
  it('accepts a well-typed pod, including nulls for optional fields', () => {
    assert.equal(decodeError(POD, podWith({ hostNetwork: true, priority: 5, nodeName: null, volumes: null }, { labels: { a: 'b' }, annotations: null })), undefined);
  });

  it('strings: a number where a string belongs', () => {
    assert.equal(decodeError(POD, podWith({ nodeName: 5 })), 'json: cannot unmarshal number into Go struct field PodSpec.spec.nodeName of type string');
  });

  it('integers: a string or a fraction where an integer belongs; int64 fields are named so', () => {
    assert.equal(decodeError(DEPLOYMENT, { spec: { replicas: '3' } }),
      'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32');
    assert.equal(decodeError(DEPLOYMENT, { spec: { replicas: 1.5 } }),
      'json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32');
    assert.equal(decodeError(POD, podWith({ terminationGracePeriodSeconds: true })),
      'json: cannot unmarshal bool into Go struct field PodSpec.spec.terminationGracePeriodSeconds of type int64');
    assert.equal(decodeError(DEPLOYMENT, { spec: { replicas: 3 } }), undefined);
  });

  it('booleans: a string where a bool belongs', () => {
    assert.equal(decodeError(POD, podWith({ hostNetwork: 'yes' })), 'json: cannot unmarshal string into Go struct field PodSpec.spec.hostNetwork of type bool');
  });

  it('maps: a non-object names the map type, a wrong value names the element type (no key in the path)', () => {
    assert.equal(decodeError(POD, podWith({}, { labels: 5 })),
      'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type map[string]string');
    assert.equal(decodeError(POD, podWith({}, { labels: { a: 1 } })),
      'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string');
    assert.equal(decodeError(CONFIG_MAP, { metadata: { name: 'c' }, data: { a: 1 } }),
      'json: cannot unmarshal number into Go struct field ConfigMap.data of type string');
    assert.equal(decodeError(CONFIG_MAP, { metadata: { name: 'c', annotations: [1] } }),
      'json: cannot unmarshal array into Go struct field ObjectMeta.metadata.annotations of type map[string]string');
  });

  it('objects and arrays of objects: the struct type, the slice type, nested fields without indices', () => {
    assert.equal(decodeError(POD, { metadata: 'x' }), 'json: cannot unmarshal string into Go struct field Pod.metadata of type v1.ObjectMeta');
    assert.equal(decodeError(POD, podWith({ containers: 'x' })),
      'json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container');
    assert.equal(decodeError(POD, podWith({ containers: [5, null] })),
      'json: cannot unmarshal number into Go struct field PodSpec.spec.containers of type v1.Container');
    assert.equal(decodeError(POD, container({ ports: [{ containerPort: '80' }] })),
      'json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32');
    assert.equal(decodeError(POD, container({ command: ['sh', 1] })),
      'json: cannot unmarshal number into Go struct field Container.spec.containers.command of type string');
    assert.equal(decodeError(POD, podWith({ containers: [null] })), undefined, 'a null item decodes to a zero Container');
  });

  it('int-or-string takes both forms and nothing else', () => {
    const probe = (port: unknown) => container({ readinessProbe: { httpGet: { port } } });
    assert.equal(decodeError(POD, probe(8080)), undefined);
    assert.equal(decodeError(POD, probe('http')), undefined);
    assert.equal(decodeError(POD, probe(true)),
      'json: cannot unmarshal bool into Go struct field HTTPGetAction.spec.containers.readinessProbe.httpGet.port of type intstr.IntOrString');
  });

  it('quantities take a string or a number', () => {
    const limits = (cpu: unknown) => container({ resources: { limits: { cpu } } });
    assert.equal(decodeError(POD, limits('100m')), undefined);
    assert.equal(decodeError(POD, limits(0.5)), undefined);
    assert.equal(decodeError(POD, limits([1])),
      'json: cannot unmarshal array into Go struct field ResourceRequirements.spec.containers.resources.limits of type resource.Quantity');
  });

  it('built-in kinds get 400 with the first error; custom resources 422 with every error', () => {
    const wrongType = validator.findings(DEPLOYMENT, { spec: { replicas: '3', paused: 1 } }).wrongType;
    const typed = bodyTypeError({ gvk: DEPLOYMENT, kind: { group: 'apps', kind: 'Deployment' }, name: 'web', typed: true, errors: wrongType });
    assert.ok(typed instanceof BadRequestError);
    assert.equal(typed.message,
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32');
    const rollout = { group: 'argoproj.io', version: 'v1alpha1', kind: 'Rollout' };
    assert.equal(validator.decodesTyped(rollout), false);
    assert.equal(validator.decodesTyped(DEPLOYMENT), true);
    const errors = validator.findings(rollout, { spec: { replicas: '3', revisionHistoryLimit: 2.5 } }).wrongType;
    const invalid = bodyTypeError({ gvk: rollout, kind: { group: 'argoproj.io', kind: 'Rollout' }, name: 'r', typed: false, errors });
    assert.ok(invalid instanceof InvalidError);
    assert.deepEqual(invalid.causes.map((c) => `${c.field}: ${c.message}`), [
      'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
      'spec.revisionHistoryLimit: Invalid value: "number": spec.revisionHistoryLimit in body must be of type integer: "number"',
    ]);
  });
});

describe('registry writes check body types', () => {
  it('create: 400 whatever fieldValidation says, and nothing is stored', async () => {
    const { registry, store } = harness(podStrategy, { fieldValidator: validator });
    const body = pod('p');
    (body.metadata as Record<string, unknown>)['labels'] = 5;
    for (const fieldValidation of ['Strict', 'Ignore'] as const) {
      await assert.rejects(registry.create('default', body, { ...WRITE, fieldValidation }), (e: unknown) => e instanceof BadRequestError &&
        e.message === 'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type map[string]string');
    }
    assert.equal(await store.currentRevision(), 0);
  });

  it('merge patch and update: the result is checked; the stored object is unchanged', async () => {
    const { registry } = harness(podStrategy, { fieldValidator: validator });
    const { object } = await registry.create('default', pod('p', { labels: { a: 'b' } }), WRITE);
    await assert.rejects(registry.patch('default', 'p', 'merge', { metadata: { labels: 5 } }, WRITE), BadRequestError);
    await assert.rejects(registry.update('default', 'p', { ...object, spec: { containers: 'x' } }, WRITE), BadRequestError);
    await assert.rejects(registry.patch('default', 'p', 'apply', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { a: 1 } } },
      { ...WRITE, fieldManager: 'm' }), BadRequestError);
    assert.deepEqual((await registry.get('default', 'p')).metadata?.labels, { a: 'b' });
  });

  it('custom resources: 422 Invalid', async () => {
    const { registry } = harness(rolloutStrategy, { fieldValidator: validator });
    const body: KubeObject = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'r', namespace: 'default' }, spec: { replicas: '3' } };
    await assert.rejects(registry.create('default', body, WRITE), (e: unknown) => e instanceof InvalidError &&
      e.message === 'Rollout.argoproj.io "r" is invalid: spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"');
  });
});
