import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ControllerRevision } from 'kubernetes-types/apps/v1.js';
import { statefulSetPatch, templateOfRevision } from './revision-data.js';
import { statefulSet } from './stateful-set-harness.fixture.js';

describe('revision data', () => {
  it('is a template-replacing strategic merge patch with every key sorted, as Go marshals a map', () => {
    const set = statefulSet({
      template: {
        metadata: { labels: { tier: 'front', app: 'web' }, annotations: { b: '2', a: '1' } },
        spec: { terminationGracePeriodSeconds: 30, containers: [{ name: 'c', image: 'nginx', resources: { limits: { memory: '1Gi' } } }] },
      },
    });
    assert.equal(JSON.stringify(statefulSetPatch(set)),
      '{"spec":{"template":{"$patch":"replace",'
      + '"metadata":{"annotations":{"a":"1","b":"2"},"creationTimestamp":null,"labels":{"app":"web","tier":"front"}},'
      + '"spec":{"containers":[{"image":"nginx","name":"c","resources":{"limits":{"memory":"1Gi"}}}],"terminationGracePeriodSeconds":30}}}}');
  });

  it('has the fields Go\'s typed encoding always writes, wherever they are', () => {
    const set = statefulSet({
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          initContainers: [{ name: 'init', image: 'busybox' }],
          containers: [{
            name: 'c', image: 'nginx',
            readinessProbe: { grpc: { port: 9000 } },
            env: [{ name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory' } } }],
          }],
        },
      },
    });
    const template = (statefulSetPatch(set) as { spec: { template: { spec: Record<string, any> } } }).spec.template.spec;
    assert.deepEqual(template.initContainers[0].resources, {});
    assert.deepEqual(template.containers[0].resources, {});
    assert.deepEqual(template.containers[0].readinessProbe.grpc, { port: 9000, service: null });
    assert.deepEqual(template.containers[0].env[0].valueFrom.resourceFieldRef, { divisor: '0', resource: 'limits.memory' });
  });

  it('drops what Go drops: empty maps, empty optional lists, nulls; keeps empty structs', () => {
    const set = statefulSet({
      template: {
        metadata: { labels: { app: 'web' }, annotations: {} },
        spec: {
          nodeSelector: {}, tolerations: [], securityContext: {},
          containers: [{ name: 'c', image: 'nginx', env: [], resources: { limits: {} } }],
          volumes: [{ name: 'v', emptyDir: {} }],
        },
      },
    });
    assert.equal(JSON.stringify(statefulSetPatch(set)),
      '{"spec":{"template":{"$patch":"replace","metadata":{"creationTimestamp":null,"labels":{"app":"web"}},'
      + '"spec":{"containers":[{"image":"nginx","name":"c","resources":{}}],"securityContext":{},'
      + '"volumes":[{"emptyDir":{},"name":"v"}]}}}}');
  });

  it('does not change the set it was made from', () => {
    const set = statefulSet();
    const before = JSON.stringify(set);
    statefulSetPatch(set);
    assert.equal(JSON.stringify(set), before);
  });

  it('restores the recorded template without the directive; foreign data restores nothing', () => {
    const old = statefulSet({ template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } } });
    const revision: ControllerRevision = { revision: 1, data: statefulSetPatch(old) };
    const now = statefulSet({ template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } });
    const restored = templateOfRevision(revision, now);
    assert.equal(restored.spec?.containers[0]?.image, 'nginx:1');
    assert.equal('$patch' in restored, false);
    assert.equal(templateOfRevision({ revision: 1, data: { other: true } }, now).spec?.containers[0]?.image, 'nginx:2');
  });
});
