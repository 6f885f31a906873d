// HTTPRoute validation: the CRD schema's limits and enums and its CEL rules that matter for
// routing (path values, weights 0..1,000,000, Service refs need a port, filter consistency).
// Runs after defaulting, so match types, backendRef group/kind and weights are present.
import { duplicate, required, type FieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { arrayOf, recordOf, recordsOf, type JsonRecord } from '../validation/json-access.js';
import { validateObjectMeta } from '../validation/object-meta.js';
import { validateFilters } from './http-filter-validation.js';
import { parseGatewayDuration } from './gateway-duration.js';
import { validateBackendObjectRef, validateParentRef, validateParentRefSet } from './reference-validation.js';
import {
  checkEnum, checkItems, checkRange, checkString, DURATION_PATTERN, HEADER_NAME_PATTERN, HOSTNAME_PATTERN, ruleError,
  SECTION_NAME_PATTERN,
} from './schema-errors.js';

const PATH_TYPES = ['Exact', 'PathPrefix', 'RegularExpression'];
const VALUE_MATCH_TYPES = ['Exact', 'RegularExpression'];
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'];
const PATH_CHARACTERS = "^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$";
const MAX_TOTAL_MATCHES = 128;

/** The CEL rules on a path match of type Exact or PathPrefix, in upstream's order. */
function pathValueProblems(value: string): string[] {
  const t = "when type one of ['Exact', 'PathPrefix']";
  const problems: string[] = [];
  if (!value.startsWith('/')) problems.push(`value must be an absolute path and start with '/' ${t}`);
  for (const bad of ['//', '/./', '/../', '%2f', '%2F', '#']) if (value.includes(bad)) problems.push(`must not contain '${bad}' ${t}`);
  for (const bad of ['/..', '/.']) if (value.endsWith(bad)) problems.push(`must not end with '${bad}' ${t}`);
  if (!new RegExp(PATH_CHARACTERS).test(value))
    problems.push(`must only contain valid characters (matching ${PATH_CHARACTERS}) for types ['Exact', 'PathPrefix']`);
  return problems;
}

function validateValueMatches(errs: FieldError[], path: string, list: unknown, maxValue: number): void {
  checkItems(errs, path, list, 16);
  const seen = new Set<string>();
  recordsOf(list).forEach((m, i) => {
    checkEnum(errs, `${path}[${i}].type`, m.type, VALUE_MATCH_TYPES);
    checkString(errs, `${path}[${i}].name`, m.name, { min: 1, max: 256, pattern: HEADER_NAME_PATTERN, required: true });
    checkString(errs, `${path}[${i}].value`, m.value, { min: 1, max: maxValue, required: true });
    if (typeof m.name === 'string') {
      if (seen.has(m.name)) errs.push(duplicate(`${path}[${i}]`, { name: m.name }));
      seen.add(m.name);
    }
  });
}

function validateMatch(errs: FieldError[], path: string, match: JsonRecord): void {
  const pathMatch = recordOf(match.path);
  if (pathMatch) {
    checkEnum(errs, `${path}.path.type`, pathMatch.type, PATH_TYPES);
    checkString(errs, `${path}.path.value`, pathMatch.value, { max: 1024 });
    const value = pathMatch.value;
    if ((pathMatch.type === 'Exact' || pathMatch.type === 'PathPrefix') && typeof value === 'string')
      for (const problem of pathValueProblems(value)) errs.push(ruleError(`${path}.path`, 'object', problem));
  }
  validateValueMatches(errs, `${path}.headers`, match.headers, 4096);
  validateValueMatches(errs, `${path}.queryParams`, match.queryParams, 1024);
  checkEnum(errs, `${path}.method`, match.method, METHODS);
}

function validateTimeouts(errs: FieldError[], path: string, timeouts: JsonRecord): void {
  checkString(errs, `${path}.request`, timeouts.request, { pattern: DURATION_PATTERN });
  checkString(errs, `${path}.backendRequest`, timeouts.backendRequest, { pattern: DURATION_PATTERN });
  const request = parseGatewayDuration(timeouts.request);
  const backend = parseGatewayDuration(timeouts.backendRequest);
  if (request !== undefined && backend !== undefined && request !== 0 && backend > request)
    errs.push(ruleError(path, 'object', 'backendRequest timeout cannot be longer than request timeout'));
}

/** Whether some filter (of the rule or of one of its backends) rewrites or redirects with replacePrefixMatch. */
function usesPrefixReplace(filters: unknown, kind: 'requestRedirect' | 'urlRewrite'): boolean {
  return recordsOf(filters).some((f) => {
    const modifier = recordOf(recordOf(f[kind])?.path);
    return modifier?.type === 'ReplacePrefixMatch' && typeof modifier.replacePrefixMatch === 'string';
  });
}

function validateRule(errs: FieldError[], path: string, rule: JsonRecord): void {
  checkString(errs, `${path}.name`, rule.name, { min: 1, max: 253, pattern: SECTION_NAME_PATTERN });
  checkItems(errs, `${path}.matches`, rule.matches, 64);
  recordsOf(rule.matches).forEach((m, i) => validateMatch(errs, `${path}.matches[${i}]`, m));
  validateFilters(errs, `${path}.filters`, rule.filters);
  checkItems(errs, `${path}.backendRefs`, rule.backendRefs, 16);
  recordsOf(rule.backendRefs).forEach((ref, i) => {
    const refPath = `${path}.backendRefs[${i}]`;
    validateBackendObjectRef(errs, refPath, ref);
    checkRange(errs, `${refPath}.weight`, ref.weight, 0, 1_000_000);
    validateFilters(errs, `${refPath}.filters`, ref.filters);
  });
  const timeouts = recordOf(rule.timeouts);
  if (timeouts) validateTimeouts(errs, `${path}.timeouts`, timeouts);

  const hasBackends = arrayOf(rule.backendRefs).length > 0;
  if (hasBackends && recordsOf(rule.filters).some((f) => f.requestRedirect !== undefined && f.requestRedirect !== null))
    errs.push(ruleError(path, 'object', 'RequestRedirect filter must not be used together with backendRefs'));
  const matches = recordsOf(rule.matches);
  const singlePrefix = matches.length === 1 && recordOf(matches[0]?.path)?.type === 'PathPrefix';
  if (!singlePrefix) {
    const backendFilters = recordsOf(rule.backendRefs).map((b) => b.filters);
    const checks: ReadonlyArray<[boolean, string]> = [
      [usesPrefixReplace(rule.filters, 'requestRedirect'), 'When using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified'],
      [usesPrefixReplace(rule.filters, 'urlRewrite'), 'When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified'],
      [backendFilters.some((f) => usesPrefixReplace(f, 'requestRedirect')), 'Within backendRefs, when using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified'],
      [backendFilters.some((f) => usesPrefixReplace(f, 'urlRewrite')), 'Within backendRefs, When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified'],
    ];
    for (const [applies, message] of checks) if (applies) errs.push(ruleError(path, 'object', message));
  }
}

export function validateHTTPRoute(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, { namespaced: true, nameRule: 'dns1123Subdomain' }, old?.metadata);
  const spec = recordOf(obj.spec);
  if (!spec) {
    errs.push(required('spec'));
    return errs;
  }
  checkItems(errs, 'spec.parentRefs', spec.parentRefs, 32);
  const parentRefs = recordsOf(spec.parentRefs);
  parentRefs.forEach((ref, i) => validateParentRef(errs, `spec.parentRefs[${i}]`, ref));
  validateParentRefSet(errs, 'spec.parentRefs', parentRefs);
  checkItems(errs, 'spec.hostnames', spec.hostnames, 16);
  arrayOf(spec.hostnames).forEach((hostname, i) =>
    checkString(errs, `spec.hostnames[${i}]`, hostname, { min: 1, max: 253, pattern: HOSTNAME_PATTERN }));
  checkItems(errs, 'spec.rules', spec.rules, 16, 1);
  const rules = recordsOf(spec.rules);
  rules.forEach((rule, i) => validateRule(errs, `spec.rules[${i}]`, rule));
  const totalMatches = rules.reduce((sum, rule) => sum + arrayOf(rule.matches).length, 0);
  if (totalMatches > MAX_TOTAL_MATCHES)
    errs.push(ruleError('spec.rules', 'array', 'While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than 128'));
  return errs;
}
