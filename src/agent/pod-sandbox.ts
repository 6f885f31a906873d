// A pod's sandbox, as kubelet's SyncPod keeps it: re-read every pass; created when missing, with
// what upstream's generatePodSandboxConfig asks for (identity, hostname, network mode, the app
// containers' port mappings, the log directory, our labels, the pod's resolv.conf); re-created with the next attempt
// number when it died (its network is gone: Event SandboxChanged, the containers start again).
import type { EventRecorder } from '../client/events/event-recorder.js';
import { NotFoundError } from '../lib/errors.js';
import type { PodObject } from './object-types.js';
import { podDnsConfig, type PodDnsSettings } from './pod-dns-config.js';
import { sandboxLabels } from './runtime-labels.js';
import type { ContainerRuntime, PodSandboxConfig, SandboxDnsConfig, SandboxStatus } from './runtime/runtime.js';

export function podSandboxConfig(
  pod: PodObject,
  options: { uid: string; attempt: number; logDirectory: string; dnsConfig?: SandboxDnsConfig },
): PodSandboxConfig {
  const meta = pod.metadata ?? {};
  const identity = { uid: options.uid, name: meta.name ?? '', namespace: meta.namespace ?? 'default' };
  return {
    podUid: options.uid,
    podName: identity.name,
    podNamespace: identity.namespace,
    attempt: options.attempt,
    hostname: pod.spec?.hostname ?? identity.name,
    hostNetwork: pod.spec?.hostNetwork ?? false,
    portMappings: (pod.spec?.containers ?? []).flatMap((c) => (c.ports ?? []).map((p) => ({
      containerPort: p.containerPort,
      ...(p.hostPort !== undefined ? { hostPort: p.hostPort } : {}),
      protocol: (p.protocol ?? 'TCP') as 'TCP' | 'UDP' | 'SCTP',
    }))),
    logDirectory: options.logDirectory,
    labels: sandboxLabels(identity),
    ...(options.dnsConfig ? { dnsConfig: options.dnsConfig } : {}),
  };
}

export interface SandboxRecord {
  readonly sandbox: SandboxStatus | undefined;
  /** The sandbox's attempt number (how often it was re-created). */
  readonly attempt: number;
}

export interface EnsureSandboxRequest extends SandboxRecord {
  readonly runtime: ContainerRuntime;
  readonly recorder: EventRecorder;
  readonly pod: PodObject;
  readonly uid: string;
  readonly logDirectory: string;
  /** Cluster DNS settings of the node; absent: the pod keeps the node's resolv.conf. */
  readonly dns?: PodDnsSettings;
}

/** The sandbox after this pass; `ready` false when there is none to start containers in. */
export async function ensureSandbox(request: EnsureSandboxRequest): Promise<SandboxRecord & { readonly ready: boolean }> {
  const { runtime, recorder, pod } = request;
  let { sandbox, attempt } = request;
  if (sandbox) {
    try {
      sandbox = await runtime.podSandboxStatus(sandbox.id);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      sandbox = undefined;
    }
  }
  if (sandbox?.state === 'ready') return { sandbox, attempt, ready: true };
  if (sandbox) {
    // The sandbox died (its network is gone): upstream kills and re-creates the pod's containers.
    recorder.event(pod, 'Normal', 'SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.');
    await runtime.stopPodSandbox(sandbox.id);
    attempt++;
  }
  try {
    const dns = request.dns ? podDnsConfig(pod, request.dns) : undefined;
    // As kubelet: the problems with a pod's DNS settings (no cluster DNS for ClusterFirst, too many
    // nameservers or search domains) are Warning events of each sandbox creation; the pod still starts.
    for (const warning of dns?.warnings ?? []) recorder.event(pod, 'Warning', warning.reason, warning.message);
    const id = await runtime.runPodSandbox(podSandboxConfig(pod, {
      uid: request.uid, attempt, logDirectory: request.logDirectory, ...(dns ? { dnsConfig: dns.config } : {}),
    }));
    return { sandbox: await runtime.podSandboxStatus(id), attempt, ready: true };
  } catch (error) {
    recorder.event(pod, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${error instanceof Error ? error.message : String(error)}`);
    return { sandbox, attempt, ready: false };
  }
}
