import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../api/object.js';
import {
  builtinKinds,
  deploymentStrategy,
  eventStrategy,
  eventsV1EventStrategy,
  namespaceStrategy,
  nodeStrategy,
  podStrategy,
  replicaSetStrategy,
  rolloutStrategy,
  secretStrategy,
  statefulSetStrategy,
} from './index.js';

const byResource = (group: string, resource: string, version?: string) => {
  const found = builtinKinds.find((k) => k.info.group === group && k.info.resource === resource && (version === undefined || k.info.version === version));
  assert.ok(found, `${group}/${resource} is served`);
  return found;
};

void describe('builtinKinds discovery facts', () => {
  const expected: [group: string, resource: string, kind: string, namespaced: boolean, shortNames: string[], categories: string[]][] = [
    ['', 'pods', 'Pod', true, ['po'], ['all']],
    ['', 'services', 'Service', true, ['svc'], ['all']],
    ['apps', 'deployments', 'Deployment', true, ['deploy'], ['all']],
    ['apps', 'replicasets', 'ReplicaSet', true, ['rs'], ['all']],
    ['apps', 'daemonsets', 'DaemonSet', true, ['ds'], ['all']],
    ['apps', 'statefulsets', 'StatefulSet', true, ['sts'], ['all']],
    ['apps', 'controllerrevisions', 'ControllerRevision', true, [], []],
    ['batch', 'jobs', 'Job', true, [], ['all']],
    ['batch', 'cronjobs', 'CronJob', true, ['cj'], ['all']],
    ['', 'namespaces', 'Namespace', false, ['ns'], []],
    ['', 'nodes', 'Node', false, ['no'], []],
    ['', 'configmaps', 'ConfigMap', true, ['cm'], []],
    ['', 'secrets', 'Secret', true, [], []],
    ['', 'serviceaccounts', 'ServiceAccount', true, ['sa'], []],
    ['', 'endpoints', 'Endpoints', true, ['ep'], []],
    ['', 'events', 'Event', true, ['ev'], []],
    ['events.k8s.io', 'events', 'Event', true, ['ev'], []],
    ['coordination.k8s.io', 'leases', 'Lease', true, [], []],
    ['policy', 'poddisruptionbudgets', 'PodDisruptionBudget', true, ['pdb'], []],
    ['scheduling.k8s.io', 'priorityclasses', 'PriorityClass', false, ['pc'], []],
    ['discovery.k8s.io', 'endpointslices', 'EndpointSlice', true, [], []],
    ['gateway.networking.k8s.io', 'gatewayclasses', 'GatewayClass', false, ['gc'], ['gateway-api']],
    ['gateway.networking.k8s.io', 'gateways', 'Gateway', true, ['gtw'], ['gateway-api']],
    ['gateway.networking.k8s.io', 'httproutes', 'HTTPRoute', true, [], ['gateway-api']],
    ['gateway.networking.k8s.io', 'referencegrants', 'ReferenceGrant', true, ['refgrant'], ['gateway-api']],
  ];
  for (const [group, resource, kind, namespaced, shortNames, categories] of expected) {
    void it(`${group || 'core'}/${resource}`, () => {
      const { info } = byResource(group, resource);
      assert.equal(info.kind, kind);
      assert.equal(info.listKind, `${kind}List`);
      assert.equal(info.version, 'v1');
      assert.equal(info.namespaced, namespaced);
      assert.deepEqual(info.shortNames, shortNames);
      assert.deepEqual(info.categories, categories);
      assert.equal(info.singular, resource === 'endpoints' ? 'endpoints' : kind.toLowerCase());
    });
  }

  const argo: [resource: string, kind: string, namespaced: boolean, shortNames: string[]][] = [
    ['rollouts', 'Rollout', true, ['ro']],
    ['analysistemplates', 'AnalysisTemplate', true, ['at']],
    ['clusteranalysistemplates', 'ClusterAnalysisTemplate', false, ['cat']],
    ['analysisruns', 'AnalysisRun', true, ['ar']],
  ];
  for (const [resource, kind, namespaced, shortNames] of argo) {
    void it(`argoproj.io/${resource}`, () => {
      const { info } = byResource('argoproj.io', resource);
      assert.deepEqual(
        [info.kind, info.listKind, info.version, info.namespaced, info.shortNames, info.categories, info.singular, info.tracksGeneration],
        [kind, `${kind}List`, 'v1alpha1', namespaced, shortNames, [], kind.toLowerCase(), true],
      );
    });
  }

  void it('gives Rollouts a scale subresource over status.HPAReplicas and the string status.selector', () => {
    assert.deepEqual(rolloutStrategy.info.subresources.scale, {
      specReplicasPath: 'spec.replicas',
      statusReplicasPath: 'status.HPAReplicas',
      labelSelectorPath: 'status.selector',
    });
  });

  void it('autoscaling/v2 horizontalpodautoscalers (hpa), also seen through autoscaling/v1 on the same storage', () => {
    const v2 = byResource('autoscaling', 'horizontalpodautoscalers', 'v2').info;
    assert.deepEqual(
      [v2.kind, v2.listKind, v2.namespaced, v2.shortNames, v2.categories, v2.singular, v2.subresources, v2.tracksGeneration],
      ['HorizontalPodAutoscaler', 'HorizontalPodAutoscalerList', true, ['hpa'], ['all'], 'horizontalpodautoscaler', { status: true }, true],
    );
    const v1 = byResource('autoscaling', 'horizontalpodautoscalers', 'v1');
    assert.deepEqual({ ...v1.info, version: 'v2' }, v2);
    assert.deepEqual([v1.storage?.group, v1.storage?.resource], ['autoscaling', 'horizontalpodautoscalers']);
  });

  void it('serves each group/version/resource once', () => {
    const keys = builtinKinds.map((k) => `${k.info.group}/${k.info.version}/${k.info.resource}`);
    assert.equal(new Set(keys).size, keys.length);
    assert.equal(keys.length, 31);
  });

  void it('declares the status and scale subresources and generation tracking', () => {
    const withStatus = builtinKinds.filter((k) => k.info.subresources.status).map((k) => k.info.resource).sort();
    assert.deepEqual(withStatus, [
      'analysisruns', 'cronjobs', 'daemonsets', 'deployments', 'gatewayclasses', 'gateways', 'horizontalpodautoscalers', 'horizontalpodautoscalers',
      'httproutes', 'jobs', 'namespaces', 'nodes',
      'poddisruptionbudgets', 'pods', 'replicasets', 'rollouts', 'services', 'statefulsets',
    ]);
    for (const s of [deploymentStrategy, replicaSetStrategy, statefulSetStrategy]) {
      assert.deepEqual(s.info.subresources.scale, {
        specReplicasPath: 'spec.replicas',
        statusReplicasPath: 'status.replicas',
        labelSelectorPath: 'spec.selector',
      });
      assert.equal(s.info.tracksGeneration, true);
    }
    assert.equal(podStrategy.info.tracksGeneration, false);
    assert.equal(nodeStrategy.keepsStatusOnCreate, true);
    assert.equal(podStrategy.keepsStatusOnCreate, undefined);
  });

  void it('has tables whose rows fit their columns', () => {
    for (const kind of builtinKinds) {
      const cells = kind.table.cells({ metadata: { name: 'x' } }, new Date());
      assert.equal(cells.length, kind.table.columns.length, kind.info.resource);
      assert.equal(kind.table.columns.filter((c) => c.format === 'name').length, 1, kind.info.resource);
    }
  });
});

