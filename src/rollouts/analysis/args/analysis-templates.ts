// Building an AnalysisRun spec from AnalysisTemplates / ClusterAnalysisTemplates and the caller's
// args (Argo: NewAnalysisRunFromTemplates, FlattenTemplates, MergeArgs).
//
// Worked example: template A has args [svc (no value), window=60s], template B has [svc]; the
// rollout passes [svc=web]. Flattening gives [svc, window=60s] (same name with no conflicting
// values is one arg); merging sets svc=web; every arg now has a value, so the run can be created.
// Had the rollout not passed svc, the result is ArgumentError "args.svc was not resolved".
import { ArgumentError } from '../analysis-errors.js';
import type { AnalysisRunSpec, AnalysisTemplate, Argument, DryRun, MeasurementRetention, Metric } from '../analysis-types.js';

export interface AnalysisRunSpecOptions {
  templates: readonly AnalysisTemplate[];
  clusterTemplates?: readonly AnalysisTemplate[];
  args?: readonly Argument[];
  dryRun?: readonly DryRun[];
  measurementRetention?: readonly MeasurementRetention[];
}

export function analysisRunSpecFromTemplates(options: AnalysisRunSpecOptions): AnalysisRunSpec {
  const all = [...options.templates, ...(options.clusterTemplates ?? [])];
  const metrics: Metric[] = [];
  const names = new Set<string>();
  for (const metric of all.flatMap((t) => t.spec.metrics ?? [])) {
    if (names.has(metric.name)) throw new ArgumentError(`two metrics have the same name '${metric.name}'`);
    names.add(metric.name);
    metrics.push(metric);
  }
  const args = mergeArgs(options.args ?? [], flattenArgs(all));
  const spec: AnalysisRunSpec = { metrics, args };
  const dryRun = [...(options.dryRun ?? []), ...all.flatMap((t) => t.spec.dryRun ?? [])];
  if (dryRun.length > 0) spec.dryRun = dryRun;
  const retention = [...(options.measurementRetention ?? []), ...all.flatMap((t) => t.spec.measurementRetention ?? [])];
  if (retention.length > 0) spec.measurementRetention = retention;
  return spec;
}

function flattenArgs(templates: readonly AnalysisTemplate[]): Argument[] {
  const combined: Argument[] = [];
  for (const arg of templates.flatMap((t) => t.spec.args ?? [])) {
    const i = combined.findIndex((a) => a.name === arg.name);
    const previous = combined[i];
    if (previous === undefined) {
      combined.push({ ...arg });
      continue;
    }
    if (previous.value !== undefined && arg.value !== undefined && previous.value !== arg.value) {
      throw new ArgumentError(`Argument \`${arg.name}\` specified multiple times with different values: '${previous.value}', '${arg.value}'`);
    }
    if (previous.value === undefined) combined[i] = { ...arg };
  }
  return combined;
}

/** Template args with the incoming values applied; every arg must end with a value or valueFrom. */
export function mergeArgs(incoming: readonly Argument[], templateArgs: readonly Argument[]): Argument[] {
  const merged = templateArgs.map((a) => ({ ...a }));
  for (const arg of incoming) {
    const target = merged.find((a) => a.name === arg.name);
    if (target === undefined) continue;
    if (arg.value !== undefined) target.value = arg.value;
    else if (arg.valueFrom !== undefined) target.valueFrom = arg.valueFrom;
  }
  for (const arg of merged) {
    if (arg.value === undefined && arg.valueFrom === undefined) throw new ArgumentError(`args.${arg.name} was not resolved`);
  }
  return merged;
}
