// k8s.io.api.core.v1 PodTemplateSpec, PodSpec, volumes and scheduling constraints.
import {
  KEEP, bool, inline, int32, int64, list, map, message, quantity, string, strings, sub,
  type MessageDescriptor,
} from './message-descriptor.js';
import {
  appArmorProfile, container, localObjectReference, objectFieldSelector, resourceFieldSelector,
  resourceRequirements, seLinuxOptions, seccompProfile, windowsSecurityContextOptions,
} from './core-v1-container.js';
import { labelSelector, objectMeta } from './meta-v1.js';

const P = 'k8s.io.api.core.v1';

const keyToPath = message(`${P}.KeyToPath`, {
  1: string('key', KEEP),
  2: string('path', KEEP),
  3: int32('mode', KEEP),
});

const hostPathVolumeSource = message(`${P}.HostPathVolumeSource`, {
  1: string('path', KEEP),
  2: string('type', KEEP),
});

const emptyDirVolumeSource = message(`${P}.EmptyDirVolumeSource`, {
  1: string('medium'),
  2: quantity('sizeLimit'),
});

const secretVolumeSource = message(`${P}.SecretVolumeSource`, {
  1: string('secretName'),
  2: list('items', () => keyToPath),
  3: int32('defaultMode', KEEP),
  4: bool('optional', KEEP),
});

const configMapVolumeSource = message(`${P}.ConfigMapVolumeSource`, {
  1: inline(() => localObjectReference),
  2: list('items', () => keyToPath),
  3: int32('defaultMode', KEEP),
  4: bool('optional', KEEP),
});

const persistentVolumeClaimVolumeSource = message(`${P}.PersistentVolumeClaimVolumeSource`, {
  1: string('claimName', KEEP),
  2: bool('readOnly'),
});

const nfsVolumeSource = message(`${P}.NFSVolumeSource`, {
  1: string('server', KEEP),
  2: string('path', KEEP),
  3: bool('readOnly'),
});

const downwardAPIVolumeFile = message(`${P}.DownwardAPIVolumeFile`, {
  1: string('path', KEEP),
  2: sub('fieldRef', () => objectFieldSelector),
  3: sub('resourceFieldRef', () => resourceFieldSelector),
  4: int32('mode', KEEP),
});

const downwardAPIVolumeSource = message(`${P}.DownwardAPIVolumeSource`, {
  1: list('items', () => downwardAPIVolumeFile),
  2: int32('defaultMode', KEEP),
});

/** ConfigMapProjection and SecretProjection share this shape and these field numbers. */
const keyProjection = message(`${P}.ConfigMapProjection`, {
  1: inline(() => localObjectReference),
  2: list('items', () => keyToPath),
  4: bool('optional', KEEP),
});

const serviceAccountTokenProjection = message(`${P}.ServiceAccountTokenProjection`, {
  1: string('audience'),
  2: int64('expirationSeconds', KEEP),
  3: string('path', KEEP),
});

const volumeProjection = message(`${P}.VolumeProjection`, {
  1: sub('secret', () => keyProjection),
  2: sub('downwardAPI', message(`${P}.DownwardAPIProjection`, { 1: list('items', () => downwardAPIVolumeFile) })),
  3: sub('configMap', () => keyProjection),
  4: sub('serviceAccountToken', () => serviceAccountTokenProjection),
});

const projectedVolumeSource = message(`${P}.ProjectedVolumeSource`, {
  1: list('sources', () => volumeProjection),
  2: int32('defaultMode', KEEP),
});

const imageVolumeSource = message(`${P}.ImageVolumeSource`, {
  1: string('reference'),
  2: string('pullPolicy'),
});

// Cloud and legacy in-tree volume plugins are not described; their fields are skipped.
const volumeSource = message(`${P}.VolumeSource`, {
  1: sub('hostPath', () => hostPathVolumeSource),
  2: sub('emptyDir', () => emptyDirVolumeSource),
  6: sub('secret', () => secretVolumeSource),
  7: sub('nfs', () => nfsVolumeSource),
  10: sub('persistentVolumeClaim', () => persistentVolumeClaimVolumeSource),
  16: sub('downwardAPI', () => downwardAPIVolumeSource),
  19: sub('configMap', () => configMapVolumeSource),
  26: sub('projected', () => projectedVolumeSource),
  30: sub('image', () => imageVolumeSource),
});

const volume = message(`${P}.Volume`, {
  1: string('name', KEEP),
  2: inline(() => volumeSource),
});

const toleration = message(`${P}.Toleration`, {
  1: string('key'),
  2: string('operator'),
  3: string('value'),
  4: string('effect'),
  5: int64('tolerationSeconds', KEEP),
});

const nodeSelectorRequirement = message(`${P}.NodeSelectorRequirement`, {
  1: string('key', KEEP),
  2: string('operator', KEEP),
  3: strings('values'),
});

const nodeSelectorTerm = message(`${P}.NodeSelectorTerm`, {
  1: list('matchExpressions', () => nodeSelectorRequirement),
  2: list('matchFields', () => nodeSelectorRequirement),
});

const nodeAffinity = message(`${P}.NodeAffinity`, {
  1: sub('requiredDuringSchedulingIgnoredDuringExecution',
    message(`${P}.NodeSelector`, { 1: list('nodeSelectorTerms', () => nodeSelectorTerm) })),
  2: list('preferredDuringSchedulingIgnoredDuringExecution',
    message(`${P}.PreferredSchedulingTerm`, { 1: int32('weight', KEEP), 2: sub('preference', () => nodeSelectorTerm) })),
});