void describe('field selectors', () => {
  const pod: KubeObject = {
    metadata: { name: 'p' },
    spec: { nodeName: 'n1', restartPolicy: 'Always', schedulerName: 'default-scheduler', serviceAccountName: 'default', containers: [] },
    status: { phase: 'Running', podIP: '10.1.0.5', podIPs: [{ ip: '10.1.0.5' }] },
  };

  void it('reads pod fields with Go zero values', () => {
    const f = podStrategy.fieldSelectors;
    assert.deepEqual(Object.keys(f).sort(), [
      'spec.hostNetwork',
      'spec.nodeName',
      'spec.restartPolicy',
      'spec.schedulerName',
      'spec.serviceAccountName',
      'status.nominatedNodeName',
      'status.phase',
      'status.podIP',
    ]);
    assert.equal(f['spec.nodeName']?.(pod), 'n1');
    assert.equal(f['spec.hostNetwork']?.(pod), 'false');
    assert.equal(f['status.phase']?.(pod), 'Running');
    assert.equal(f['status.podIP']?.(pod), '10.1.0.5');
    assert.equal(f['status.nominatedNodeName']?.(pod), '');
    assert.equal(f['spec.nodeName']?.({ metadata: { name: 'q' } }), '');
  });

  void it('reads the other kinds', () => {
    const event: KubeObject = {
      involvedObject: { kind: 'Deployment', name: 'web', namespace: 'default', uid: 'u1' },
      reason: 'ScalingReplicaSet',
      source: {},
      reportingComponent: 'deployment-controller',
      type: 'Normal',
    };
    assert.equal(eventStrategy.fieldSelectors['involvedObject.kind']?.(event), 'Deployment');
    assert.equal(eventStrategy.fieldSelectors['involvedObject.uid']?.(event), 'u1');
    assert.equal(eventStrategy.fieldSelectors['involvedObject.fieldPath']?.(event), '');
    assert.equal(eventStrategy.fieldSelectors.source?.(event), 'deployment-controller');
    assert.equal(eventStrategy.fieldSelectors.source?.({ ...event, source: { component: 'kubelet' } }), 'kubelet');
    assert.equal(eventsV1EventStrategy.fieldSelectors['regarding.name']?.({ regarding: { name: 'web' } }), 'web');
    assert.equal(eventsV1EventStrategy.fieldSelectors.reportingController?.({ reportingController: 'c' }), 'c');
    assert.equal(nodeStrategy.fieldSelectors['spec.unschedulable']?.({ spec: {} }), 'false');
    assert.equal(nodeStrategy.fieldSelectors['spec.unschedulable']?.({ spec: { unschedulable: true } }), 'true');
    assert.equal(secretStrategy.fieldSelectors.type?.({ type: 'Opaque' }), 'Opaque');
    assert.equal(namespaceStrategy.fieldSelectors['status.phase']?.({ status: { phase: 'Active' } }), 'Active');
    assert.equal(replicaSetStrategy.fieldSelectors['status.replicas']?.({ status: { replicas: 3 } }), '3');
    assert.equal(replicaSetStrategy.fieldSelectors['status.replicas']?.({}), '0');
    assert.deepEqual(deploymentStrategy.fieldSelectors, {});
  });
});

