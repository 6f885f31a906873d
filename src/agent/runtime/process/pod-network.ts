// How the process runtime gives a pod its own network: an implementation sets up a network
// namespace with an IP (cni-network.ts does it with the CNI bridge plugin) and tears it down.
import type { PodSandboxConfig } from '../runtime.js';

export interface PodNetworkAttachment {
  readonly ip: string;
  /** Name of the network namespace (`ip netns exec <name>` runs processes in it). */
  readonly netns: string;
  /** Whatever tearDown needs later (stored in the sandbox's state file, so JSON only). */
  readonly state: unknown;
}

export interface PodNetwork {
  setUp(sandboxId: string, config: PodSandboxConfig): Promise<PodNetworkAttachment>;
  /** Idempotent. */
  tearDown(sandboxId: string, attachment: PodNetworkAttachment): Promise<void>;
  /** Removes shared leftovers (the bridge) when no pod uses them any more. */
  close(): Promise<void>;
  /** The runtime is closing: let go of helper processes (pods and their networks stay). */
  release?(): void;
}
