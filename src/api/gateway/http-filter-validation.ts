// Validation of HTTPRoute filters (rule-level and backendRef-level), per the CRD schema and CEL rules.
import { duplicate, required, type FieldError } from '../field-error.js';
import { recordOf, recordsOf, type JsonRecord } from '../validation/json-access.js';
import { validateBackendObjectRef } from './reference-validation.js';
import {
  checkEnum, checkItems, checkRange, checkString, HEADER_NAME_PATTERN, PRECISE_HOSTNAME_PATTERN, ruleError,
} from './schema-errors.js';

/** filter.type -> the field that must be set for it (and only for it). */
const FIELD_OF_TYPE: Readonly<Record<string, string>> = {
  RequestHeaderModifier: 'requestHeaderModifier',
  ResponseHeaderModifier: 'responseHeaderModifier',
  RequestMirror: 'requestMirror',
  RequestRedirect: 'requestRedirect',
  URLRewrite: 'urlRewrite',
  ExtensionRef: 'extensionRef',
  CORS: 'cors',
};
const FILTER_TYPES = Object.keys(FIELD_OF_TYPE);
const NOT_REPEATABLE = ['CORS', 'RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestRedirect', 'URLRewrite'];
const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', '*'];

function validateHeaderList(errs: FieldError[], path: string, headers: unknown): void {
  checkItems(errs, path, headers, 16);
  const seen = new Set<string>();
  recordsOf(headers).forEach((header, i) => {
    checkString(errs, `${path}[${i}].name`, header.name, { min: 1, max: 256, pattern: HEADER_NAME_PATTERN, required: true });
    checkString(errs, `${path}[${i}].value`, header.value, { min: 1, max: 4096, required: true });
    // A list-map keyed by name: a repeated name is a duplicate entry.
    if (typeof header.name === 'string') {
      if (seen.has(header.name)) errs.push(duplicate(`${path}[${i}]`, { name: header.name }));
      seen.add(header.name);
    }
  });
}

function validateHeaderFilter(errs: FieldError[], path: string, filter: JsonRecord): void {
  validateHeaderList(errs, `${path}.set`, filter.set);
  validateHeaderList(errs, `${path}.add`, filter.add);
  checkItems(errs, `${path}.remove`, filter.remove, 16);
}

function validatePathModifier(errs: FieldError[], path: string, modifier: JsonRecord | undefined): void {
  if (!modifier) return;
  checkEnum(errs, `${path}.type`, modifier.type, ['ReplaceFullPath', 'ReplacePrefixMatch']);
  checkString(errs, `${path}.replaceFullPath`, modifier.replaceFullPath, { max: 1024 });
  checkString(errs, `${path}.replacePrefixMatch`, modifier.replacePrefixMatch, { max: 1024 });
  const has = (key: string): boolean => modifier[key] !== undefined && modifier[key] !== null;
  if (modifier.type === 'ReplaceFullPath' && !has('replaceFullPath'))
    errs.push(ruleError(path, 'object', "replaceFullPath must be specified when type is set to 'ReplaceFullPath'"));
  if (has('replaceFullPath') && modifier.type !== 'ReplaceFullPath')
    errs.push(ruleError(path, 'object', "type must be 'ReplaceFullPath' when replaceFullPath is set"));
  if (modifier.type === 'ReplacePrefixMatch' && !has('replacePrefixMatch'))
    errs.push(ruleError(path, 'object', "replacePrefixMatch must be specified when type is set to 'ReplacePrefixMatch'"));
  if (has('replacePrefixMatch') && modifier.type !== 'ReplacePrefixMatch')
    errs.push(ruleError(path, 'object', "type must be 'ReplacePrefixMatch' when replacePrefixMatch is set"));
}

function validateMirror(errs: FieldError[], path: string, mirror: JsonRecord): void {
  const backendRef = recordOf(mirror.backendRef);
  if (backendRef) validateBackendObjectRef(errs, `${path}.backendRef`, backendRef);
  else errs.push(required(`${path}.backendRef`));
  checkRange(errs, `${path}.percent`, mirror.percent, 0, 100);
  const fraction = recordOf(mirror.fraction);
  if (fraction) {
    checkRange(errs, `${path}.fraction.numerator`, fraction.numerator, 0);
    checkRange(errs, `${path}.fraction.denominator`, fraction.denominator, 1);
    if (typeof fraction.numerator === 'number' && typeof fraction.denominator === 'number' && fraction.numerator > fraction.denominator)
      errs.push(ruleError(`${path}.fraction`, 'object', 'numerator must be less than or equal to denominator'));
  }
  if (mirror.percent !== undefined && mirror.percent !== null && fraction)
    errs.push(ruleError(path, 'object', 'Only one of percent or fraction may be specified in HTTPRequestMirrorFilter'));
}

