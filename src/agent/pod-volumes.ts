// Pod volumes as host directories under <root>/pods/<uid>/volumes/<name>/ (root: the agent's memory
// root for secret and projected volumes, memory-root.ts, else the data dir; volumeDir): configMap and
// secret keys become files (items/paths, defaultMode/mode), downwardAPI items files, projected
// volumes the files of all their sources (projected-volume.ts; tokens: service-account-token.ts), emptyDir an
// empty directory (medium Memory: a tmpfs, tmpfs-mount.ts), hostPath the host path itself after
// kubelet's type checks (host-path-volume.ts). A missing non-optional source is a VolumeError
// (Event FailedMount, the pod stays ContainerCreating and the next sync tries again). The runtime
// bind-mounts these host paths into containers (CRI mounts), whichever runtime it is.
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Container, Volume } from 'kubernetes-types/core/v1.js';
import type { PodObject } from './object-types.js';
import type { Mount } from './runtime/runtime.js';
import { fieldRefValue, type ConfigSource } from './container-env.js';
import { setUpHostPath } from './host-path-volume.js';
import { canMountTmpfs, mountTmpfs, unmountUnder } from './tmpfs-mount.js';
import { tryParseQuantity } from '../api/quantity.js';
import { projectedFiles } from './projected-volume.js';
import type { TokenIssuer } from './service-account-token.js';
import { decoded, DEFAULT_MODE, selectFiles, writeFiles, type VolumeFile } from './volume-files.js';

export class VolumeError extends Error {
  readonly volume: string;
  constructor(volume: string, message: string) {
    super(`MountVolume.SetUp failed for volume "${volume}" : ${message}`);
    this.name = 'VolumeError';
    this.volume = volume;
  }
}

export function podDir(dataDir: string, uid: string): string {
  return path.join(dataDir, 'pods', uid);
}

/** The agent's directories for pod volumes. */
export interface VolumeRoots {
  readonly dataDir: string;
  /** On a tmpfs (memory-root.ts): secret and projected volumes, as upstream; absent: the data dir. */
  readonly memoryDir?: string;
}

/** Whether the volume carries Secrets or tokens and so lives in memory (upstream: a tmpfs). */
function inMemory(volume: Pick<Volume, 'secret' | 'projected'>): boolean {
  return volume.secret !== undefined || volume.projected !== undefined;
}

/** The host directory of a pod's volume: every user of the path asks here. */
export function volumeDir(roots: VolumeRoots, uid: string, volume: Pick<Volume, 'name' | 'secret' | 'projected'>): string {
  const root = inMemory(volume) ? (roots.memoryDir ?? roots.dataDir) : roots.dataDir;
  return path.join(podDir(root, uid), 'volumes', volume.name);
}

/** The pod's directories in each root (the memory one first; one when there is no memory root). */
function podDirs(roots: VolumeRoots, uid: string): string[] {
  return [...(roots.memoryDir !== undefined ? [podDir(roots.memoryDir, uid)] : []), podDir(roots.dataDir, uid)];
}

export interface VolumeContext extends VolumeRoots {
  readonly pod: PodObject;
  readonly source: ConfigSource;
  readonly hostIP: string;
  readonly podIP?: string;
  /** Something the pod can live with went wrong (a Warning Event): a tmpfs that could not be mounted. */
  readonly warn?: (reason: string, message: string) => void;
  /** Whether emptyDir medium Memory may mount a tmpfs (default: when running as root). */
  readonly tmpfs?: boolean;
  /** The pod's ServiceAccount tokens (projected serviceAccountToken sources); absent: those fail. */
  readonly tokens?: TokenIssuer;
}

async function setUpVolume(ctx: VolumeContext, volume: Volume): Promise<string> {
  const dir = volumeDir(ctx, ctx.pod.metadata?.uid ?? '', volume);
  if (volume.hostPath) return setUpHostPath(volume.hostPath);
  if (volume.emptyDir?.medium === 'Memory') return setUpMemoryEmptyDir(ctx, volume.name, dir, volume.emptyDir.sizeLimit);
  const files = await contentFiles(ctx, volume, dir);
  if (files) {
    await writeFiles(dir, files);
    return dir;
  }
  // emptyDir, and (for now) every other source: an empty directory that lives as long as the pod.
  await mkdir(dir, { recursive: true });
  return dir;
}

/** Whether the volume's files come from a source that can change (volume-resync.ts re-renders them). */
export function hasContent(volume: Volume): boolean {
  return Boolean(volume.configMap ?? volume.secret ?? volume.downwardAPI ?? volume.projected);
}

/**
 * The files of a configMap, secret, downwardAPI or projected volume whose host directory is `dir`;
 * undefined for every other kind. Throws when a non-optional source or key is missing.
 */
