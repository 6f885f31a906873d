// k8s.io.api.core.v1 top-level kinds sent by `kubectl create namespace|configmap|secret|service|
// serviceaccount`, plus Pod (same PodSpec as a Deployment's template).
import {
  KEEP, bool, int32, intOrString, list, map, message, string, strings, sub, time,
  type MessageDescriptor,
} from './message-descriptor.js';
import { localObjectReference } from './core-v1-container.js';
import { podSpec } from './core-v1-pod.js';
import { condition, objectMeta } from './meta-v1.js';

const P = 'k8s.io.api.core.v1';

const namespaceCondition = message(`${P}.NamespaceCondition`, {
  1: string('type', KEEP),
  2: string('status', KEEP),
  4: time('lastTransitionTime'),
  5: string('reason'),
  6: string('message'),
});

export const namespace: MessageDescriptor = message(`${P}.Namespace`, {
  1: sub('metadata', () => objectMeta),
  2: sub('spec', message(`${P}.NamespaceSpec`, { 1: strings('finalizers') })),
  3: sub('status', message(`${P}.NamespaceStatus`, {
    1: string('phase'),
    2: list('conditions', () => namespaceCondition),
  })),
});

export const configMap: MessageDescriptor = message(`${P}.ConfigMap`, {
  1: sub('metadata', () => objectMeta),
  4: bool('immutable', KEEP),
  2: map('data'),
  3: map('binaryData', 'bytes'),
});

export const secret: MessageDescriptor = message(`${P}.Secret`, {
  1: sub('metadata', () => objectMeta),
  5: bool('immutable', KEEP),
  2: map('data', 'bytes'),
  4: map('stringData'),
  3: string('type'),
});

const servicePort = message(`${P}.ServicePort`, {
  1: string('name'),
  2: string('protocol'),
  6: string('appProtocol', KEEP),
  3: int32('port', KEEP),
  4: intOrString('targetPort'),
  5: int32('nodePort'),
});

const sessionAffinityConfig = message(`${P}.SessionAffinityConfig`, {
  1: sub('clientIP', message(`${P}.ClientIPConfig`, { 1: int32('timeoutSeconds', KEEP) })),
});

const serviceSpec = message(`${P}.ServiceSpec`, {
  1: list('ports', () => servicePort),
  2: map('selector'),
  3: string('clusterIP'),
  18: strings('clusterIPs'),
  4: string('type'),
  5: strings('externalIPs'),
  7: string('sessionAffinity'),
  8: string('loadBalancerIP'),
  9: strings('loadBalancerSourceRanges'),
  10: string('externalName'),
  11: string('externalTrafficPolicy'),
  12: int32('healthCheckNodePort'),
  13: bool('publishNotReadyAddresses'),
  14: sub('sessionAffinityConfig', () => sessionAffinityConfig),
  19: strings('ipFamilies'),
  17: string('ipFamilyPolicy', KEEP),
  20: bool('allocateLoadBalancerNodePorts', KEEP),
  21: string('loadBalancerClass', KEEP),
  22: string('internalTrafficPolicy', KEEP),
  23: string('trafficDistribution', KEEP),
});

const portStatus = message(`${P}.PortStatus`, {
  1: int32('port', KEEP),
  2: string('protocol', KEEP),
  3: string('error', KEEP),
});

const loadBalancerIngress = message(`${P}.LoadBalancerIngress`, {
  1: string('ip'),
  2: string('hostname'),
  3: string('ipMode', KEEP),
  4: list('ports', () => portStatus),
});

const serviceStatus = message(`${P}.ServiceStatus`, {
  1: sub('loadBalancer', message(`${P}.LoadBalancerStatus`, { 1: list('ingress', () => loadBalancerIngress) })),
  2: list('conditions', () => condition),
});

export const service: MessageDescriptor = message(`${P}.Service`, {
  1: sub('metadata', () => objectMeta),
  2: sub('spec', () => serviceSpec),
  3: sub('status', () => serviceStatus),
});

export const objectReference: MessageDescriptor = message(`${P}.ObjectReference`, {
  1: string('kind'),
  2: string('namespace'),
  3: string('name'),
  4: string('uid'),
  5: string('apiVersion'),
  6: string('resourceVersion'),
  7: string('fieldPath'),
});

export const serviceAccount: MessageDescriptor = message(`${P}.ServiceAccount`, {
  1: sub('metadata', () => objectMeta),
  2: list('secrets', () => objectReference),
  3: list('imagePullSecrets', () => localObjectReference),
  4: bool('automountServiceAccountToken', KEEP),
});

// Pod's status is not described: clients never create a pod with a status.
export const pod: MessageDescriptor = message(`${P}.Pod`, {
  1: sub('metadata', () => objectMeta),
  2: sub('spec', () => podSpec),
});
