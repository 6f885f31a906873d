// core/v1 Pod. Status starts as Pending with its QoS class; graceful deletion applies only to pods
// a node agent is running (the agent finishes the deletion after stopping the containers).
import type { Pod } from 'kubernetes-types/core/v1.js';
import { admitPod, defaultPod } from '../../../api/defaults/pod.js';
import type { KubeObject } from '../../../api/object.js';
import { computeQosClass } from '../../../api/pod-qos.js';
import { validatePod } from '../../../api/validation/pod.js';
import { podTable } from '../../tables/pod-table.js';
import type { ResourceStrategy } from '../strategy.js';
import { pathField } from './field-value.js';

/** Upstream's default terminationGracePeriodSeconds. */
const DEFAULT_GRACE_SECONDS = 30;

function prepareForCreate(obj: KubeObject): void {
  const pod = obj as Pod;
  const status: Record<string, unknown> = { phase: 'Pending', qosClass: computeQosClass(pod.spec) };
  // A gated pod says why it is not being scheduled from the start.
  if ((pod.spec?.schedulingGates ?? []).length > 0) {
    status.conditions = [
      { type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' },
    ];
  }
  obj.status = status;
}

function deletionGracePeriodSeconds(obj: KubeObject, requested: number | undefined): number {
  const pod = obj as Pod;
  // Nothing runs an unbound or finished pod, so there is nobody to wait for.
  if (!pod.spec?.nodeName) return 0;
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return 0;
  const period = requested ?? pod.spec.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;
  return period < 0 ? 1 : period;
}

export const podStrategy: ResourceStrategy = {
  info: {
    group: '',
    version: 'v1',
    kind: 'Pod',
    listKind: 'PodList',
    resource: 'pods',
    singular: 'pod',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    subresources: { status: true },
    tracksGeneration: false,
  },
  defaults: defaultPod,
  admit: admitPod,
  validate: validatePod,
  prepareForCreate,
  deletionGracePeriodSeconds,
  table: podTable,
  fieldSelectors: {
    'spec.nodeName': pathField('spec.nodeName'),
    'spec.restartPolicy': pathField('spec.restartPolicy'),
    'spec.schedulerName': pathField('spec.schedulerName'),
    'spec.serviceAccountName': pathField('spec.serviceAccountName'),
    'spec.hostNetwork': pathField('spec.hostNetwork', 'false'),
    'status.phase': pathField('status.phase'),
    // Upstream selects on the first of status.podIPs.
    'status.podIP': (obj) => (obj as Pod).status?.podIPs?.[0]?.ip ?? (obj as Pod).status?.podIP ?? '',
    'status.nominatedNodeName': pathField('status.nominatedNodeName'),
  },
};