export async function contentFiles(ctx: VolumeContext, volume: Volume, dir: string): Promise<VolumeFile[] | undefined> {
  const namespace = ctx.pod.metadata?.namespace ?? 'default';
  if (volume.configMap) {
    const source = volume.configMap;
    const name = source.name ?? '';
    const cm = await ctx.source.configMap(namespace, name);
    // A missing optional ConfigMap is an empty one (upstream SetUpAt): no files, also on a resync.
    if (!cm && !source.optional) throw new VolumeError(volume.name, `configmap "${name}" not found`);
    const all = { ...decoded(cm?.binaryData), ...(cm?.data ?? {}) };
    return selectFiles(all, source.items, source.defaultMode ?? DEFAULT_MODE, (key) =>
      source.optional ? undefined : `configmap references non-existent config key: ${key}`);
  }
  if (volume.secret) {
    const source = volume.secret;
    const name = source.secretName ?? '';
    const secret = await ctx.source.secret(namespace, name);
    if (!secret && !source.optional) throw new VolumeError(volume.name, `secret "${name}" not found`);
    const all = { ...(secret?.stringData ?? {}), ...decoded(secret?.data) };
    return selectFiles(all, source.items, source.defaultMode ?? DEFAULT_MODE, (key) =>
      source.optional ? undefined : `references non-existent secret key: ${key}`);
  }
  if (volume.downwardAPI) {
    return (volume.downwardAPI.items ?? []).flatMap((item) =>
      item.fieldRef ? [{ file: item.path, content: fieldRefValue(ctx, item.fieldRef.fieldPath), mode: item.mode ?? volume.downwardAPI?.defaultMode ?? DEFAULT_MODE }] : []);
  }
  if (volume.projected) return projectedFiles(ctx, dir, volume.projected);
  return undefined;
}

/** A tmpfs on the volume directory; without root (or when mount fails) a plain directory and a warning. */
async function setUpMemoryEmptyDir(ctx: VolumeContext, name: string, dir: string, sizeLimit: string | undefined): Promise<string> {
  const size = sizeLimit === undefined ? undefined : tryParseQuantity(sizeLimit);
  let problem: string;
  if (ctx.tmpfs ?? canMountTmpfs()) {
    try {
      await mountTmpfs(dir, size);
      return dir;
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    }
  } else {
    problem = 'mounting a tmpfs needs root';
  }
  ctx.warn?.('EmptyDirMemoryFallback', `emptyDir volume "${name}" with medium Memory is a directory on disk: ${problem}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

/** Sets up every volume of the pod; returns volume name -> host path. */
export async function prepareVolumes(ctx: VolumeContext): Promise<Map<string, string>> {
  const paths = new Map<string, string>();
  for (const volume of ctx.pod.spec?.volumes ?? []) {
    try {
      paths.set(volume.name, await setUpVolume(ctx, volume));
    } catch (error) {
      if (error instanceof VolumeError) throw error;
      throw new VolumeError(volume.name, error instanceof Error ? error.message : String(error));
    }
  }
  return paths;
}

/** The runtime mounts of one container (subPath joined to the volume's host path). */
export function containerMounts(container: Container, volumes: ReadonlyMap<string, string>): Mount[] {
  const mounts: Mount[] = [];
  for (const m of container.volumeMounts ?? []) {
    const base = volumes.get(m.name);
    if (base === undefined) continue;
    mounts.push({ containerPath: m.mountPath, hostPath: m.subPath ? path.join(base, m.subPath) : base, readOnly: m.readOnly ?? false });
  }
  return mounts;
}

/** Removes everything the agent wrote for the pod's volumes, in every root (logs live in the runtime's care). */
export async function removePodVolumes(roots: VolumeRoots, uid: string): Promise<void> {
  for (const pod of podDirs(roots, uid)) {
    const dir = path.join(pod, 'volumes');
    // A tmpfs must go first: rm would empty it and then fail on the busy mount point.
    await unmountUnder(dir);
    await rm(dir, { recursive: true, force: true });
  }
}

/** Removes the pod's directories (volumes, logs) in every root, tmpfs mounts first. */
export async function removePodDirs(roots: VolumeRoots, uid: string): Promise<void> {
  for (const dir of podDirs(roots, uid)) {
    // Memory-backed emptyDirs (tmpfs) are unmounted first: rm cannot remove a mount point.
    await unmountUnder(dir);
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Removes the directories (and unmounts the tmpfs volumes) of pods that are gone: pods deleted
 * while the agent was down leave them behind. Run at start, before any pod worker. Returns the uids.
 */
export async function removeOrphanPodDirs(roots: VolumeRoots, liveUids: ReadonlySet<string>): Promise<string[]> {
  const uids = new Set<string>();
  for (const root of [roots.dataDir, ...(roots.memoryDir !== undefined ? [roots.memoryDir] : [])]) {
    for (const uid of await readdir(path.join(root, 'pods')).catch(() => [])) uids.add(uid);
  }
  const removed: string[] = [];
  for (const uid of uids) {
    if (liveUids.has(uid)) continue;
    await removePodDirs(roots, uid);
    removed.push(uid);
  }
  return removed;
}
