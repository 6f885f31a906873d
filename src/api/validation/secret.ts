// core/v1 Secret validation (upstream: ValidateSecret, ValidateSecretUpdate). Runs after
// defaulting, so stringData has already been folded into data.
import { invalid, required, tooLong, type FieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { MAX_CONFIG_DATA_SIZE, validateDataKeys, validateImmutableData } from './config-data.js';
import { isRecord, stringOf } from './json-access.js';
import { FIELD_IMMUTABLE, validateObjectMeta } from './object-meta.js';

const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;
const REDACTED = '<secret contents redacted>';

function requireKeys(data: Record<string, unknown>, keys: readonly string[]): FieldError[] {
  return keys.filter((key) => !Object.hasOwn(data, key)).map((key) => required(`data[${key}]`));
}

function validateByType(type: string, data: Record<string, unknown>, annotations: Record<string, string>): FieldError[] {
  switch (type) {
    case 'kubernetes.io/service-account-token':
      return stringOf(annotations['kubernetes.io/service-account.name']) === ''
        ? [required('metadata.annotations[kubernetes.io/service-account.name]')]
        : [];
    case 'kubernetes.io/dockercfg':
    case 'kubernetes.io/dockerconfigjson': {
      const key = type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
      if (!Object.hasOwn(data, key)) return [required(`data[${key}]`)];
      try {
        const parsed: unknown = JSON.parse(Buffer.from(stringOf(data[key]), 'base64').toString('utf8'));
        return isRecord(parsed) ? [] : [invalid(`data[${key}]`, REDACTED, 'must be a JSON object')];
      } catch (err) {
        return [invalid(`data[${key}]`, REDACTED, (err as Error).message)];
      }
    }
    case 'kubernetes.io/basic-auth':
      return Object.hasOwn(data, 'username') || Object.hasOwn(data, 'password') ? [] : requireKeys(data, ['username', 'password']);
    case 'kubernetes.io/ssh-auth':
      return stringOf(data['ssh-privatekey']) === '' ? [required('data[ssh-privatekey]')] : [];
    case 'kubernetes.io/tls':
      return requireKeys(data, ['tls.crt', 'tls.key']);
    default:
      return [];
  }
}

export function validateSecret(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, { namespaced: true, nameRule: 'dns1123Subdomain' }, old?.metadata);
  const data = isRecord(obj.data) ? obj.data : {};
  errs.push(...validateDataKeys(data, 'data'));
  let total = 0;
  for (const [key, value] of Object.entries(data)) {
    const text = stringOf(value);
    // Upstream rejects bad base64 while decoding the request; we find it here.
    if (typeof value !== 'string' || text.length % 4 !== 0 || !BASE64_RE.test(text))
      errs.push(invalid(`data[${key}]`, REDACTED, 'illegal base64 data'));
    else total += Buffer.from(text, 'base64').length;
  }
  if (total > MAX_CONFIG_DATA_SIZE) errs.push(tooLong('data', MAX_CONFIG_DATA_SIZE));
  errs.push(...validateByType(stringOf(obj.type), data, obj.metadata?.annotations ?? {}));
  if (old !== undefined) {
    if (stringOf(obj.type) !== stringOf(old.type)) errs.push(invalid('type', stringOf(obj.type), FIELD_IMMUTABLE));
    errs.push(...validateImmutableData(obj, old, ['data']));
  }
  return errs;
}