void describe('pod strategy hooks', () => {
  void it('starts pods Pending with their QoS class', () => {
    const pod: KubeObject = {
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'a', image: 'x', resources: { limits: { cpu: '1', memory: '1Gi' } } }] },
      status: { phase: 'Running' },
    };
    podStrategy.prepareForCreate?.(pod);
    assert.deepEqual(pod.status, { phase: 'Pending', qosClass: 'Guaranteed' });
    const plain: KubeObject = { spec: { containers: [{ name: 'a', image: 'x' }] } };
    podStrategy.prepareForCreate?.(plain);
    assert.deepEqual(plain.status, { phase: 'Pending', qosClass: 'BestEffort' });
  });

  void it('marks gated pods as not scheduled', () => {
    const pod: KubeObject = { spec: { containers: [{ name: 'a', image: 'x' }], schedulingGates: [{ name: 'wait' }] } };
    podStrategy.prepareForCreate?.(pod);
    assert.deepEqual((pod.status as { conditions?: unknown }).conditions, [
      { type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' },
    ]);
  });

  void it('computes the deletion grace period like upstream', () => {
    const grace = (obj: KubeObject, requested: number | undefined): number | undefined =>
      podStrategy.deletionGracePeriodSeconds?.(obj, requested);
    const bound = (extra: Record<string, unknown> = {}, phase = 'Running'): KubeObject => ({
      spec: { nodeName: 'n1', containers: [], ...extra },
      status: { phase },
    });
    assert.equal(grace({ spec: { containers: [] }, status: { phase: 'Pending' } }, 30), 0);
    assert.equal(grace(bound({}, 'Succeeded'), 30), 0);
    assert.equal(grace(bound({}, 'Failed'), undefined), 0);
    assert.equal(grace(bound(), 5), 5);
    assert.equal(grace(bound(), 0), 0);
    assert.equal(grace(bound({ terminationGracePeriodSeconds: 12 }), undefined), 12);
    assert.equal(grace(bound(), undefined), 30);
    assert.equal(grace(bound(), -3), 1);
  });
});