const podAffinityTerm = message(`${P}.PodAffinityTerm`, {
  1: sub('labelSelector', () => labelSelector),
  2: strings('namespaces'),
  3: string('topologyKey', KEEP),
  4: sub('namespaceSelector', () => labelSelector),
  5: strings('matchLabelKeys'),
  6: strings('mismatchLabelKeys'),
});

const weightedPodAffinityTerm = message(`${P}.WeightedPodAffinityTerm`, {
  1: int32('weight', KEEP),
  2: sub('podAffinityTerm', () => podAffinityTerm),
});

/** PodAffinity and PodAntiAffinity share this shape and these field numbers. */
const podAffinity = message(`${P}.PodAffinity`, {
  1: list('requiredDuringSchedulingIgnoredDuringExecution', () => podAffinityTerm),
  2: list('preferredDuringSchedulingIgnoredDuringExecution', () => weightedPodAffinityTerm),
});

const affinity = message(`${P}.Affinity`, {
  1: sub('nodeAffinity', () => nodeAffinity),
  2: sub('podAffinity', () => podAffinity),
  3: sub('podAntiAffinity', () => podAffinity),
});

const topologySpreadConstraint = message(`${P}.TopologySpreadConstraint`, {
  1: int32('maxSkew', KEEP),
  2: string('topologyKey', KEEP),
  3: string('whenUnsatisfiable', KEEP),
  4: sub('labelSelector', () => labelSelector),
  5: int32('minDomains', KEEP),
  6: string('nodeAffinityPolicy', KEEP),
  7: string('nodeTaintsPolicy', KEEP),
  8: strings('matchLabelKeys'),
});

const podSecurityContext = message(`${P}.PodSecurityContext`, {
  1: sub('seLinuxOptions', () => seLinuxOptions),
  8: sub('windowsOptions', () => windowsSecurityContextOptions),
  2: int64('runAsUser', KEEP),
  6: int64('runAsGroup', KEEP),
  3: bool('runAsNonRoot', KEEP),
  4: int64('supplementalGroups', { repeated: true }),
  12: string('supplementalGroupsPolicy', KEEP),
  5: int64('fsGroup', KEEP),
  7: list('sysctls', message(`${P}.Sysctl`, { 1: string('name', KEEP), 2: string('value', KEEP) })),
  9: string('fsGroupChangePolicy', KEEP),
  10: sub('seccompProfile', () => seccompProfile),
  11: sub('appArmorProfile', () => appArmorProfile),
  13: string('seLinuxChangePolicy', KEEP),
});

const podDNSConfig = message(`${P}.PodDNSConfig`, {
  1: strings('nameservers'),
  2: strings('searches'),
  3: list('options', message(`${P}.PodDNSConfigOption`, { 1: string('name'), 2: string('value', KEEP) })),
});

// ephemeralContainers (34), resourceClaims (39) and overhead (32) are not described: a create
// request does not carry them.
export const podSpec: MessageDescriptor = message(`${P}.PodSpec`, {
  1: list('volumes', () => volume),
  20: list('initContainers', () => container),
  2: list('containers', () => container),
  3: string('restartPolicy'),
  4: int64('terminationGracePeriodSeconds', KEEP),
  5: int64('activeDeadlineSeconds', KEEP),
  6: string('dnsPolicy'),
  7: map('nodeSelector'),
  8: string('serviceAccountName'),
  9: string('serviceAccount'),
  21: bool('automountServiceAccountToken', KEEP),
  10: string('nodeName'),
  11: bool('hostNetwork'),
  12: bool('hostPID'),
  13: bool('hostIPC'),
  27: bool('shareProcessNamespace', KEEP),
  14: sub('securityContext', () => podSecurityContext),
  15: list('imagePullSecrets', () => localObjectReference),
  16: string('hostname'),
  17: string('subdomain'),
  18: sub('affinity', () => affinity),
  19: string('schedulerName'),
  22: list('tolerations', () => toleration),
  23: list('hostAliases', message(`${P}.HostAlias`, { 1: string('ip', KEEP), 2: strings('hostnames') })),
  24: string('priorityClassName'),
  25: int32('priority', KEEP),
  26: sub('dnsConfig', () => podDNSConfig),
  28: list('readinessGates', message(`${P}.PodReadinessGate`, { 1: string('conditionType', KEEP) })),
  29: string('runtimeClassName', KEEP),
  30: bool('enableServiceLinks', KEEP),
  31: string('preemptionPolicy', KEEP),
  33: list('topologySpreadConstraints', () => topologySpreadConstraint),
  35: bool('setHostnameAsFQDN', KEEP),
  36: sub('os', message(`${P}.PodOS`, { 1: string('name', KEEP) })),
  37: bool('hostUsers', KEEP),
  38: list('schedulingGates', message(`${P}.PodSchedulingGate`, { 1: string('name', KEEP) })),
  40: sub('resources', () => resourceRequirements),
});

export const podTemplateSpec: MessageDescriptor = message(`${P}.PodTemplateSpec`, {
  1: sub('metadata', () => objectMeta),
  2: sub('spec', () => podSpec),
});
