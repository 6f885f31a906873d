// The request body must be the kind the URL names. Absent apiVersion/kind are filled in (upstream
// decodes with the URL's kind as the default); a different one is the client's mistake (400).
import { apiVersionOf, type KubeObject } from '../../api/object.js';
import { BadRequestError } from '../../lib/errors.js';
import type { KindInfo } from '../../api/kind-info.js';

export function checkTypeMeta(info: KindInfo, obj: KubeObject): void {
  const expected = apiVersionOf(info.group, info.version);
  if (obj.apiVersion !== undefined && obj.apiVersion !== '' && obj.apiVersion !== expected) {
    throw new BadRequestError(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${expected})`);
  }
  if (obj.kind !== undefined && obj.kind !== '' && obj.kind !== info.kind) {
    throw new BadRequestError(`the kind in the data (${String(obj.kind)}) does not match the expected kind (${info.kind})`);
  }
  if (obj.metadata !== undefined && (obj.metadata === null || typeof obj.metadata !== 'object' || Array.isArray(obj.metadata))) {
    throw new BadRequestError(`${info.kind} in version "${info.version}" cannot be handled as a ${info.kind}: metadata must be an object`);
  }
}

/** The name in the body must be the one in the URL (PUT, patch results). */
export function checkNameMatches(obj: KubeObject, name: string): void {
  const bodyName = obj.metadata?.name;
  if (bodyName !== undefined && bodyName !== '' && bodyName !== name) {
    throw new BadRequestError(`the name of the object (${bodyName}) does not match the name on the URL (${name})`);
  }
}

/**
 * Upstream's EnsureObjectNamespaceMatchesRequestNamespace: an empty namespace takes the request's;
 * cluster-scoped objects lose theirs; any other difference is a 400.
 */
export function settleNamespace(info: KindInfo, obj: KubeObject, requestNamespace: string | undefined): string | undefined {
  const metadata = (obj.metadata ??= {});
  if (!info.namespaced) {
    delete metadata.namespace;
    return undefined;
  }
  const own = metadata.namespace;
  if (own !== undefined && own !== '' && requestNamespace !== undefined && requestNamespace !== '' && own !== requestNamespace) {
    throw new BadRequestError('the namespace of the provided object does not match the namespace sent on the request');
  }
  const namespace = requestNamespace !== undefined && requestNamespace !== '' ? requestNamespace : own;
  if (namespace === undefined || namespace === '') throw new BadRequestError('the namespace of the provided object is required');
  metadata.namespace = namespace;
  return namespace;
}
