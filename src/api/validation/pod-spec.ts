// PodSpec and PodTemplateSpec validation (upstream: ValidatePodSpec, ValidatePodTemplateSpec),
// shared by Pods, Deployments and ReplicaSets.
import { forbidden, invalid, notSupported, required, type FieldError } from '../field-error.js';
import { validateContainers, validateInitContainers } from './container.js';
import { arrayOf, isRecord, numberOf, recordOf, stringOf, type JsonRecord } from './json-access.js';
import { inclusiveRangeError, isDns1123Label, isDns1123Subdomain } from './name-rules.js';
import { validateAnnotations, validateLabels } from './object-meta.js';
import { validateTolerations } from './tolerations.js';
import { validateVolumes } from './volumes.js';

export const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const MAX_INT32 = 2147483647;

function validateChoice(value: unknown, path: string, supported: readonly string[]): FieldError[] {
  const text = stringOf(value);
  if (text === '') return [required(path)];
  return supported.includes(text) ? [] : [notSupported(path, text, supported)];
}

function validateSubdomainField(value: unknown, path: string): FieldError[] {
  const text = stringOf(value);
  return text === '' ? [] : isDns1123Subdomain(text).map((msg) => invalid(path, text, msg));
}

function validateDnsConfig(spec: JsonRecord, path: string): FieldError[] {
  const config = recordOf(spec.dnsConfig);
  if (spec.dnsPolicy === 'None') {
    if (!config) return [required(path, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if (arrayOf(config.nameservers).length === 0)
      return [required(`${path}.nameservers`, 'must provide at least one DNS nameserver when `dnsPolicy` is None')];
  }
  if (config && arrayOf(config.nameservers).length > 3)
    return [invalid(`${path}.nameservers`, config.nameservers, 'must not have more than 3 nameservers')];
  return [];
}

/** `forPod` is false for templates (Deployment/ReplicaSet), which skip a few pod-only checks. */
export function validatePodSpec(specValue: unknown, path: string, forPod: boolean): FieldError[] {
  const spec = recordOf(specValue) ?? {};
  const { errors: errs, names: volumes } = validateVolumes(spec.volumes, `${path}.volumes`);
  const names = new Set<string>();
  errs.push(...validateContainers(spec.containers, `${path}.containers`, { volumes, names, forPod }));
  errs.push(...validateInitContainers(spec.initContainers, `${path}.initContainers`, { volumes, names, forPod }));
  errs.push(...validateChoice(spec.restartPolicy, `${path}.restartPolicy`, RESTART_POLICIES));
  errs.push(...validateChoice(spec.dnsPolicy, `${path}.dnsPolicy`, DNS_POLICIES));
  errs.push(...validateLabels(spec.nodeSelector, `${path}.nodeSelector`));
  errs.push(...validateDnsConfig(spec, `${path}.dnsConfig`));
  errs.push(...validateSubdomainField(spec.serviceAccountName, `${path}.serviceAccountName`));
  errs.push(...validateSubdomainField(spec.nodeName, `${path}.nodeName`));
  errs.push(...validateSubdomainField(spec.schedulerName, `${path}.schedulerName`));
  errs.push(...validateSubdomainField(spec.priorityClassName, `${path}.priorityClassName`));
  const deadline = numberOf(spec.activeDeadlineSeconds);
  if (deadline !== undefined && (deadline < 1 || deadline > MAX_INT32))
    errs.push(invalid(`${path}.activeDeadlineSeconds`, deadline, inclusiveRangeError(1, MAX_INT32)));
  for (const field of ['hostname', 'subdomain']) {
    const value = stringOf(spec[field]);
    if (value !== '') for (const msg of isDns1123Label(value)) errs.push(invalid(`${path}.${field}`, value, msg));
  }
  errs.push(...validateTolerations(spec.tolerations, `${path}.tolerations`));
  arrayOf(spec.imagePullSecrets).forEach((secret, i) => {
    if (!isRecord(secret) || stringOf(secret.name) === '') errs.push(required(`${path}.imagePullSecrets[${i}].name`));
  });
  return errs;
}

/** A Deployment's or ReplicaSet's `spec.template`. Labels are reported at `<path>.labels`, like upstream. */
export function validatePodTemplateSpec(templateValue: unknown, path: string): FieldError[] {
  const template = recordOf(templateValue) ?? {};
  const meta = recordOf(template.metadata) ?? {};
  const errs = validateLabels(meta.labels, `${path}.labels`);
  errs.push(...validateAnnotations(meta.annotations, `${path}.annotations`));
  errs.push(...validatePodSpec(template.spec, `${path}.spec`, false));
  const spec = recordOf(template.spec);
  if (spec && arrayOf(spec.ephemeralContainers).length > 0)
    errs.push(forbidden(`${path}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template'));
  return errs;
}
