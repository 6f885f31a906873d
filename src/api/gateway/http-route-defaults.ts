// HTTPRoute defaults (the CRD's `default:` values): parentRef group/kind, one PathPrefix "/" rule
// and match, match types Exact/PathPrefix, backendRef group ""/kind Service/weight 1, redirect 302.
import type { KubeObject } from '../object.js';
import { recordOf, recordsOf, type JsonRecord } from '../validation/json-access.js';
import { GATEWAY_GROUP } from './well-known.js';

function setIfAbsent(record: JsonRecord, key: string, value: unknown): void {
  if (record[key] === undefined || record[key] === null) record[key] = value;
}

/** A parentRef (in spec or in status.parents) defaults to a Gateway. */
export function defaultParentRef(ref: JsonRecord): void {
  setIfAbsent(ref, 'group', GATEWAY_GROUP);
  setIfAbsent(ref, 'kind', 'Gateway');
}

function defaultBackendObjectRef(ref: JsonRecord): void {
  setIfAbsent(ref, 'group', '');
  setIfAbsent(ref, 'kind', 'Service');
}

function defaultFilter(filter: JsonRecord): void {
  const redirect = recordOf(filter.requestRedirect);
  if (redirect) setIfAbsent(redirect, 'statusCode', 302);
  const mirror = recordOf(filter.requestMirror);
  if (mirror) {
    const backendRef = recordOf(mirror.backendRef);
    if (backendRef) defaultBackendObjectRef(backendRef);
    const fraction = recordOf(mirror.fraction);
    if (fraction) setIfAbsent(fraction, 'denominator', 100);
  }
  const cors = recordOf(filter.cors);
  if (cors) setIfAbsent(cors, 'maxAge', 5);
}

function defaultMatch(match: JsonRecord): void {
  setIfAbsent(match, 'path', {});
  const path = recordOf(match.path);
  if (path) {
    setIfAbsent(path, 'type', 'PathPrefix');
    setIfAbsent(path, 'value', '/');
  }
  for (const header of recordsOf(match.headers)) setIfAbsent(header, 'type', 'Exact');
  for (const param of recordsOf(match.queryParams)) setIfAbsent(param, 'type', 'Exact');
}

function defaultRule(rule: JsonRecord): void {
  setIfAbsent(rule, 'matches', [{}]);
  for (const match of recordsOf(rule.matches)) defaultMatch(match);
  for (const filter of recordsOf(rule.filters)) defaultFilter(filter);
  for (const backendRef of recordsOf(rule.backendRefs)) {
    defaultBackendObjectRef(backendRef);
    setIfAbsent(backendRef, 'weight', 1);
    for (const filter of recordsOf(backendRef.filters)) defaultFilter(filter);
  }
}

export function defaultHTTPRoute(obj: KubeObject): void {
  const spec = recordOf(obj.spec);
  if (spec) {
    for (const ref of recordsOf(spec.parentRefs)) defaultParentRef(ref);
    setIfAbsent(spec, 'rules', [{}]);
    for (const rule of recordsOf(spec.rules)) defaultRule(rule);
  }
  // Upstream's CRD strategy drops status on create and declares no default for it: no `status: {}`.
  const status = recordOf(obj.status);
  if (status && Object.keys(status).length === 0) delete obj.status;
  for (const parent of recordsOf(recordOf(obj.status)?.parents)) {
    const ref = recordOf(parent.parentRef);
    if (ref) defaultParentRef(ref);
  }
}
