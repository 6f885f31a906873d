// Builders of Nodes and Pods for the scheduler's tests and benchmark.
import type { Container, Node, Pod, PodSpec, Taint } from 'kubernetes-types/core/v1.js';
import { NodeInfo } from '../framework/node-info.js';

export interface NodeFixture {
  readonly cpu?: string;
  readonly memory?: string;
  readonly pods?: string;
  readonly labels?: Record<string, string>;
  readonly taints?: Taint[];
  readonly unschedulable?: boolean;
}

export function makeNode(name: string, options: NodeFixture = {}): Node {
  const allocatable = { cpu: options.cpu ?? '4', memory: options.memory ?? '8Gi', pods: options.pods ?? '110' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...options.labels } },
    spec: { ...(options.taints ? { taints: options.taints } : {}), ...(options.unschedulable ? { unschedulable: true } : {}) },
    status: { capacity: allocatable, allocatable },
  };
}

export interface PodFixture {
  readonly namespace?: string;
  readonly cpu?: string;
  readonly memory?: string;
  readonly labels?: Record<string, string>;
  readonly nodeName?: string;
  readonly spec?: Partial<PodSpec>;
  readonly ownerUid?: string;
  readonly creationTimestamp?: string;
}

export function makePod(name: string, options: PodFixture = {}): Pod {
  const requests: Record<string, string> = {};
  if (options.cpu) requests.cpu = options.cpu;
  if (options.memory) requests.memory = options.memory;
  const container: Container = { name: 'app', image: 'busybox', ...(options.cpu || options.memory ? { resources: { requests } } : {}) };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: options.namespace ?? 'default',
      ...(options.labels ? { labels: options.labels } : {}),
      ...(options.creationTimestamp ? { creationTimestamp: options.creationTimestamp } : {}),
      ...(options.ownerUid
        ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: options.ownerUid, controller: true }] }
        : {}),
    },
    spec: {
      containers: [container],
      schedulerName: 'default-scheduler',
      ...(options.nodeName ? { nodeName: options.nodeName } : {}),
      ...options.spec,
    },
  };
}

/** A NodeInfo holding `pods` (which get spec.nodeName set). */
export function nodeInfoWith(node: Node, ...pods: Pod[]): NodeInfo {
  const info = new NodeInfo(node);
  for (const pod of pods) info.addPod({ ...pod, spec: { containers: [], ...pod.spec, nodeName: info.name } });
  return info;
}
