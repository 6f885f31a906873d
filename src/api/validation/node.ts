// core/v1 Node validation (upstream: ValidateNode, ValidateNodeUpdate), for the fields k8ts uses.
import { duplicate, forbidden, invalid, required, type FieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { recordOf, recordsOf, stringOf } from './json-access.js';
import { isQualifiedName, isValidLabelValue } from './name-rules.js';
import { validateObjectMeta } from './object-meta.js';
import { validateTaintEffect } from './tolerations.js';

function validateTaints(taints: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  recordsOf(taints).forEach((taint, i) => {
    const itemPath = `${path}[${i}]`;
    const key = stringOf(taint.key);
    if (key === '') errs.push(required(`${itemPath}.key`));
    else for (const msg of isQualifiedName(key)) errs.push(invalid(`${itemPath}.key`, key, msg));
    const value = stringOf(taint.value);
    for (const msg of isValidLabelValue(value)) errs.push(invalid(`${itemPath}.value`, value, msg));
    const effect = stringOf(taint.effect);
    errs.push(...validateTaintEffect(effect, false, `${itemPath}.effect`));
    const unique = `${key}:${effect}`;
    if (seen.has(unique)) errs.push(duplicate(itemPath, `${key}:${effect}`));
    seen.add(unique);
  });
  return errs;
}

export function validateNode(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, { namespaced: false, nameRule: 'dns1123Subdomain' }, old?.metadata);
  errs.push(...validateTaints(recordOf(obj.spec)?.taints, 'spec.taints'));
  if (old !== undefined) {
    // Once set, the pod CIDR belongs to the node's network setup.
    const before = stringOf(recordOf(old.spec)?.podCIDR);
    const now = stringOf(recordOf(obj.spec)?.podCIDR);
    if (before !== '' && now !== before)
      errs.push(forbidden('spec.podCIDR', 'node updates may not change podCIDR except from "" to valid'));
  }
  return errs;
}
