// Gateway validation: the CRD schema's limits, enums and patterns and its CEL rules on listeners
// (unique names; unique port/protocol/hostname; TLS only where the protocol has it).
import { required, type FieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { recordOf, recordsOf, type JsonRecord } from '../validation/json-access.js';
import { validateObjectMeta } from '../validation/object-meta.js';
import { validateGroupKind, validateObjectRef } from './reference-validation.js';
import {
  checkEnum, checkItems, checkRange, checkString, HOSTNAME_PATTERN, ruleError, SECTION_NAME_PATTERN,
} from './schema-errors.js';

const PROTOCOL_PATTERN = '^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\/[A-Za-z0-9]+$';
const ADDRESS_TYPE_PATTERN =
  "^Hostname|IPAddress|NamedAddress|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\/[A-Za-z0-9\\/\\-._~%!$&'()*+,;=:]+$";

function has(record: JsonRecord, key: string): boolean {
  return record[key] !== undefined && record[key] !== null;
}

function validateListener(errs: FieldError[], path: string, listener: JsonRecord): void {
  checkString(errs, `${path}.name`, listener.name, { min: 1, max: 253, pattern: SECTION_NAME_PATTERN, required: true });
  checkString(errs, `${path}.hostname`, listener.hostname, { min: 1, max: 253, pattern: HOSTNAME_PATTERN });
  if (!has(listener, 'port')) errs.push(required(`${path}.port`));
  checkRange(errs, `${path}.port`, listener.port, 1, 65535);
  checkString(errs, `${path}.protocol`, listener.protocol, { min: 1, max: 255, pattern: PROTOCOL_PATTERN, required: true });
  const tls = recordOf(listener.tls);
  if (tls) {
    checkEnum(errs, `${path}.tls.mode`, tls.mode, ['Terminate', 'Passthrough']);
    checkItems(errs, `${path}.tls.certificateRefs`, tls.certificateRefs, 64);
    recordsOf(tls.certificateRefs).forEach((ref, i) => validateObjectRef(errs, `${path}.tls.certificateRefs[${i}]`, ref));
    const options = recordOf(tls.options);
    if (tls.mode === 'Terminate' && recordsOf(tls.certificateRefs).length === 0 && Object.keys(options ?? {}).length === 0)
      errs.push(ruleError(`${path}.tls`, 'object', 'certificateRefs or options must be specified when mode is Terminate'));
  }
  const allowed = recordOf(listener.allowedRoutes);
  if (allowed) {
    checkEnum(errs, `${path}.allowedRoutes.namespaces.from`, recordOf(allowed.namespaces)?.from, ['All', 'Selector', 'Same']);
    checkItems(errs, `${path}.allowedRoutes.kinds`, allowed.kinds, 8);
    recordsOf(allowed.kinds).forEach((kind, i) => validateGroupKind(errs, `${path}.allowedRoutes.kinds[${i}]`, kind));
  }
}

/** The CEL rules on spec.listeners as a whole. */
function validateListenerSet(errs: FieldError[], listeners: readonly JsonRecord[]): void {
  const rule = (message: string): void => { errs.push(ruleError('spec.listeners', 'array', message)); };
  const protocolIn = (l: JsonRecord, protocols: readonly string[]): boolean => protocols.includes(l.protocol as string);
  if (listeners.some((l) => protocolIn(l, ['HTTP', 'TCP', 'UDP']) && has(l, 'tls')))
    rule("tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']");
  if (listeners.some((l) => l.protocol === 'HTTPS' && has(l, 'tls') && !['', 'Terminate', undefined].includes(recordOf(l.tls)?.mode as string)))
    rule('tls mode must be Terminate for protocol HTTPS');
  if (listeners.some((l) => l.protocol === 'TLS' && (recordOf(l.tls)?.mode ?? '') === ''))
    rule('tls mode must be set for protocol TLS');
  if (listeners.some((l) => protocolIn(l, ['TCP', 'UDP']) && (l.hostname ?? '') !== ''))
    rule("hostname must not be specified for protocols ['TCP', 'UDP']");
  const names = listeners.map((l) => l.name);
  if (names.some((name, i) => names.indexOf(name) !== i)) rule('Listener name must be unique within the Gateway');
  const combos = listeners.map((l) => JSON.stringify([l.port, l.protocol, l.hostname ?? null]));
  if (combos.some((combo, i) => combos.indexOf(combo) !== i)) rule('Combination of port, protocol and hostname must be unique for each listener');
}

function validateAddresses(errs: FieldError[], addresses: unknown): void {
  checkItems(errs, 'spec.addresses', addresses, 16);
  const list = recordsOf(addresses);
  list.forEach((address, i) => {
    checkString(errs, `spec.addresses[${i}].type`, address.type, { min: 1, max: 253, pattern: ADDRESS_TYPE_PATTERN });
    checkString(errs, `spec.addresses[${i}].value`, address.value, { max: 253 });
  });
  for (const type of ['IPAddress', 'Hostname']) {
    const values = list.filter((a) => a.type === type && has(a, 'value')).map((a) => a.value);
    if (values.some((v, i) => values.indexOf(v) !== i)) errs.push(ruleError('spec.addresses', 'array', `${type} values must be unique`));
  }
}

export function validateGateway(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, { namespaced: true, nameRule: 'dns1123Subdomain' }, old?.metadata);
  const spec = recordOf(obj.spec);
  if (!spec) {
    errs.push(required('spec'));
    return errs;
  }
  checkString(errs, 'spec.gatewayClassName', spec.gatewayClassName, { min: 1, max: 253, required: true });
  if (!Array.isArray(spec.listeners)) errs.push(required('spec.listeners'));
  checkItems(errs, 'spec.listeners', spec.listeners, 64, 1);
  const listeners = recordsOf(spec.listeners);
  listeners.forEach((listener, i) => validateListener(errs, `spec.listeners[${i}]`, listener));
  validateListenerSet(errs, listeners);
  validateAddresses(errs, spec.addresses);
  const allowedFrom = recordOf(recordOf(spec.allowedListeners)?.namespaces)?.from;
  checkEnum(errs, 'spec.allowedListeners.namespaces.from', allowedFrom, ['All', 'Selector', 'Same', 'None']);
  const perPort = recordsOf(recordOf(recordOf(spec.tls)?.frontend)?.perPort);
  const ports = perPort.map((p) => p.port);
  if (ports.some((p, i) => ports.indexOf(p) !== i)) errs.push(ruleError('spec.tls.frontend.perPort', 'array', 'Port for TLS configuration must be unique within the Gateway'));
  return errs;
}
