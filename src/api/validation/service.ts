// core/v1 Service validation (upstream: ValidateService, ValidateServiceUpdate). Cluster IPs and
// node ports are allocated (and checked against their ranges) by the registry's service write
// hooks before validation runs; here a given cluster IP is checked and kept immutable.
import { duplicate, forbidden, invalid, notSupported, required, type FieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { SUPPORTED_PORT_PROTOCOLS } from './container.js';
import { goStringSlice, invalidRendered } from './go-value.js';
import { validateIp } from './ip-address.js';
import { arrayOf, isRecord, numberOf, recordOf, recordsOf, stringOf, type JsonRecord } from './json-access.js';
import { isDns1123Label, isDns1123Subdomain, isValidPortNum } from './name-rules.js';
import { validateLabels, validateObjectMeta } from './object-meta.js';
import { validatePortNumOrName } from './probe.js';
import { validateServiceTraffic, validateServiceTrafficUpdate } from './service-traffic.js';

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const SESSION_AFFINITIES = ['ClientIP', 'None'];
const IP_FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];

function isHeadless(spec: JsonRecord): boolean {
  return spec.clusterIP === 'None';
}

function validatePort(port: JsonRecord, requireName: boolean, names: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = stringOf(port.name);
  if (requireName && name === '') errs.push(required(`${path}.name`));
  else if (name !== '') {
    for (const msg of isDns1123Label(name)) errs.push(invalid(`${path}.name`, name, msg));
    if (names.has(name)) errs.push(duplicate(`${path}.name`, name));
    else names.add(name);
  }
  const portNumber = numberOf(port.port) ?? 0;
  for (const msg of isValidPortNum(portNumber)) errs.push(invalid(`${path}.port`, portNumber, msg));
  const protocol = stringOf(port.protocol);
  if (protocol === '') errs.push(required(`${path}.protocol`));
  else if (!SUPPORTED_PORT_PROTOCOLS.includes(protocol)) errs.push(notSupported(`${path}.protocol`, protocol, SUPPORTED_PORT_PROTOCOLS));
  errs.push(...validatePortNumOrName(port.targetPort, `${path}.targetPort`));
  return errs;
}

function validateClusterIPs(spec: JsonRecord): FieldError[] {
  const errs: FieldError[] = [];
  const ips = arrayOf(spec.clusterIPs).map(stringOf);
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) errs.push(invalidRendered('spec.clusterIPs', goStringSlice(ips), "'None' must be the first and only value"));
      return;
    }
    errs.push(...validateIp(ip, `spec.clusterIPs[${i}]`));
  });
  if (ips.length > 2) errs.push(invalidRendered('spec.clusterIPs', goStringSlice(ips), 'may only hold up to 2 values'));
  // clusterIP and clusterIPs[0] are two views of one value (Service storage keeps them in step).
  const clusterIP = stringOf(spec.clusterIP);
  if (spec.type !== 'ExternalName') {
    if (clusterIP !== '' && ips.length === 0) errs.push(required('spec.clusterIPs'));
    else if (clusterIP !== '' && ips[0] !== clusterIP)
      errs.push(invalidRendered('spec.clusterIPs', goStringSlice(ips), 'first value must match `clusterIP`'));
    else if (clusterIP === '' && ips.length > 0)
      errs.push(invalidRendered('spec.clusterIPs', goStringSlice(ips), 'must be empty when `clusterIP` is not specified'));
  }
  if (spec.type === 'ExternalName' && (clusterIP !== '' || ips.length > 0))
    errs.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
  return errs;
}

