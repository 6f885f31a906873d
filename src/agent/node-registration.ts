// Registers the agent's Node and keeps its status current. Like kubelet with node leases: the
// status is checked every statusUpdateIntervalMs and written when something changed (a condition
// another component flipped, capacity, addresses) or when the last write is older than
// statusReportIntervalMs; liveness itself is the Lease's job (node-lease.ts).
import { NODES } from '../client/resource-types.js';
import type { ClientSet, ResourceClient } from '../client/resource-client.js';
import type { Clock } from '../lib/clock.js';
import { AlreadyExistsError, ConflictError, NotFoundError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { desiredNodeStatus, nodeLabels, sameApartFromHeartbeat, type NodeDescription } from './node-status.js';
import type { NodeObject } from './object-types.js';

export interface NodeRegistrationOptions {
  readonly clients: ClientSet;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly description: NodeDescription;
  readonly podCidr?: string;
  /** Write the status at least this often even when nothing changed (upstream: 5 min). */
  readonly statusReportIntervalMs?: number;
}

export class NodeRegistration {
  private readonly nodes: ResourceClient<NodeObject>;
  private readonly options: NodeRegistrationOptions;
  private lastReportAt: number | undefined;
  private node: NodeObject | undefined;

  constructor(options: NodeRegistrationOptions) {
    this.options = options;
    this.nodes = options.clients.resource<NodeObject>(NODES);
  }

  /** The Node as last written or read. */
  get current(): NodeObject | undefined {
    return this.node;
  }

  /** Creates the Node, or brings an existing one's labels and podCIDR in line; then reports status. */
  async register(): Promise<NodeObject> {
    const { description: d, podCidr } = this.options;
    const wanted: NodeObject = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: d.nodeName, labels: nodeLabels(d) },
      spec: podCidr ? { podCIDR: podCidr, podCIDRs: [podCidr] } : {},
    };
    try {
      this.node = await this.nodes.create(undefined, wanted);
      this.options.logger.info({ node: d.nodeName }, 'registered node');
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
      this.node = await this.reconcileExisting(wanted);
    }
    await this.report(true);
    return this.node;
  }

  private async reconcileExisting(wanted: NodeObject): Promise<NodeObject> {
    for (let attempt = 0; ; attempt++) {
      const existing = await this.nodes.get(undefined, this.options.description.nodeName);
      const labels = { ...(existing.metadata?.labels ?? {}), ...(wanted.metadata?.labels ?? {}) };
      const spec = { ...(existing.spec ?? {}) };
      // podCIDR cannot change once set (upstream validation); fill it only when empty.
      if (!spec.podCIDR && wanted.spec?.podCIDR) Object.assign(spec, wanted.spec);
      const same = JSON.stringify(labels) === JSON.stringify(existing.metadata?.labels ?? {}) && spec.podCIDR === existing.spec?.podCIDR;
      if (same) return existing;
      try {
        return await this.nodes.update(undefined, { ...existing, metadata: { ...existing.metadata, labels }, spec });
      } catch (error) {
        if (!(error instanceof ConflictError) || attempt >= 3) throw error;
      }
    }
  }

  /** Writes the status if it changed or the report interval passed (force: always). True when written. */
  async report(force = false): Promise<boolean> {
    const { clock, description } = this.options;
    const now = clock.now();
    const interval = this.options.statusReportIntervalMs ?? 300_000;
    for (let attempt = 0; attempt < 3; attempt++) {
      const node = this.node ?? (await this.nodes.get(undefined, description.nodeName));
      const status = desiredNodeStatus(description, now, node.status);
      const due = this.lastReportAt === undefined || now.getTime() - this.lastReportAt >= interval;
      if (!force && !due && sameApartFromHeartbeat(status, node.status)) return false;
      try {
        this.node = await this.nodes.updateStatus(undefined, { ...node, status });
        this.lastReportAt = now.getTime();
        return true;
      } catch (error) {
        if (error instanceof NotFoundError) {
          // Someone deleted our Node: register it again, as kubelet does.
          this.node = undefined;
          await this.register();
          return true;
        }
        if (!(error instanceof ConflictError)) throw error;
        this.node = await this.nodes.get(undefined, description.nodeName);
      }
    }
    return false;
  }

  /** Forget the cached Node so the next report re-reads it (another writer changed it). */
  refresh(node?: NodeObject): void {
    this.node = node;
  }
}
