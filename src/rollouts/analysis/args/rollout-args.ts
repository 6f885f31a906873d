// Arguments a Rollout passes to its analyses (Argo: BuildArgumentsForRolloutAnalysisRun). Values
// that depend on the rollout's state are resolved by the caller, which knows its ReplicaSets:
//
//   args:
//   - name: canary-hash
//     valueFrom: {podTemplateHashValue: Latest}   # -> resolver.podTemplateHash('Latest')
//   - name: svc
//     valueFrom: {fieldRef: {fieldPath: metadata.labels['app']}}  # -> resolver.fieldRef(path)
import { ArgumentError } from '../analysis-errors.js';
import type { AnalysisRunArgument, Argument } from '../analysis-types.js';

export interface RolloutArgResolver {
  /** The pod-template-hash of the stable or the latest (canary) ReplicaSet. */
  podTemplateHash(which: 'Stable' | 'Latest'): string | undefined;
  /** A field of the Rollout; see fieldPathValue for a ready-made implementation. */
  fieldRef(fieldPath: string): string | undefined;
}

export function buildRolloutAnalysisArgs(args: readonly AnalysisRunArgument[], resolver: RolloutArgResolver): Argument[] {
  return args.map((arg) => {
    let value = arg.value ?? '';
    const from = arg.valueFrom;
    if (from?.podTemplateHashValue !== undefined) {
      value = resolver.podTemplateHash(from.podTemplateHashValue) ?? '';
    } else if (from?.fieldRef !== undefined) {
      const found = resolver.fieldRef(from.fieldRef.fieldPath);
      if (found === undefined) throw new ArgumentError(`invalid path ${from.fieldRef.fieldPath} in rollout`);
      value = found;
    }
    return { name: arg.name, value };
  });
}

/**
 * A field of an object by a Kubernetes field path: `metadata.name`, `metadata.labels['app']`,
 * `metadata.annotations["a/b"]`, `spec.strategy.canary.steps[0].setWeight`. Undefined when the
 * path leads nowhere or to an object/array (a value must be a primitive).
 */
export function fieldPathValue(object: unknown, fieldPath: string): string | undefined {
  const keyed = /^metadata\.(labels|annotations)\[['"](.+)['"]\]$/.exec(fieldPath);
  const sections = keyed !== null ? ['metadata', keyed[1]!, keyed[2]!] : fieldPath.split(/[.[\]]+/).filter((s) => s !== '');
  let current: unknown = object;
  for (const section of sections) {
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(section)) return undefined;
      current = current[Number(section)];
    } else if (typeof current === 'object' && current !== null && Object.hasOwn(current, section)) {
      current = (current as Record<string, unknown>)[section];
    } else {
      return undefined;
    }
  }
  if (typeof current === 'string') return current;
  if (typeof current === 'number' || typeof current === 'boolean') return String(current);
  return undefined;
}
