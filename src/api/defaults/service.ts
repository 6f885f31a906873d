// core/v1 Service defaults (upstream: SetDefaults_Service), and apart from them the ip-family fields
// the Service REST storage fills on create, which upstream does after recording the write's
// managedFields (so `kubectl create service` owns neither). Cluster IP allocation is not done here.
import type { KubeObject } from '../object.js';
import { arrayOf, ensureRecord, isRecord, isUnset, recordsOf, stringOf } from '../validation/json-access.js';

/** ClientIP affinity default: three hours. */
const DEFAULT_CLIENT_IP_TIMEOUT_SECONDS = 10800;

export function defaultService(obj: KubeObject): void {
  const spec = ensureRecord(obj, 'spec');
  if (isUnset(spec.sessionAffinity)) spec.sessionAffinity = 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP') {
    const config = ensureRecord(spec, 'sessionAffinityConfig');
    const clientIP = ensureRecord(config, 'clientIP');
    if (isUnset(clientIP.timeoutSeconds)) clientIP.timeoutSeconds = DEFAULT_CLIENT_IP_TIMEOUT_SECONDS;
  }
  if (isUnset(spec.type)) spec.type = 'ClusterIP';
  for (const port of recordsOf(spec.ports)) {
    if (isUnset(port.protocol)) port.protocol = 'TCP';
    if (isUnset(port.targetPort) || port.targetPort === 0) port.targetPort = port.port;
  }
  const type = spec.type;
  const externallyAccessible =
    type === 'NodePort' || type === 'LoadBalancer' || (type === 'ClusterIP' && arrayOf(spec.externalIPs).length > 0);
  if (externallyAccessible && isUnset(spec.externalTrafficPolicy)) spec.externalTrafficPolicy = 'Cluster';
  if (isUnset(spec.internalTrafficPolicy) && (type === 'ClusterIP' || type === 'NodePort' || type === 'LoadBalancer'))
    spec.internalTrafficPolicy = 'Cluster';
  if (type === 'LoadBalancer' && isUnset(spec.allocateLoadBalancerNodePorts)) spec.allocateLoadBalancerNodePorts = true;
  if (!isRecord(obj.status)) obj.status = { loadBalancer: {} };
}

/** The REST storage's part, for the registry to run after defaultService. */
export function admitService(obj: KubeObject): void {
  const spec = ensureRecord(obj, 'spec');
  if (spec.type !== 'ExternalName') {
    // Upstream's Service storage: clusterIPs mirrors clusterIP; k8ts clusters are IPv4 single-stack.
    const clusterIP = stringOf(spec.clusterIP);
    const clusterIPs = arrayOf(spec.clusterIPs);
    if (clusterIP !== '' && clusterIPs.length === 0) spec.clusterIPs = [clusterIP];
    if (clusterIP === '' && typeof clusterIPs[0] === 'string') spec.clusterIP = clusterIPs[0];
    if (isUnset(spec.ipFamilyPolicy)) spec.ipFamilyPolicy = 'SingleStack';
    if (!Array.isArray(spec.ipFamilies) || spec.ipFamilies.length === 0) spec.ipFamilies = ['IPv4'];
  }
}
