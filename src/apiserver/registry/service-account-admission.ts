// Upstream's ServiceAccount admission plugin (plugin/pkg/admission/serviceaccount), the mutating
// part, as a registry write hook on pod create (updates are left alone, as upstream):
// - spec.serviceAccountName defaults to `default` (the v1 alias `serviceAccount` follows it);
// - the ServiceAccount must exist: else 403 `pods "x" is forbidden: error looking up service
//   account ns/name: serviceaccount "name" not found`. `default` is looked up a few more times
//   (10, 100-200 ms apart, as upstream): the controller creates it just after its namespace;
// - unless automountServiceAccountToken says false (the pod's field wins, then the account's),
//   every init and app container that does not already mount something at
//   /var/run/secrets/kubernetes.io/serviceaccount gets a read-only mount of a projected volume
//   `kube-api-access-<5 random>` (a token for the pod, kube-root-ca.crt's ca.crt, the namespace),
//   added once; a volume of the pod already named kube-api-access-* is reused by name;
// - a pod without imagePullSecrets gets the account's.
// Mirror pods (annotation kubernetes.io/config.mirror) are not changed. Ephemeral containers are
// added later through their own subresource and, as upstream, get no mount.
import type { Container, Pod, ServiceAccount, Volume, VolumeMount } from 'kubernetes-types/core/v1.js';
import type { KindInfo } from '../../api/kind-info.js';
import type { KubeObject } from '../../api/object.js';
import { NotFoundError } from '../../lib/errors.js';
import { ForbiddenError } from './api-errors.js';
import { generateName } from './name-generator.js';
import type { ResourceRegistry } from './registry-types.js';
import type { WriteHooks } from './write-hooks.js';

export const DEFAULT_SERVICE_ACCOUNT = 'default';
export const API_TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
export const TOKEN_VOLUME_PREFIX = 'kube-api-access-';
/** Upstream WarnOnlyBoundTokenExpirationSeconds: one hour plus 7 s, so the API server can tell it. */
export const WARN_ONLY_TOKEN_EXPIRATION_SECONDS = 3607;
const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
/** Upstream ProjectedVolumeSourceDefaultMode, 0644. */
const PROJECTED_DEFAULT_MODE = 0o644;
const DEFAULT_ACCOUNT_ATTEMPTS = 10;

const PODS = { group: '', resource: 'pods' };

