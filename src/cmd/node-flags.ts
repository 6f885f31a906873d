// Flags of a node agent, shared by `k8ts agent` and the agent embedded in `k8ts server`.
import { hostname } from 'node:os';
import { parseDurationMs } from './duration-flag.js';
import { UsageError } from './usage-error.js';

export type RuntimeKind = 'process' | 'fake';

export interface NodeAgentFlags {
  readonly nodeName: string;
  readonly runtime: RuntimeKind;
  /** kubelet --node-lease-duration-seconds (40); the lease is renewed every quarter of it. */
  readonly nodeLeaseDurationSeconds: number;
  /** kubelet --node-status-update-frequency (10 s). */
  readonly nodeStatusUpdateFrequencyMs: number;
  /**
   * On SIGTERM, stop and remove every pod sandbox of this node before exiting. Off by default:
   * like the kubelet, a stopping agent leaves containers running for the next one to re-adopt.
   * Tests turn it on so that no process outlives them.
   */
  readonly stopPodsOnExit: boolean;
}

export const NODE_AGENT_OPTIONS = {
  'node-name': { type: 'string' },
  runtime: { type: 'string' },
  'node-lease-duration-seconds': { type: 'string' },
  'node-status-update-frequency': { type: 'string' },
  'stop-pods-on-exit': { type: 'boolean' },
} as const;

export const NODE_AGENT_USAGE = `  --node-name NAME          the Node this agent registers (default: the host name, lower-cased)
  --runtime process|fake    process: containers run as host processes (default);
                            fake: hollow containers without processes (scale tests)
  --node-lease-duration-seconds N
                            heartbeat Lease duration; renewed every N/4 s (default 40)
  --node-status-update-frequency DURATION
                            how often the Node status is posted (default 10s)
  --stop-pods-on-exit       stop every pod of this node on SIGTERM (default: leave them running
                            for the next agent to re-adopt, as the kubelet does)
`;

/** RFC 1123 subdomain, as Node names must be. */
const NODE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function parseNodeAgentFlags(values: {
  readonly 'node-name'?: string | undefined;
  readonly runtime?: string | undefined;
  readonly 'node-lease-duration-seconds'?: string | undefined;
  readonly 'node-status-update-frequency'?: string | undefined;
  readonly 'stop-pods-on-exit'?: boolean | undefined;
}): NodeAgentFlags {
  const nodeName = values['node-name'] ?? hostname().toLowerCase();
  if (nodeName.length > 253 || !NODE_NAME.test(nodeName)) {
    throw new UsageError(`invalid --node-name ${JSON.stringify(nodeName)}: must be a lower-case RFC 1123 subdomain`);
  }
  const runtime = values.runtime ?? 'process';
  if (runtime !== 'process' && runtime !== 'fake') throw new UsageError(`invalid --runtime ${JSON.stringify(runtime)}: use process or fake`);
  const leaseText = values['node-lease-duration-seconds'] ?? '40';
  const lease = Number(leaseText);
  if (!Number.isInteger(lease) || lease < 1) throw new UsageError(`invalid --node-lease-duration-seconds ${JSON.stringify(leaseText)}: must be a positive integer`);
  const statusEvery = parseDurationMs('--node-status-update-frequency', values['node-status-update-frequency'] ?? '10s');
  if (statusEvery <= 0) throw new UsageError('invalid --node-status-update-frequency: must be positive');
  return {
    nodeName,
    runtime,
    nodeLeaseDurationSeconds: lease,
    nodeStatusUpdateFrequencyMs: statusEvery,
    stopPodsOnExit: values['stop-pods-on-exit'] === true,
  };
}
