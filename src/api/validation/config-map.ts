// core/v1 ConfigMap validation (upstream: ValidateConfigMap, ValidateConfigMapUpdate).
import { invalid, tooLong, type FieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { MAX_CONFIG_DATA_SIZE, validateDataKeys, validateImmutableData } from './config-data.js';
import { isRecord, stringOf } from './json-access.js';
import { validateObjectMeta } from './object-meta.js';

export function validateConfigMap(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, { namespaced: true, nameRule: 'dns1123Subdomain' }, old?.metadata);
  const data = isRecord(obj.data) ? obj.data : {};
  const binaryData = isRecord(obj.binaryData) ? obj.binaryData : {};
  errs.push(...validateDataKeys(data, 'data'));
  let total = 0;
  for (const [key, value] of Object.entries(data)) {
    if (Object.hasOwn(binaryData, key)) errs.push(invalid(`data[${key}]`, key, 'duplicate of key present in binaryData'));
    total += Buffer.byteLength(stringOf(value));
  }
  errs.push(...validateDataKeys(binaryData, 'binaryData'));
  for (const value of Object.values(binaryData)) total += Buffer.from(stringOf(value), 'base64').length;
  // Upstream reports the size against the whole object (an empty field path).
  if (total > MAX_CONFIG_DATA_SIZE) errs.push(tooLong('', MAX_CONFIG_DATA_SIZE));
  if (old !== undefined) errs.push(...validateImmutableData(obj, old, ['data', 'binaryData']));
  return errs;
}
