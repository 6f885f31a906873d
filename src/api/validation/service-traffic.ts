// core/v1 Service traffic fields (upstream ValidateService's parts for them):
// externalTrafficPolicy only on externally-accessible services, healthCheckNodePort only with
// type LoadBalancer + externalTrafficPolicy Local (and immutable there), internalTrafficPolicy,
// loadBalancerSourceRanges (or its legacy annotation) only on LoadBalancers and only CIDRs.
// healthCheckNodePort being *required* is not checked here: it is allocated by the registry's
// write hooks, which not every registry (tests) has.
import { isIP } from 'node:net';
import { forbidden, invalid, notSupported, required, type FieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { arrayOf, numberOf, recordOf, stringOf, type JsonRecord } from './json-access.js';
import { isValidPortNum } from './name-rules.js';

const TRAFFIC_POLICIES = ['Cluster', 'Local'];
export const SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';

/** upstream apiservice.ExternallyAccessible */
function externallyAccessible(spec: JsonRecord): boolean {
  return spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.type === 'ClusterIP' && arrayOf(spec.externalIPs).length > 0);
}

/** upstream apiservice.NeedsHealthCheck */
function needsHealthCheck(spec: JsonRecord): boolean {
  return spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
}

const IPV4_SLOPPY = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Go's netutils.ParseCIDRSloppy: an IPv4 (leading zeros allowed) or IPv6 address, `/`, a prefix length. */
export function isSloppyCidr(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash < 0) return false;
  const address = value.slice(0, slash);
  const prefix = value.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefix)) return false;
  if (IPV4_SLOPPY.test(address)) return address.split('.').every((octet) => Number(octet) <= 255) && Number(prefix) <= 32;
  return isIP(address) === 6 && Number(prefix) <= 128;
}

const CIDR_MESSAGE = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

function validateSourceRanges(obj: KubeObject, spec: JsonRecord): FieldError[] {
  const errs: FieldError[] = [];
  const ranges = arrayOf(spec.loadBalancerSourceRanges);
  const onlyLoadBalancer = "may only be used when `type` is 'LoadBalancer'";
  if (ranges.length > 0) {
    // Upstream's path really is capitalised here.
    const path = 'spec.LoadBalancerSourceRanges';
    if (spec.type !== 'LoadBalancer') errs.push(forbidden(path, onlyLoadBalancer));
    ranges.forEach((range, i) => {
      // Blank padding is allowed: a leftover from the annotation this field replaced.
      const value = stringOf(range).trim();
      if (!isSloppyCidr(value)) errs.push(invalid(`${path}[${i}]`, value, CIDR_MESSAGE));
    });
    return errs;
  }
  const annotation = recordOf(obj.metadata?.annotations)?.[SOURCE_RANGES_ANNOTATION];
  if (typeof annotation !== 'string') return errs;
  const path = `metadata.annotations[${SOURCE_RANGES_ANNOTATION}]`;
  if (spec.type !== 'LoadBalancer') errs.push(forbidden(path, onlyLoadBalancer));
  const text = annotation.trim();
  if (text !== '') {
    for (const part of text.split(',')) {
      const value = part.trim();
      if (!isSloppyCidr(value)) errs.push(invalid(path, value, CIDR_MESSAGE));
    }
  }
  return errs;
}

export function validateServiceTraffic(obj: KubeObject): FieldError[] {
  const spec = recordOf(obj.spec) ?? {};
  const errs: FieldError[] = [];
  const external = stringOf(spec.externalTrafficPolicy);
  if (!externallyAccessible(spec)) {
    if (external !== '') errs.push(invalid('spec.externalTrafficPolicy', external, 'may only be set for externally-accessible services'));
  } else if (external === '') errs.push(required('spec.externalTrafficPolicy'));
  else if (!TRAFFIC_POLICIES.includes(external)) errs.push(notSupported('spec.externalTrafficPolicy', external, TRAFFIC_POLICIES));

  const healthPort = numberOf(spec.healthCheckNodePort) ?? 0;
  if (!needsHealthCheck(spec)) {
    if (healthPort !== 0) {
      errs.push(invalid('spec.healthCheckNodePort', healthPort, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
    }
  } else if (healthPort !== 0) {
    for (const msg of isValidPortNum(healthPort)) errs.push(invalid('spec.healthCheckNodePort', healthPort, msg));
  }

  const internal = spec.internalTrafficPolicy;
  if (internal === undefined || internal === null) {
    // Other types are not checked, as upstream: objects stored before the field existed stay valid.
    if (spec.type === 'ClusterIP' || spec.type === 'NodePort' || spec.type === 'LoadBalancer')
      errs.push(required('spec.internalTrafficPolicy', 'must specify a valid internalTrafficPolicy value'));
  } else if (!TRAFFIC_POLICIES.includes(stringOf(internal))) errs.push(notSupported('spec.internalTrafficPolicy', internal, TRAFFIC_POLICIES));

  errs.push(...validateSourceRanges(obj, spec));
  return errs;
}

/** healthCheckNodePort cannot change while the Service keeps needing it (upstream validateServiceExternalTrafficFieldsUpdate). */
export function validateServiceTrafficUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const spec = recordOf(obj.spec) ?? {};
  const before = recordOf(old.spec) ?? {};
  if (needsHealthCheck(before) && needsHealthCheck(spec) && (numberOf(spec.healthCheckNodePort) ?? 0) !== (numberOf(before.healthCheckNodePort) ?? 0))
    return [forbidden('spec.healthCheckNodePort', 'field is immutable')];
  return [];
}
