// core/v1 Endpoints validation (upstream: ValidateEndpoints). Upstream also rejects loopback and
// link-local addresses; k8ts's process runtime gives pods loopback addresses, so that check is left out.
import { duplicate, invalid, notSupported, required, type FieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { SUPPORTED_PORT_PROTOCOLS } from './container.js';
import { validateIp } from './ip-address.js';
import { arrayOf, numberOf, recordsOf, stringOf, type JsonRecord } from './json-access.js';
import { isDns1123Label, isDns1123Subdomain, isValidPortNum } from './name-rules.js';
import { validateObjectMeta } from './object-meta.js';

function validateAddress(address: JsonRecord, path: string): FieldError[] {
  const errs = validateIp(stringOf(address.ip), `${path}.ip`);
  const hostname = stringOf(address.hostname);
  if (hostname !== '') for (const msg of isDns1123Label(hostname)) errs.push(invalid(`${path}.hostname`, hostname, msg));
  if (typeof address.nodeName === 'string')
    for (const msg of isDns1123Subdomain(address.nodeName)) errs.push(invalid(`${path}.nodeName`, address.nodeName, msg));
  return errs;
}

function validatePort(port: JsonRecord, requireName: boolean, names: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = stringOf(port.name);
  if (requireName && name === '') errs.push(required(`${path}.name`));
  else if (name !== '') {
    for (const msg of isDns1123Label(name)) errs.push(invalid(`${path}.name`, name, msg));
    if (names.has(name)) errs.push(duplicate(`${path}.name`, name));
    names.add(name);
  }
  const number = numberOf(port.port) ?? 0;
  for (const msg of isValidPortNum(number)) errs.push(invalid(`${path}.port`, number, msg));
  const protocol = stringOf(port.protocol);
  if (protocol === '') errs.push(required(`${path}.protocol`));
  else if (!SUPPORTED_PORT_PROTOCOLS.includes(protocol)) errs.push(notSupported(`${path}.protocol`, protocol, SUPPORTED_PORT_PROTOCOLS));
  return errs;
}

export function validateEndpoints(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, { namespaced: true, nameRule: 'dns1123Subdomain' }, old?.metadata);
  recordsOf(obj.subsets).forEach((subset, i) => {
    const path = `subsets[${i}]`;
    if (arrayOf(subset.addresses).length === 0 && arrayOf(subset.notReadyAddresses).length === 0)
      errs.push(required(path, 'must specify `addresses` or `notReadyAddresses`'));
    for (const list of ['addresses', 'notReadyAddresses'])
      recordsOf(subset[list]).forEach((address, j) => errs.push(...validateAddress(address, `${path}.${list}[${j}]`)));
    const ports = recordsOf(subset.ports);
    const names = new Set<string>();
    ports.forEach((port, j) => errs.push(...validatePort(port, ports.length > 1, names, `${path}.ports[${j}]`)));
  });
  return errs;
}