function validateRedirect(errs: FieldError[], path: string, redirect: JsonRecord): void {
  checkEnum(errs, `${path}.scheme`, redirect.scheme, ['http', 'https']);
  checkString(errs, `${path}.hostname`, redirect.hostname, { min: 1, max: 253, pattern: PRECISE_HOSTNAME_PATTERN });
  checkRange(errs, `${path}.port`, redirect.port, 1, 65535);
  checkEnum(errs, `${path}.statusCode`, redirect.statusCode, [301, 302, 303, 307, 308]);
  validatePathModifier(errs, `${path}.path`, recordOf(redirect.path));
}

function validateCors(errs: FieldError[], path: string, cors: JsonRecord): void {
  const lists: ReadonlyArray<[string, string]> = [['allowOrigins', 'origins'], ['allowMethods', 'methods'], ['allowHeaders', 'methods']];
  for (const [field, noun] of lists) {
    const values = Array.isArray(cors[field]) ? (cors[field] as unknown[]) : [];
    const label = field.charAt(0).toUpperCase() + field.slice(1);
    if (values.includes('*') && values.length > 1) errs.push(ruleError(`${path}.${field}`, 'array', `${label} cannot contain '*' alongside other ${noun}`));
  }
  (Array.isArray(cors.allowMethods) ? cors.allowMethods : []).forEach((method, i) => checkEnum(errs, `${path}.allowMethods[${i}]`, method, CORS_METHODS));
  checkRange(errs, `${path}.maxAge`, cors.maxAge, 1);
}

/** One filter: a known type, exactly its own field set, and that field's rules. */
function validateFilter(errs: FieldError[], path: string, filter: JsonRecord): void {
  const type = filter.type;
  if (type === undefined || type === null) errs.push(required(`${path}.type`));
  else checkEnum(errs, `${path}.type`, type, FILTER_TYPES);
  for (const [filterType, field] of Object.entries(FIELD_OF_TYPE)) {
    const set = filter[field] !== undefined && filter[field] !== null;
    if (set && type !== filterType) errs.push(ruleError(path, 'object', `filter.${field} must be nil if the filter.type is not ${filterType}`));
    if (!set && type === filterType) errs.push(ruleError(path, 'object', `filter.${field} must be specified for ${filterType} filter.type`));
  }
  const headerFilter = recordOf(filter.requestHeaderModifier);
  if (headerFilter) validateHeaderFilter(errs, `${path}.requestHeaderModifier`, headerFilter);
  const responseFilter = recordOf(filter.responseHeaderModifier);
  if (responseFilter) validateHeaderFilter(errs, `${path}.responseHeaderModifier`, responseFilter);
  const mirror = recordOf(filter.requestMirror);
  if (mirror) validateMirror(errs, `${path}.requestMirror`, mirror);
  const redirect = recordOf(filter.requestRedirect);
  if (redirect) validateRedirect(errs, `${path}.requestRedirect`, redirect);
  const rewrite = recordOf(filter.urlRewrite);
  if (rewrite) {
    checkString(errs, `${path}.urlRewrite.hostname`, rewrite.hostname, { min: 1, max: 253, pattern: PRECISE_HOSTNAME_PATTERN });
    validatePathModifier(errs, `${path}.urlRewrite.path`, recordOf(rewrite.path));
  }
  const cors = recordOf(filter.cors);
  if (cors) validateCors(errs, `${path}.cors`, cors);
}

/** A filter list (of a rule or of a backendRef) and the CEL rules on the list as a whole. */
export function validateFilters(errs: FieldError[], path: string, filters: unknown): void {
  checkItems(errs, path, filters, 16);
  const list = recordsOf(filters);
  list.forEach((filter, i) => validateFilter(errs, `${path}[${i}]`, filter));
  const count = (type: string): number => list.filter((f) => f.type === type).length;
  if (count('RequestRedirect') > 0 && count('URLRewrite') > 0)
    errs.push(ruleError(path, 'array', 'May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both'));
  for (const type of NOT_REPEATABLE) if (count(type) > 1) errs.push(ruleError(path, 'array', `${type} filter cannot be repeated`));
}
