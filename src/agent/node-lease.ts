// The node's heartbeat: coordination.k8s.io/v1 Lease kube-node-lease/<node>, holderIdentity the
// node, renewed every renewIntervalMs; the node lifecycle controller calls a node lost when
// renewTime is older than its grace period. The Lease is owned by the Node, so deleting the Node
// garbage-collects it.
import { LEASES } from '../client/resource-types.js';
import type { ClientSet, ResourceClient } from '../client/resource-client.js';
import type { Clock } from '../lib/clock.js';
import { AlreadyExistsError, ConflictError, NotFoundError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import type { LeaseObject, NodeObject } from './object-types.js';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

/** metav1.MicroTime: RFC 3339 with microseconds. */
export function formatMicroTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export interface NodeLeaseOptions {
  readonly clients: ClientSet;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly nodeName: string;
  readonly leaseDurationSeconds?: number;
  /** The Node, for the ownerReference (its uid). */
  readonly node: () => NodeObject | undefined;
}

export class NodeLease {
  private readonly leases: ResourceClient<LeaseObject>;
  private readonly options: NodeLeaseOptions;
  private lease: LeaseObject | undefined;

  constructor(options: NodeLeaseOptions) {
    this.options = options;
    this.leases = options.clients.resource<LeaseObject>(LEASES);
  }

  private ownerReferences(): NonNullable<LeaseObject['metadata']>['ownerReferences'] {
    const node = this.options.node();
    const uid = node?.metadata?.uid;
    if (!uid) return undefined;
    return [{ apiVersion: 'v1', kind: 'Node', name: this.options.nodeName, uid }];
  }

  /** Creates or renews the Lease once. */
  async renew(): Promise<LeaseObject> {
    const { nodeName, clock } = this.options;
    const renewTime = formatMicroTime(clock.now());
    const spec = { holderIdentity: nodeName, leaseDurationSeconds: this.options.leaseDurationSeconds ?? 40, renewTime };
    for (let attempt = 0; attempt < 3; attempt++) {
      const owners = this.ownerReferences();
      if (!this.lease) {
        try {
          this.lease = await this.leases.create(NODE_LEASE_NAMESPACE, {
            apiVersion: 'coordination.k8s.io/v1',
            kind: 'Lease',
            metadata: { name: nodeName, namespace: NODE_LEASE_NAMESPACE, ...(owners ? { ownerReferences: owners } : {}) },
            spec,
          });
          return this.lease;
        } catch (error) {
          if (!(error instanceof AlreadyExistsError)) throw error;
          this.lease = await this.leases.get(NODE_LEASE_NAMESPACE, nodeName);
        }
      }
      const current = this.lease;
      const metadata = { ...current.metadata, ...(owners ? { ownerReferences: owners } : {}) };
      try {
        this.lease = await this.leases.update(NODE_LEASE_NAMESPACE, { ...current, metadata, spec: { ...current.spec, ...spec } });
        return this.lease;
      } catch (error) {
        if (error instanceof NotFoundError) this.lease = undefined;
        else if (error instanceof ConflictError) this.lease = await this.leases.get(NODE_LEASE_NAMESPACE, nodeName);
        else throw error;
      }
    }
    throw new ConflictError(`could not renew lease ${NODE_LEASE_NAMESPACE}/${nodeName}`);
  }
}