function validateServiceSpec(specValue: unknown): FieldError[] {
  const spec = recordOf(specValue) ?? {};
  const errs: FieldError[] = [];
  const type = stringOf(spec.type);
  const ports = recordsOf(spec.ports);
  if (ports.length === 0 && !isHeadless(spec) && type !== 'ExternalName') errs.push(required('spec.ports'));
  if (type === 'ExternalName') {
    const cname = stringOf(spec.externalName).replace(/\.$/, '');
    if (cname === '') errs.push(required('spec.externalName'));
    else for (const msg of isDns1123Subdomain(cname)) errs.push(invalid('spec.externalName', cname, msg));
  }
  const names = new Set<string>();
  ports.forEach((port, i) => errs.push(...validatePort(port, ports.length > 1, names, `spec.ports[${i}]`)));
  if (isRecord(spec.selector)) errs.push(...validateLabels(spec.selector, 'spec.selector'));

  const affinity = stringOf(spec.sessionAffinity);
  if (affinity === '') errs.push(required('spec.sessionAffinity'));
  else if (!SESSION_AFFINITIES.includes(affinity)) errs.push(notSupported('spec.sessionAffinity', affinity, SESSION_AFFINITIES));
  if (affinity === 'ClientIP') {
    const timeout = numberOf(recordOf(recordOf(spec.sessionAffinityConfig)?.clientIP)?.timeoutSeconds) ?? 0;
    if (timeout <= 0 || timeout > 86400)
      errs.push(invalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', timeout, 'must be greater than 0 and less than 86400'));
  }
  errs.push(...validateClusterIPs(spec));
  arrayOf(spec.externalIPs).forEach((ip, i) => errs.push(...validateIp(stringOf(ip), `spec.externalIPs[${i}]`)));

  if (type === '') errs.push(required('spec.type'));
  else if (!SERVICE_TYPES.includes(type)) errs.push(notSupported('spec.type', type, SERVICE_TYPES));
  const nodePorts = new Set<string>();
  const portKeys = new Set<string>();
  ports.forEach((port, i) => {
    const nodePort = numberOf(port.nodePort) ?? 0;
    if (nodePort !== 0) {
      if (type === 'ClusterIP') errs.push(forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
      const key = `${stringOf(port.protocol)}/${nodePort}`;
      if (nodePorts.has(key)) errs.push(duplicate(`spec.ports[${i}].nodePort`, nodePort));
      nodePorts.add(key);
    }
    const key = `${stringOf(port.protocol)}/${numberOf(port.port) ?? 0}`;
    if (portKeys.has(key))
      errs.push({
        reason: 'FieldValueDuplicate',
        field: `spec.ports[${i}]`,
        message: `Duplicate value: core.ServicePort{Name:"", Protocol:${JSON.stringify(stringOf(port.protocol))}, AppProtocol:(*string)(nil), Port:${numberOf(port.port) ?? 0}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`,
      });
    portKeys.add(key);
  });

  const familyPolicy = stringOf(spec.ipFamilyPolicy);
  if (familyPolicy !== '' && !IP_FAMILY_POLICIES.includes(familyPolicy))
    errs.push(notSupported('spec.ipFamilyPolicy', familyPolicy, IP_FAMILY_POLICIES));
  arrayOf(spec.ipFamilies).forEach((family, i) => {
    if (family !== 'IPv4' && family !== 'IPv6') errs.push(notSupported(`spec.ipFamilies[${i}]`, family, ['IPv4', 'IPv6']));
  });
  return errs;
}

/** A cluster IP, once allocated, stays (unless the Service is or becomes ExternalName). */
function validateClusterIpUpdate(spec: JsonRecord, old: JsonRecord): FieldError[] {
  if (spec.type === 'ExternalName' || old.type === 'ExternalName') return [];
  const before = stringOf(old.clusterIP);
  const now = stringOf(spec.clusterIP);
  // An empty clusterIP on update means "keep it": the registry copies the allocated one back.
  if (before === '' || now === '' || now === before) return [];
  const ips = arrayOf(spec.clusterIPs).map(stringOf);
  return [invalidRendered('spec.clusterIPs[0]', goStringSlice(ips.length > 0 ? ips : [now]), 'may not change once set')];
}

export function validateService(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, { namespaced: true, nameRule: 'dns1035Label' }, old?.metadata);
  errs.push(...validateServiceSpec(obj.spec));
  errs.push(...validateServiceTraffic(obj));
  if (old !== undefined) errs.push(...validateClusterIpUpdate(recordOf(obj.spec) ?? {}, recordOf(old.spec) ?? {}));
  if (old !== undefined) errs.push(...validateServiceTrafficUpdate(obj, old));
  return errs;
}
