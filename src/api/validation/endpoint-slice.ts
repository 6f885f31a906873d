// discovery.k8s.io/v1 EndpointSlice validation (upstream: pkg/apis/discovery/validation).
import { duplicate, invalid, notSupported, required, type FieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { SUPPORTED_PORT_PROTOCOLS } from './container.js';
import { tooMany } from './go-value.js';
import { validateIpOfFamily } from './ip-address.js';
import { arrayOf, recordsOf, stringOf } from './json-access.js';
import { isDns1123Label, isDns1123Subdomain, isValidPortNum } from './name-rules.js';
import { FIELD_IMMUTABLE, validateObjectMeta } from './object-meta.js';

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const MAX_ENDPOINTS = 1000;
const MAX_ADDRESSES = 100;

function validateEndpointList(endpoints: unknown, addressType: string): FieldError[] {
  const errs: FieldError[] = [];
  const list = recordsOf(endpoints);
  if (list.length > MAX_ENDPOINTS) errs.push(tooMany('endpoints', list.length, MAX_ENDPOINTS));
  list.forEach((endpoint, i) => {
    const path = `endpoints[${i}]`;
    const addresses = arrayOf(endpoint.addresses).map(stringOf);
    if (addresses.length === 0) errs.push(required(`${path}.addresses`, 'must contain at least 1 address'));
    else if (addresses.length > MAX_ADDRESSES) errs.push(tooMany(`${path}.addresses`, addresses.length, MAX_ADDRESSES));
    addresses.forEach((address, j) => {
      const addressPath = `${path}.addresses[${j}]`;
      if (addressType === 'IPv4' || addressType === 'IPv6') errs.push(...validateIpOfFamily(address, addressType, addressPath));
      else if (addressType === 'FQDN') for (const msg of isDns1123Subdomain(address)) errs.push(invalid(addressPath, address, msg));
    });
    if (typeof endpoint.nodeName === 'string')
      for (const msg of isDns1123Subdomain(endpoint.nodeName)) errs.push(invalid(`${path}.nodeName`, endpoint.nodeName, msg));
    if (typeof endpoint.hostname === 'string')
      for (const msg of isDns1123Label(endpoint.hostname)) errs.push(invalid(`${path}.hostname`, endpoint.hostname, msg));
  });
  return errs;
}

function validatePorts(ports: unknown): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  recordsOf(ports).forEach((port, i) => {
    const path = `ports[${i}]`;
    const name = stringOf(port.name);
    if (name !== '') for (const msg of isDns1123Label(name)) errs.push(invalid(`${path}.name`, name, msg));
    if (names.has(name)) errs.push(duplicate(`${path}.name`, name));
    names.add(name);
    const protocol = stringOf(port.protocol);
    if (protocol === '') errs.push(required(`${path}.protocol`));
    else if (!SUPPORTED_PORT_PROTOCOLS.includes(protocol)) errs.push(notSupported(`${path}.protocol`, protocol, SUPPORTED_PORT_PROTOCOLS));
    // A null port means "all ports"; a given one must be valid.
    if (typeof port.port === 'number') for (const msg of isValidPortNum(port.port)) errs.push(invalid(`${path}.port`, port.port, msg));
  });
  return errs;
}

export function validateEndpointSlice(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, { namespaced: true, nameRule: 'dns1123Subdomain' }, old?.metadata);
  const addressType = stringOf(obj.addressType);
  if (addressType === '') errs.push(required('addressType'));
  else if (!ADDRESS_TYPES.includes(addressType)) errs.push(notSupported('addressType', addressType, ADDRESS_TYPES));
  errs.push(...validateEndpointList(obj.endpoints, addressType));
  errs.push(...validatePorts(obj.ports));
  if (old !== undefined && addressType !== stringOf(old.addressType)) errs.push(invalid('addressType', addressType, FIELD_IMMUTABLE));
  return errs;
}
