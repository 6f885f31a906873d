// The tolerations every daemon pod gets (upstream: AddOrUpdateDaemonPodTolerations). A daemon is
// the node's own service: node problems must neither evict it (NoExecute) nor keep it from
// starting (NoSchedule), and a cordon must not keep it off a node.
import type { PodSpec, Toleration } from 'kubernetes-types/core/v1.js';

const DAEMON_TOLERATIONS: readonly Toleration[] = [
  // Infinite, so the node lifecycle controller's taint-based eviction never removes the daemon.
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  // The taints the node lifecycle controller puts on nodes by condition, and the cordon's.
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

/** Only a host-network pod can run before the pod network is up (a CNI daemon, typically). */
const NETWORK_UNAVAILABLE_TOLERATION: Toleration = {
  key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule',
};

/** Upstream's Toleration.MatchToleration: same key, operator, value and effect. */
function sameToleration(a: Toleration, b: Toleration): boolean {
  return (a.key ?? '') === (b.key ?? '') && (a.operator ?? 'Equal') === (b.operator ?? 'Equal')
    && (a.value ?? '') === (b.value ?? '') && (a.effect ?? '') === (b.effect ?? '');
}

/**
 * Upstream's AddOrUpdateTolerationInPodSpec: a toleration matching `toleration` is replaced by it
 * (dropping, say, a tolerationSeconds: 300 that admission added), otherwise it is appended.
 */
function addOrUpdate(tolerations: readonly Toleration[], toleration: Toleration): Toleration[] {
  let replaced = false;
  const out = tolerations.map((existing) => {
    if (!sameToleration(existing, toleration)) return existing;
    replaced = true;
    return { ...toleration };
  });
  if (!replaced) out.push({ ...toleration });
  return out;
}

/** A copy of `spec` with the daemon tolerations added or updated. */
export function withDaemonPodTolerations(spec: PodSpec): PodSpec {
  let tolerations = [...(spec.tolerations ?? [])];
  for (const toleration of DAEMON_TOLERATIONS) tolerations = addOrUpdate(tolerations, toleration);
  if (spec.hostNetwork === true) tolerations = addOrUpdate(tolerations, NETWORK_UNAVAILABLE_TOLERATION);
  return { ...spec, tolerations };
}
