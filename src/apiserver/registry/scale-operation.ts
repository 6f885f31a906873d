// The scale subresource: an autoscaling/v1 Scale view of a kind's replica fields
// (KindInfo.subresources.scale), and writes that change only the parent's spec replicas.
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { invalid } from '../../api/field-error.js';
import type { KubeObject } from '../../api/object.js';
import type { ScaleInfo } from '../../api/kind-info.js';
import { formatLabelSelector } from '../../api/selectors/label-selector.js';
import { BadRequestError } from '../../lib/errors.js';
import { InvalidError } from './api-errors.js';
import { applyPatch, patchResourceVersion } from './patch-operation.js';
import { subresourceNotFound } from './put-operation.js';
import { MAX_WRITE_ATTEMPTS, modifiedConflict, readExisting, type RegistryContext, type StoredObject } from './registry-context.js';
import type { PatchOptions, PatchType, WriteOptions, WriteResult } from './registry-types.js';
import { checkNameMatches } from './type-meta.js';
import { StaleReadError, writeUpdate } from './update-operation.js';

const SCALE_GVK = { group: 'autoscaling', version: 'v1', kind: 'Scale' } as const;

function scaleInfo(ctx: RegistryContext): ScaleInfo {
  const info = ctx.strategy.info.subresources.scale;
  if (!info) throw subresourceNotFound();
  return info;
}

function getPath(obj: unknown, path: string): unknown {
  let node = obj;
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = obj;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1] ?? ''] = value;
}

function toScale(ctx: RegistryContext, stored: KubeObject): KubeObject {
  const info = scaleInfo(ctx);
  const meta = stored.metadata ?? {};
  const specReplicas = getPath(stored, info.specReplicasPath);
  const statusReplicas = getPath(stored, info.statusReplicasPath);
  const status: Record<string, unknown> = { replicas: typeof statusReplicas === 'number' ? statusReplicas : 0 };
  if (info.labelSelectorPath !== undefined) {
    // A CRD's labelSelectorPath names a string already in selector syntax (Rollout's .status.selector).
    const selector = getPath(stored, info.labelSelectorPath) as LabelSelector | string | undefined;
    const text = typeof selector === 'string' ? selector : selector ? formatLabelSelector(selector) : '';
    if (text !== '') status['selector'] = text;
  }
  const metadata: Record<string, unknown> = { name: meta.name };
  if (meta.namespace !== undefined) metadata['namespace'] = meta.namespace;
  metadata['uid'] = meta.uid;
  metadata['resourceVersion'] = meta.resourceVersion;
  metadata['creationTimestamp'] = meta.creationTimestamp;
  return {
    kind: 'Scale', apiVersion: 'autoscaling/v1', metadata,
    spec: { replicas: typeof specReplicas === 'number' ? specReplicas : 0 }, status,
  };
}

export async function getScale(ctx: RegistryContext, namespace: string | undefined, name: string): Promise<KubeObject> {
  scaleInfo(ctx);
  const current = await readExisting(ctx, namespace, name);
  return toScale(ctx, current.object);
}

/**
 * `scaleFor` computes the desired Scale from the current one. Its resourceVersion must match; a
 * lost compare-and-swap is retried on a fresh read unless the client named the version itself.
 */
async function writeScale(
  ctx: RegistryContext, namespace: string | undefined, name: string, options: WriteOptions,
  conditional: boolean, scaleFor: (current: KubeObject) => KubeObject,
): Promise<WriteResult> {
  const info = scaleInfo(ctx);
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
    const current: StoredObject = await readExisting(ctx, namespace, name);
    const scale = scaleFor(toScale(ctx, current.object));
    checkNameMatches(scale, name);
    const precondition = scale.metadata?.resourceVersion;
    const currentVersion = String(current.revision);
    if (precondition !== undefined && precondition !== '' && precondition !== currentVersion) throw modifiedConflict(ctx, name);
    const replicas = (scale['spec'] as { replicas?: unknown } | undefined)?.replicas;
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
      throw new InvalidError({ group: SCALE_GVK.group, kind: SCALE_GVK.kind }, name,
        [invalid('spec.replicas', replicas ?? null, 'must be greater than or equal to 0')]);
    }
    const desired = structuredClone(current.object);
    setPath(desired, info.specReplicasPath, replicas);
    try {
      const result = await writeUpdate(ctx, { current, desired, subresource: 'scale', options, warnings: [] });
      return { ...result, object: toScale(ctx, result.object) };
    } catch (error) {
      if (!(error instanceof StaleReadError) || conditional) throw error;
    }
  }
  throw modifiedConflict(ctx, name);
}

export function updateScale(ctx: RegistryContext, namespace: string | undefined, name: string, scale: KubeObject, options: WriteOptions): Promise<WriteResult> {
  if (scale.kind !== undefined && scale.kind !== 'Scale') {
    throw new BadRequestError(`the kind in the data (${String(scale.kind)}) does not match the expected kind (Scale)`);
  }
  const version = scale.metadata?.resourceVersion;
  return writeScale(ctx, namespace, name, options, version !== undefined && version !== '', () => structuredClone(scale));
}

export function patchScale(
  ctx: RegistryContext, namespace: string | undefined, name: string, type: PatchType, patch: unknown, options: PatchOptions,
): Promise<WriteResult> {
  if (type === 'apply' && (options.fieldManager === undefined || options.fieldManager === '')) {
    throw new BadRequestError('PATCH, application/apply-patch+yaml requires fieldManager');
  }
  // Server-side apply of a Scale is applied as a merge of its fields: Scale carries no list whose
  // ownership would matter, and the parent's managedFields are recorded by the write itself.
  return writeScale(ctx, namespace, name, options, patchResourceVersion(patch) !== undefined,
    (current) => applyPatch(type, current, patch, SCALE_GVK));
}
