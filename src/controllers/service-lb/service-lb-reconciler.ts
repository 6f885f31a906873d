// The built-in LoadBalancer (k3s ServiceLB's job): a Service of type LoadBalancer without a
// loadBalancerClass (or with ours) gets status.loadBalancer.ingress = the InternalIP of every
// ready node, and each node's service proxy accepts <ingress IP>:<service port> for it (the
// proxy programs status.loadBalancer.ingress IPs like kube-proxy does). On a one-node laptop that
// is the node's own address. Services with another loadBalancerClass belong to someone else and
// are never touched; a Service that stopped being a LoadBalancer has its ingress cleared.
import type { LoadBalancerIngress, Node, Service } from 'kubernetes-types/core/v1.js';
import type { EventRecorder } from '../../client/events/event-recorder.js';
import type { Lister } from '../../client/informer/informer.js';
import type { ClientSet } from '../../client/resource-client.js';
import { SERVICES } from '../../client/resource-types.js';
import type { Logger } from '../../lib/logger.js';
import type { ServiceObject } from '../endpoints/endpoint-object-types.js';
import type { NodeObject } from '../framework/kube-object-types.js';
import { splitObjectKey } from '../framework/object-key.js';
import type { Reconciler } from '../framework/reconciler.js';

/** spec.loadBalancerClass that selects this implementation explicitly (absent selects it too). */
export const SERVICE_LB_CLASS = 'k8ts.io/service-lb';
/** Upstream's label keeping a node out of every load balancer's pool. */
export const LABEL_EXCLUDE_FROM_LB = 'node.kubernetes.io/exclude-from-external-load-balancers';

export function isOurLoadBalancer(service: Service): boolean {
  const lbClass = service.spec?.loadBalancerClass;
  return service.spec?.type === 'LoadBalancer' && (lbClass === undefined || lbClass === SERVICE_LB_CLASS);
}

function isReady(node: Node): boolean {
  return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
}

/** The InternalIP of every ready node not excluded from load balancers, sorted and unique. */
export function nodeIngressIPs(nodes: readonly Node[]): string[] {
  const ips = new Set<string>();
  for (const node of nodes) {
    if (!isReady(node) || node.metadata?.labels?.[LABEL_EXCLUDE_FROM_LB] !== undefined) continue;
    if (node.spec?.unschedulable === true) continue;
    const ip = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
    if (ip) ips.add(ip);
  }
  return [...ips].sort();
}

export function desiredIngress(nodes: readonly Node[]): LoadBalancerIngress[] {
  // ipMode VIP: traffic to the IP is handled on the node as if sent to the service (kube-proxy).
  return nodeIngressIPs(nodes).map((ip) => ({ ip, ipMode: 'VIP' }));
}

function sameIngress(a: readonly LoadBalancerIngress[], b: readonly LoadBalancerIngress[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export interface ServiceLbReconcilerOptions {
  readonly clients: ClientSet;
  readonly services: Lister<ServiceObject>;
  readonly nodes: Lister<NodeObject>;
  readonly recorder: EventRecorder;
  readonly logger: Logger;
}

export class ServiceLbReconciler implements Reconciler {
  readonly name = 'service-lb';
  private readonly options: ServiceLbReconcilerOptions;

  constructor(options: ServiceLbReconcilerOptions) {
    this.options = options;
  }

  async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitObjectKey(key);
    const service = this.options.services.get(namespace, name);
    if (!service) return;
    const current = service.status?.loadBalancer?.ingress ?? [];
    let wanted: LoadBalancerIngress[];
    if (isOurLoadBalancer(service)) wanted = desiredIngress(this.options.nodes.list());
    else if (service.spec?.type !== 'LoadBalancer' && current.length > 0) wanted = [];
    else return;
    if (sameIngress(current, wanted)) return;
    // Cached objects are shared: copy before changing. A stale resourceVersion is a 409: retried.
    const updated: ServiceObject = { ...service, status: { ...service.status, loadBalancer: wanted.length > 0 ? { ingress: wanted } : {} } };
    await this.options.clients.resource<ServiceObject>(SERVICES).updateStatus(namespace, updated);
    const ips = wanted.map((i) => i.ip).join(', ');
    this.options.logger.info({ service: key, ingress: ips }, 'load balancer status updated');
    if (wanted.length > 0) this.options.recorder.event(service, 'Normal', 'EnsuredLoadBalancer', `Ensured load balancer on ${ips}`);
    else if (isOurLoadBalancer(service)) this.options.recorder.event(service, 'Warning', 'NoReadyNodes', 'No ready node to serve the load balancer');
  }
}
