// The labels the agent puts on every sandbox and container it asks the runtime for. They are how a
// restarted agent finds (re-adopts) what is already running instead of starting duplicates; the
// keys are upstream kubelet's CRI labels.

export const POD_UID_LABEL = 'io.kubernetes.pod.uid';
export const POD_NAME_LABEL = 'io.kubernetes.pod.name';
export const POD_NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
export const CONTAINER_NAME_LABEL = 'io.kubernetes.container.name';
/** Marks objects created by k8ts agents (anything else in the runtime is left alone). */
export const MANAGED_LABEL = 'io.k8ts.managed';

export interface PodIdentity {
  readonly uid: string;
  readonly name: string;
  readonly namespace: string;
}

export function sandboxLabels(pod: PodIdentity): Record<string, string> {
  return { [POD_UID_LABEL]: pod.uid, [POD_NAME_LABEL]: pod.name, [POD_NAMESPACE_LABEL]: pod.namespace, [MANAGED_LABEL]: 'true' };
}

export function containerLabels(pod: PodIdentity, containerName: string): Record<string, string> {
  return { ...sandboxLabels(pod), [CONTAINER_NAME_LABEL]: containerName };
}