/** The projected volume upstream adds (TokenVolumeSource), with its name. */
export function tokenVolume(name: string): Volume {
  return {
    name,
    projected: {
      defaultMode: PROJECTED_DEFAULT_MODE,
      sources: [
        { serviceAccountToken: { expirationSeconds: WARN_ONLY_TOKEN_EXPIRATION_SECONDS, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  };
}

/** Upstream shouldAutomount: the pod's preference wins, then the account's, then true. */
export function shouldAutomount(account: ServiceAccount, pod: Pod): boolean {
  const own = pod.spec?.automountServiceAccountToken;
  if (own !== undefined && own !== null) return own;
  const accounts = account.automountServiceAccountToken;
  if (accounts !== undefined && accounts !== null) return accounts;
  return true;
}

/** Adds the mount to each container lacking one at the path; true when any got it. */
function mountInto(containers: Container[] | undefined, mount: VolumeMount): boolean {
  let added = false;
  // The body's types are checked before admission runs; this is only defence in depth against a
  // caller without that check: a shape other than a list of objects is left to validation.
  if (!Array.isArray(containers)) return false;
  for (const container of containers as unknown[]) {
    if (!isObject(container)) continue;
    const mounts: unknown = container.volumeMounts;
    if (mounts !== undefined && mounts !== null && !Array.isArray(mounts)) continue;
    if ((container.volumeMounts ?? []).some((m) => isObject(m) && m.mountPath === API_TOKEN_MOUNT_PATH)) continue;
    container.volumeMounts = [...(container.volumeMounts ?? []), { ...mount }];
    added = true;
  }
  return added;
}

function isObject(value: unknown): value is Container & Volume & VolumeMount {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Upstream mountServiceAccountToken: the volume (once) and a mount in every container without one. */
export function mountServiceAccountToken(pod: Pod, randomName: () => string = () => generateName(TOKEN_VOLUME_PREFIX)): void {
  const spec = (pod.spec ??= { containers: [] });
  const volumes: unknown = spec.volumes;
  if (!isObject(spec) || (volumes !== undefined && volumes !== null && !Array.isArray(volumes))) return;
  const existing = (spec.volumes ?? []).find((v) => isObject(v) && typeof v.name === 'string' && v.name.startsWith(TOKEN_VOLUME_PREFIX));
  const name = existing?.name ?? randomName();
  const mount: VolumeMount = { name, readOnly: true, mountPath: API_TOKEN_MOUNT_PATH };
  const inInit = mountInto(spec.initContainers, mount);
  const inApp = mountInto(spec.containers, mount);
  if (!existing && (inInit || inApp)) spec.volumes = [...(spec.volumes ?? []), tokenVolume(name)];
}

/** Everything the plugin changes in a pod being created, given its (existing) ServiceAccount. */
export function admitPodWithAccount(pod: Pod, account: ServiceAccount, randomName?: () => string): void {
  const spec = (pod.spec ??= { containers: [] });
  if (!isObject(spec)) return;
  if (shouldAutomount(account, pod)) mountServiceAccountToken(pod, randomName);
  if ((spec.imagePullSecrets ?? []).length === 0 && (account.imagePullSecrets ?? []).length > 0) {
    spec.imagePullSecrets = (account.imagePullSecrets ?? []).map((ref) => ({ ...ref }));
  }
}

export function isMirrorPod(pod: Pod): boolean {
  return pod.metadata?.annotations?.[MIRROR_POD_ANNOTATION] !== undefined;
}

export interface ServiceAccountAdmissionOptions {
  /** The serviceaccounts registry (undefined while the registry is being built). */
  readonly accounts: () => ResourceRegistry | undefined;
  /** Waits between lookups of the `default` account (default: a timer). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** The random volume name (default: kube-api-access- plus 5 characters). */
  readonly randomName?: () => string;
}

const timerSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function findAccount(options: ServiceAccountAdmissionOptions, namespace: string, name: string): Promise<ServiceAccount | undefined> {
  const attempts = name === DEFAULT_SERVICE_ACCOUNT ? DEFAULT_ACCOUNT_ATTEMPTS : 1;
  // Upstream picks one interval per admission, 100-200 ms.
  const interval = 100 + Math.floor(Math.random() * 100);
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0) await (options.sleep ?? timerSleep)(interval);
    const registry = options.accounts();
    if (!registry) return undefined;
    try {
      return (await registry.get(namespace, name)) as ServiceAccount & KubeObject;
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
  return undefined;
}

/** Runs the plugin on a pod being created; throws upstream's 403 when its account is missing. */
export async function admitPodServiceAccount(options: ServiceAccountAdmissionOptions, obj: KubeObject): Promise<void> {
  const pod = obj as Pod;
  if (isMirrorPod(pod)) return;
  const spec = (pod.spec ??= { containers: [] });
  // A malformed spec (only possible without the body type check) is validation's to reject.
  if (!isObject(spec)) return;
  const given: unknown = spec.serviceAccountName;
  if (given !== undefined && given !== null && typeof given !== 'string') return;
  const name = typeof given === 'string' && given !== '' ? given : DEFAULT_SERVICE_ACCOUNT;
  spec.serviceAccountName = name;
  spec.serviceAccount = name;
  const namespace = pod.metadata?.namespace ?? '';
  const account = await findAccount(options, namespace, name);
  if (!account) {
    // Upstream names a pod being generated by its prefix (its name is made after admission here).
    const { name: podGiven = '', generateName: prefix = '' } = pod.metadata ?? {};
    const podName = prefix !== '' && String(podGiven).startsWith(prefix) && podGiven.length === prefix.length + 5 ? prefix : podGiven;
    throw new ForbiddenError(PODS, podName, `error looking up service account ${namespace}/${name}: serviceaccount "${name}" not found`);
  }
  admitPodWithAccount(pod, account, options.randomName);
}

const done = (): Promise<void> => Promise.resolve();

/** For ApiRegistryOptions.writeHooks: the ServiceAccount admission hook of pods. */
export function serviceAccountHooksFor(options: ServiceAccountAdmissionOptions): (info: KindInfo) => WriteHooks | undefined {
  const podHooks: WriteHooks = {
    async beginCreate(obj) {
      await admitPodServiceAccount(options, obj);
      return done;
    },
  };
  return (info) => (info.group === '' && info.resource === 'pods' ? podHooks : undefined);
}
