// managedFields through the registry's write path: recorded after defaulting and before admission,
// with the shapes a real 1.32 cluster shows for `kubectl run` and `kubectl create deployment`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { deploymentStrategy, podStrategy, serviceStrategy } from './kinds/index.js';
import { harness, WRITE } from './registry-fixtures.test.js';
import { admitPodWithAccount } from './service-account-admission.js';
import type { WriteHooks } from './write-hooks.js';

const done = (): Promise<void> => Promise.resolve();

/** What ServiceAccount and Priority admission add to a pod being created (the server's hooks, minus their lookups). */
const admissionHooks: WriteHooks = {
  beginCreate(obj) {
    const pod = obj as Pod;
    admitPodWithAccount(pod, { metadata: { name: 'default' } }, () => 'kube-api-access-8jjt2');
    Object.assign(pod.spec ?? {}, { priority: 0, preemptionPolicy: 'PreemptLowerPriority' });
    return Promise.resolve(done);
  },
};

function fieldsOf(obj: KubeObject, manager: string): unknown {
  return obj.metadata?.managedFields?.find((e) => e.manager === manager)?.fieldsV1;
}

/** `kubectl run p1 --image=nginx --port=8080` */
function kubectlRun(): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'p1', namespace: 'default', labels: { run: 'p1' } },
    spec: { containers: [{ name: 'p1', image: 'nginx', ports: [{ containerPort: 8080 }], resources: {} }], dnsPolicy: 'ClusterFirst', restartPolicy: 'Always' },
    status: {},
  };
}

/** `kubectl create deployment nginx --image=nginx` */
function kubectlCreateDeployment(): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'nginx', namespace: 'default', labels: { app: 'nginx' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'nginx' } },
      strategy: {},
      template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx', resources: {} }] } },
    },
    status: {},
  };
}

const container = {
  '.': {}, 'f:image': {}, 'f:imagePullPolicy': {}, 'f:name': {}, 'f:resources': {},
  'f:terminationMessagePath': {}, 'f:terminationMessagePolicy': {},
};
const podSpecDefaults = {
  'f:dnsPolicy': {}, 'f:restartPolicy': {}, 'f:schedulerName': {}, 'f:securityContext': {}, 'f:terminationGracePeriodSeconds': {},
};

describe('managedFields of ordinary writes', () => {
  it('kubectl run owns what it sent and the defaults, not what admission added', async () => {
    const { registry } = harness(podStrategy, { writeHooks: admissionHooks });
    const { object } = await registry.create('default', kubectlRun(), { ...WRITE, fieldManager: 'kubectl-run' });
    assert.deepEqual(fieldsOf(object, 'kubectl-run'), {
      'f:metadata': { 'f:labels': { '.': {}, 'f:run': {} } },
      'f:spec': {
        'f:containers': {
          'k:{"name":"p1"}': {
            ...container,
            // Keyed by upstream's list-map keys, the defaulted protocol included.
            'f:ports': { '.': {}, 'k:{"containerPort":8080,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} } },
          },
        },
        ...podSpecDefaults,
        'f:enableServiceLinks': {},
      },
    });
    // Admission did run: the stored pod has what nobody owns.
    const spec = (object as Pod).spec;
    assert.equal(spec?.serviceAccountName, 'default');
    assert.equal(spec?.volumes?.[0]?.name, 'kube-api-access-8jjt2');
    assert.equal(spec?.tolerations?.length, 2);
    assert.equal(spec?.priority, 0);
    assert.equal(object.metadata?.managedFields?.length, 1);
  });

  it('kubectl label owns only the label it added; a patch changing nothing stores nothing', async () => {
    const { registry, clock } = harness(podStrategy, { writeHooks: admissionHooks });
    const created = (await registry.create('default', kubectlRun(), { ...WRITE, fieldManager: 'kubectl-run' })).object;
    clock.advance(60_000);
    const labelled = (await registry.patch('default', 'p1', 'merge', { metadata: { labels: { tier: 'web' } } }, { ...WRITE, fieldManager: 'kubectl-label' })).object;
    assert.deepEqual(fieldsOf(labelled, 'kubectl-label'), { 'f:metadata': { 'f:labels': { 'f:tier': {} } } });
    assert.deepEqual(fieldsOf(labelled, 'kubectl-run'), fieldsOf(created, 'kubectl-run'));

    clock.advance(60_000);
    const again = (await registry.patch('default', 'p1', 'merge', { metadata: { labels: { tier: 'web' } } }, { ...WRITE, fieldManager: 'other' })).object;
    assert.equal(again.metadata?.resourceVersion, labelled.metadata?.resourceVersion);
    assert.deepEqual(again.metadata?.managedFields, labelled.metadata?.managedFields);
  });

  it('kubectl create deployment, then the controller annotating it, as a real cluster records them', async () => {
    const { registry, clock } = harness(deploymentStrategy);
    const created = (await registry.create('default', kubectlCreateDeployment(), { ...WRITE, fieldManager: 'kubectl-create' })).object;
    assert.deepEqual(fieldsOf(created, 'kubectl-create'), {
      'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
      'f:spec': {
        'f:progressDeadlineSeconds': {}, 'f:replicas': {}, 'f:revisionHistoryLimit': {}, 'f:selector': {},
        'f:strategy': { 'f:rollingUpdate': { '.': {}, 'f:maxSurge': {}, 'f:maxUnavailable': {} }, 'f:type': {} },
        'f:template': {
          'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
          'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': container }, ...podSpecDefaults },
        },
      },
    });

    clock.advance(1_000);
    const annotated = structuredClone(created);
    annotated.metadata = { ...annotated.metadata, annotations: { 'deployment.kubernetes.io/revision': '1' } };
    const { object } = await registry.update('default', 'nginx', annotated, { ...WRITE, fieldManager: 'kube-controller-manager' });
    assert.deepEqual(fieldsOf(object, 'kube-controller-manager'), { 'f:metadata': { 'f:annotations': { '.': {}, 'f:deployment.kubernetes.io/revision': {} } } });
    assert.deepEqual(fieldsOf(object, 'kubectl-create'), fieldsOf(created, 'kubectl-create'));
  });

  it('kubectl create service owns neither the ip families nor the cluster IP the REST layer fills', async () => {
    const { registry } = harness(serviceStrategy);
    const body: KubeObject = {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'default', labels: { app: 's' } },
      spec: { ports: [{ name: '80-8080', port: 80, protocol: 'TCP', targetPort: 8080 }], selector: { app: 's' }, type: 'ClusterIP' },
      status: { loadBalancer: {} },
    };
    const { object } = await registry.create('default', body, { ...WRITE, fieldManager: 'kubectl-create' });
    assert.deepEqual(fieldsOf(object, 'kubectl-create'), {
      'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
      'f:spec': {
        'f:internalTrafficPolicy': {},
        'f:ports': { '.': {}, 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:name': {}, 'f:port': {}, 'f:protocol': {}, 'f:targetPort': {} } },
        // A Service selector is an atomic map.
        'f:selector': {},
        'f:sessionAffinity': {},
        'f:type': {},
      },
    });
    assert.deepEqual((object['spec'] as { ipFamilies?: string[] }).ipFamilies, ['IPv4']);
  });
});
