// An HTTPRoute's status.parents entries for the parents this controller implements: Accepted
// (attached to at least one listener, else why not) and ResolvedRefs (backends). Entries other
// controllers wrote are kept as they are; ours are rebuilt from scratch each time.
import type { HTTPRoute, ParentReference, RouteParentStatus } from '../../api/gateway/index.js';
import { GatewayConditionReason as Reason } from '../../api/gateway/index.js';
import { jsonEqual } from '../../api/validation/json-access.js';
import { mergeConditions, type DesiredCondition } from './condition-list.js';
import type { AttachmentResult } from './route-attachment.js';

export interface ParentVerdict {
  readonly ref: ParentReference;
  readonly attachment: AttachmentResult;
}

/** A rule the data plane cannot serve (an invalid regular expression): Accepted False UnsupportedValue. */
export function unsupportedValue(route: HTTPRoute): string | undefined {
  for (const rule of route.spec.rules ?? []) {
    for (const match of rule.matches ?? []) {
      const patterns = [
        ...(match.path?.type === 'RegularExpression' ? [match.path.value ?? ''] : []),
        ...(match.headers ?? []).filter((h) => h.type === 'RegularExpression').map((h) => h.value),
        ...(match.queryParams ?? []).filter((q) => q.type === 'RegularExpression').map((q) => q.value),
      ];
      for (const pattern of patterns) {
        try {
          new RegExp(pattern);
        } catch {
          return `Invalid regular expression ${JSON.stringify(pattern)}`;
        }
      }
    }
  }
  return undefined;
}

function acceptedCondition(verdict: ParentVerdict, unsupported: string | undefined): DesiredCondition {
  if (!verdict.attachment.accepted)
    return { type: 'Accepted', status: 'False', reason: verdict.attachment.reason, message: verdict.attachment.message };
  if (unsupported !== undefined) return { type: 'Accepted', status: 'False', reason: Reason.UnsupportedValue, message: unsupported };
  return { type: 'Accepted', status: 'True', reason: Reason.Accepted, message: 'Route accepted' };
}

export interface RouteStatusInput {
  readonly route: HTTPRoute;
  readonly controllerName: string;
  readonly verdicts: readonly ParentVerdict[];
  readonly resolvedRefs: DesiredCondition;
  readonly now: string;
}

/** status.parents after this controller's pass: others' entries first (kept), then ours in spec order. */
export function buildRouteParents(input: RouteStatusInput): RouteParentStatus[] {
  const { route, controllerName, now } = input;
  const existing = route.status?.parents ?? [];
  const others = existing.filter((p) => p.controllerName !== controllerName);
  const unsupported = unsupportedValue(route);
  const ours = input.verdicts.map((verdict): RouteParentStatus => {
    const old = existing.find((p) => p.controllerName === controllerName && jsonEqual(p.parentRef, verdict.ref));
    const desired = [acceptedCondition(verdict, unsupported), input.resolvedRefs];
    return {
      parentRef: structuredClone(verdict.ref),
      controllerName,
      conditions: mergeConditions(old?.conditions, desired, route.metadata?.generation, now),
    };
  });
  return [...others, ...ours];
}
