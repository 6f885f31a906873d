// Container env and envFrom (upstream: ValidateEnv, validateEnvVarValueFrom, ValidateEnvFrom).
import { invalid, notSupported, required, type FieldError } from '../field-error.js';
import { isRecord, recordsOf, stringOf, type JsonRecord } from './json-access.js';
import { isConfigMapKey, isDns1123Subdomain, isEnvVarName } from './name-rules.js';

/** Field paths a downward-API env var may name (sorted, as upstream lists them). */
const ENV_FIELD_PATHS = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
];

const SUBSCRIPTED_PATH = /^metadata\.(labels|annotations)\['(.+)'\]$/;

function validateKeySelector(ref: JsonRecord, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = stringOf(ref.name);
  for (const msg of isDns1123Subdomain(name)) errs.push(invalid(`${path}.name`, name, msg));
  const key = stringOf(ref.key);
  if (key === '') errs.push(required(`${path}.key`));
  else for (const msg of isConfigMapKey(key)) errs.push(invalid(`${path}.key`, key, msg));
  return errs;
}

function validateFieldRef(ref: JsonRecord, path: string): FieldError[] {
  if (stringOf(ref.apiVersion) === '') return [required(`${path}.apiVersion`)];
  const fieldPath = stringOf(ref.fieldPath);
  if (fieldPath === '') return [required(`${path}.fieldPath`)];
  if (SUBSCRIPTED_PATH.test(fieldPath) || ENV_FIELD_PATHS.includes(fieldPath)) return [];
  return [notSupported(`${path}.fieldPath`, fieldPath, ENV_FIELD_PATHS)];
}

function validateValueFrom(env: JsonRecord, path: string): FieldError[] {
  const from = env.valueFrom;
  if (!isRecord(from)) return [];
  const errs: FieldError[] = [];
  let sources = 0;
  if (isRecord(from.fieldRef)) {
    sources++;
    errs.push(...validateFieldRef(from.fieldRef, `${path}.fieldRef`));
  }
  if (isRecord(from.resourceFieldRef)) {
    sources++;
    if (stringOf(from.resourceFieldRef.resource) === '') errs.push(required(`${path}.resourceFieldRef.resource`));
  }
  if (isRecord(from.configMapKeyRef)) {
    sources++;
    errs.push(...validateKeySelector(from.configMapKeyRef, `${path}.configMapKeyRef`));
  }
  if (isRecord(from.secretKeyRef)) {
    sources++;
    errs.push(...validateKeySelector(from.secretKeyRef, `${path}.secretKeyRef`));
  }
  if (sources === 0)
    errs.push(invalid(path, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
  else if (stringOf(env.value) !== '') errs.push(invalid(path, '', 'may not be specified when `value` is not empty'));
  else if (sources > 1) errs.push(invalid(path, '', 'may not have more than one field specified at a time'));
  return errs;
}

export function validateEnv(env: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  recordsOf(env).forEach((item, i) => {
    const itemPath = `${path}[${i}]`;
    const name = stringOf(item.name);
    if (name === '') errs.push(required(`${itemPath}.name`));
    else for (const msg of isEnvVarName(name)) errs.push(invalid(`${itemPath}.name`, name, msg));
    errs.push(...validateValueFrom(item, `${itemPath}.valueFrom`));
  });
  return errs;
}

export function validateEnvFrom(envFrom: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  recordsOf(envFrom).forEach((item, i) => {
    const itemPath = `${path}[${i}]`;
    const prefix = stringOf(item.prefix);
    if (prefix !== '') for (const msg of isEnvVarName(prefix)) errs.push(invalid(`${itemPath}.prefix`, prefix, msg));
    let sources = 0;
    for (const kind of ['configMapRef', 'secretRef'] as const) {
      const ref = item[kind];
      if (!isRecord(ref)) continue;
      sources++;
      const name = stringOf(ref.name);
      if (name === '') errs.push(required(`${itemPath}.${kind}.name`));
      else for (const msg of isDns1123Subdomain(name)) errs.push(invalid(`${itemPath}.${kind}.name`, name, msg));
    }
    if (sources === 0) errs.push(invalid(itemPath, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (sources > 1) errs.push(invalid(itemPath, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}
