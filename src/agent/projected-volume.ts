// The files of a projected volume (upstream pkg/volume/projected collectData): its sources, in
// order, fill one directory; a later source's file replaces an earlier one at the same path.
//   secret / configMap: as the volumes of the same name (items, mode, optional); the source's
//     defaultMode is the volume's;
//   downwardAPI: fieldRef items (mode or defaultMode);
//   serviceAccountToken: a token for the pod's ServiceAccount bound to the pod, at `path` with the
//     volume's defaultMode, kept fresh by PodTokenFiles (service-account-token.ts).
// Every source is tried; the problems are reported together (upstream's aggregate: one message, or
// `[a, b]`), and the volume is then not set up.
import path from 'node:path';
import type { ProjectedVolumeSource, VolumeProjection } from 'kubernetes-types/core/v1.js';
import { fieldRefValue, type ConfigSource } from './container-env.js';
import type { PodObject } from './object-types.js';
import type { TokenIssuer } from './service-account-token.js';
import { decoded, DEFAULT_MODE, selectFiles, type VolumeFile } from './volume-files.js';

export interface ProjectedContext {
  readonly pod: PodObject;
  readonly source: ConfigSource;
  readonly hostIP: string;
  readonly podIP?: string;
  /** Issues and refreshes the pod's tokens; absent: serviceAccountToken sources fail. */
  readonly tokens?: TokenIssuer;
}

/** Thrown with every source's problem, in upstream's aggregate wording. */
export class ProjectedSourcesError extends Error {
  constructor(messages: readonly string[]) {
    super(messages.length === 1 ? (messages[0] ?? '') : `[${messages.join(', ')}]`);
    this.name = 'ProjectedSourcesError';
  }
}

async function sourceFiles(ctx: ProjectedContext, dir: string, source: VolumeProjection, defaultMode: number): Promise<VolumeFile[]> {
  const namespace = ctx.pod.metadata?.namespace ?? 'default';
  if (source.secret) {
    const { name = '', optional = false, items } = source.secret;
    const secret = await ctx.source.secret(namespace, name);
    if (!secret && !optional) throw new Error(`secret "${name}" not found`);
    const all = { ...(secret?.stringData ?? {}), ...decoded(secret?.data) };
    return selectFiles(all, items, defaultMode, (key) => (optional ? undefined : `references non-existent secret key: ${key}`));
  }
  if (source.configMap) {
    const { name = '', optional = false, items } = source.configMap;
    const cm = await ctx.source.configMap(namespace, name);
    if (!cm && !optional) throw new Error(`configmap "${name}" not found`);
    const all = { ...decoded(cm?.binaryData), ...(cm?.data ?? {}) };
    return selectFiles(all, items, defaultMode, (key) => (optional ? undefined : `configmap references non-existent config key: ${key}`));
  }
  if (source.downwardAPI) {
    return (source.downwardAPI.items ?? []).flatMap((item) =>
      item.fieldRef ? [{ file: item.path, content: fieldRefValue(ctx, item.fieldRef.fieldPath), mode: item.mode ?? defaultMode }] : []);
  }
  if (source.serviceAccountToken) {
    if (!ctx.tokens) throw new Error('failed to fetch token: this agent cannot request ServiceAccount tokens');
    const file = path.join(dir, source.serviceAccountToken.path);
    const token = await ctx.tokens.issue(ctx.pod, source.serviceAccountToken, { volume: path.basename(dir), file, mode: defaultMode });
    return [{ file: source.serviceAccountToken.path, content: token, mode: defaultMode }];
  }
  // clusterTrustBundle and podCertificate projections are not served: nothing to write.
  return [];
}

/** The files of projected volume `volume` whose host directory is `dir`; throws when a source fails. */
export async function projectedFiles(ctx: ProjectedContext, dir: string, volume: ProjectedVolumeSource): Promise<VolumeFile[]> {
  const defaultMode = volume.defaultMode ?? DEFAULT_MODE;
  const byPath = new Map<string, VolumeFile>();
  const problems: string[] = [];
  for (const source of volume.sources ?? []) {
    try {
      for (const file of await sourceFiles(ctx, dir, source, defaultMode)) byPath.set(file.file, file);
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  if (problems.length > 0) throw new ProjectedSourcesError(problems);
  return [...byPath.values()];
}
