// Sticky cohorts, a k8ts extension of HTTPRoute (issue 5 §5). Annotating a route with
//
//   metadata.annotations["gateway.k8ts.io/cohort-key"]: "header:x-user-id"   (or "cookie:session")
//
// makes every rule of the route split traffic by user instead of by request: the header's or
// cookie's value is hashed into one of 10,000 buckets and each backendRef owns a contiguous range of
// buckets in declaration order, sized by its weight share (backend-picker.ts). A user therefore
// keeps seeing the same backend while the weights change, as long as the later backend (the
// canary) grows, and everyone goes back together when its weight returns to 0. Requests without
// the header/cookie are split at random by weight, as without the annotation.

import type { CohortKey } from './route-table.js';

export const COHORT_KEY_ANNOTATION = 'gateway.k8ts.io/cohort-key';

// RFC 9110 token characters: what a header field name or cookie name may be.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export type CohortKeyParse = { readonly ok: true; readonly key: CohortKey | undefined } | { readonly ok: false; readonly message: string };

/**
 * Parses the annotation value: `header:<name>` or `cookie:<name>` (whitespace around the parts is
 * ignored; header names are lower-cased, cookie names are case-sensitive). Absent or empty: no key.
 */
export function parseCohortKey(value: string | undefined): CohortKeyParse {
  if (value === undefined || value.trim() === '') return { ok: true, key: undefined };
  const colon = value.indexOf(':');
  const source = colon < 0 ? '' : value.slice(0, colon).trim().toLowerCase();
  const name = colon < 0 ? '' : value.slice(colon + 1).trim();
  if ((source !== 'header' && source !== 'cookie') || !TOKEN.test(name)) {
    return { ok: false, message: `${COHORT_KEY_ANNOTATION} must be "header:<name>" or "cookie:<name>", got ${JSON.stringify(value)}` };
  }
  return { ok: true, key: { source, name: source === 'header' ? name.toLowerCase() : name } };
}

/** The cohort key of an object's annotations; an invalid value means none (the compiler reports it). */
export function cohortKeyOf(annotations: Readonly<Record<string, string>> | undefined): CohortKey | undefined {
  const parsed = parseCohortKey(annotations?.[COHORT_KEY_ANNOTATION]);
  return parsed.ok ? parsed.key : undefined;
}
