// Upstream's SetDefaults_* for PodSpec and everything inside it (k8s.io/kubernetes
// pkg/apis/core/v1/defaults.go). Shared by Pods and by Deployment/ReplicaSet templates, so a
// stored ReplicaSet template equals the Deployment template kubectl copies back on rollout undo.
import { ensureRecord, isRecord, isUnset, recordOf, recordsOf, stringOf, type JsonRecord } from '../validation/json-access.js';

/** 0644, the mode upstream gives projected files. */
const DEFAULT_FILE_MODE = 420;

/**
 * Upstream parses the image reference: tag `latest`, or no tag and no digest, pulls Always;
 * anything else (including references that do not parse) pulls IfNotPresent.
 */
export function defaultImagePullPolicy(image: string): 'Always' | 'IfNotPresent' {
  if (image === '' || /\s/.test(image)) return 'IfNotPresent';
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const hasDigest = at >= 0;
  const colon = name.lastIndexOf(':');
  const hasTag = colon > name.lastIndexOf('/');
  const repository = hasTag ? name.slice(0, colon) : name;
  // Repository names must be lower case; a reference that does not parse has no tag at all.
  if (repository !== repository.toLowerCase()) return 'IfNotPresent';
  const tag = hasTag ? name.slice(colon + 1) : '';
  if (tag === 'latest') return 'Always';
  return !hasTag && !hasDigest ? 'Always' : 'IfNotPresent';
}

function defaultHttpGet(action: unknown): void {
  if (!isRecord(action)) return;
  if (isUnset(action.path)) action.path = '/';
  if (isUnset(action.scheme)) action.scheme = 'HTTP';
}

export function defaultProbe(probe: unknown): void {
  if (!isRecord(probe)) return;
  if (isUnset(probe.timeoutSeconds)) probe.timeoutSeconds = 1;
  if (isUnset(probe.periodSeconds)) probe.periodSeconds = 10;
  if (isUnset(probe.successThreshold)) probe.successThreshold = 1;
  if (isUnset(probe.failureThreshold)) probe.failureThreshold = 3;
  defaultHttpGet(probe.httpGet);
}

function defaultFieldRef(ref: unknown): void {
  if (isRecord(ref) && isUnset(ref.apiVersion)) ref.apiVersion = 'v1';
}

/** Containers, init containers (and ephemeral containers, which share most of the shape). */
export function defaultContainer(container: JsonRecord): void {
  if (isUnset(container.imagePullPolicy)) container.imagePullPolicy = defaultImagePullPolicy(stringOf(container.image));
  if (isUnset(container.terminationMessagePath)) container.terminationMessagePath = '/dev/termination-log';
  if (isUnset(container.terminationMessagePolicy)) container.terminationMessagePolicy = 'File';
  // ResourceRequirements is a struct, not a pointer, upstream: it always serializes as {}.
  if (!isRecord(container.resources)) container.resources = {};
  for (const port of recordsOf(container.ports)) if (isUnset(port.protocol)) port.protocol = 'TCP';
  for (const env of recordsOf(container.env)) defaultFieldRef(recordOf(env.valueFrom)?.fieldRef);
  defaultProbe(container.livenessProbe);
  defaultProbe(container.readinessProbe);
  defaultProbe(container.startupProbe);
  const lifecycle = recordOf(container.lifecycle);
  if (lifecycle) for (const hook of ['postStart', 'preStop']) defaultHttpGet(recordOf(lifecycle[hook])?.httpGet);
}

function defaultDownwardApiItems(items: unknown): void {
  for (const item of recordsOf(items)) defaultFieldRef(item.fieldRef);
}

const VOLUME_SOURCE_KEYS = [
  'hostPath', 'emptyDir', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs', 'persistentVolumeClaim', 'rbd',
  'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile', 'configMap', 'vsphereVolume',
  'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume', 'scaleIO', 'storageos', 'csi',
  'ephemeral', 'image', 'gcePersistentDisk', 'awsElasticBlockStore',
];

export function defaultVolume(volume: JsonRecord): void {
  if (!VOLUME_SOURCE_KEYS.some((key) => isRecord(volume[key]))) volume.emptyDir = {};
  for (const key of ['configMap', 'secret', 'downwardAPI', 'projected']) {
    const source = recordOf(volume[key]);
    if (source && isUnset(source.defaultMode)) source.defaultMode = DEFAULT_FILE_MODE;
  }
  const hostPath = recordOf(volume.hostPath);
  if (hostPath && (hostPath.type === undefined || hostPath.type === null)) hostPath.type = '';
  defaultDownwardApiItems(recordOf(volume.downwardAPI)?.items);
  for (const source of recordsOf(recordOf(volume.projected)?.sources)) {
    defaultDownwardApiItems(recordOf(source.downwardAPI)?.items);
    const token = recordOf(source.serviceAccountToken);
    if (token && isUnset(token.expirationSeconds)) token.expirationSeconds = 3600;
  }
}

export function defaultPodSpec(spec: JsonRecord): void {
  if (isUnset(spec.dnsPolicy)) spec.dnsPolicy = 'ClusterFirst';
  if (isUnset(spec.restartPolicy)) spec.restartPolicy = 'Always';
  if (!isRecord(spec.securityContext)) spec.securityContext = {};
  if (isUnset(spec.terminationGracePeriodSeconds)) spec.terminationGracePeriodSeconds = 30;
  if (isUnset(spec.schedulerName)) spec.schedulerName = 'default-scheduler';
  // v1 conversion keeps the deprecated `serviceAccount` alias in step with serviceAccountName.
  if (isUnset(spec.serviceAccountName) && !isUnset(spec.serviceAccount)) spec.serviceAccountName = spec.serviceAccount;
  if (!isUnset(spec.serviceAccountName)) spec.serviceAccount = spec.serviceAccountName;
  for (const key of ['containers', 'initContainers', 'ephemeralContainers']) for (const c of recordsOf(spec[key])) defaultContainer(c);
  for (const volume of recordsOf(spec.volumes)) defaultVolume(volume);
}

/** `spec.template` of a Deployment or ReplicaSet. */
export function defaultPodTemplateSpec(template: JsonRecord): void {
  defaultPodSpec(ensureRecord(template, 'spec'));
}
