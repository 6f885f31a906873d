// Label and field selectors compiled once per request into a predicate that list, watch and
// deleteCollection share. Field paths the kind does not support are rejected up front like upstream
// (`field label not supported: spec.foo`) instead of silently matching nothing.
import type { KubeObject } from '../../api/object.js';
import { fieldSelectorPaths, matchesFields, parseFieldSelector } from '../../api/selectors/field-selector.js';
import { matchesLabels, parseLabelSelector, selectsEverything } from '../../api/selectors/label-selector.js';
import { BadRequestError } from '../../lib/errors.js';
import type { ResourceStrategy } from './strategy.js';

export type ObjectPredicate = (obj: KubeObject) => boolean;

export interface ObjectFilter {
  readonly matches: ObjectPredicate;
  /** False when the filter accepts everything (lets callers skip work). */
  readonly selective: boolean;
}

export const ACCEPT_ALL: ObjectFilter = { matches: () => true, selective: false };

/** The value of a supported field-selector path, '' when unset. */
export function fieldValue(strategy: ResourceStrategy, obj: KubeObject, path: string): string | undefined {
  if (path === 'metadata.name') return obj.metadata?.name ?? '';
  if (path === 'metadata.namespace') return obj.metadata?.namespace ?? '';
  const getter = strategy.fieldSelectors[path];
  return getter ? getter(obj) : undefined;
}

/** Throws BadRequestError for a malformed selector or an unsupported field path. */
export function compileFilter(strategy: ResourceStrategy, labelSelector: string | undefined, fieldSelector: string | undefined): ObjectFilter {
  const labels = parseLabelSelector(labelSelector ?? '');
  const fields = parseFieldSelector(fieldSelector ?? '');
  for (const path of fieldSelectorPaths(fields)) {
    if (path !== 'metadata.name' && path !== 'metadata.namespace' && !Object.hasOwn(strategy.fieldSelectors, path)) {
      throw new BadRequestError(`field label not supported: ${path}`);
    }
  }
  const checkLabels = !selectsEverything(labels);
  const checkFields = fields.requirements.length > 0;
  if (!checkLabels && !checkFields) return ACCEPT_ALL;
  return {
    selective: true,
    matches: (obj) =>
      (!checkLabels || matchesLabels(labels, obj.metadata?.labels)) &&
      (!checkFields || matchesFields(fields, (path) => fieldValue(strategy, obj, path))),
  };
}
