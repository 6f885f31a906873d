// Launching analysis for a Rollout (Argo: rollout/analysis.go createAnalysisRun,
// newAnalysisRunFromRollout; utils/analysis CreateWithCollisionCounter). The Rollout controller
// calls ensureAnalysisRun on every pass; it finds the run for this rollout/revision/kind(/step) or
// creates it, and analysisRunResult (analysis-run-result.ts) tells it what the run decided.
//
// Names and labels, as Argo makes them (rollout `shop`, revision 3, canary hash `6d8f`):
//   step 2          shop-6d8f-3-2     rollout-type=Step, step-index=2
//   background      shop-6d8f-3       rollout-type=Background
//   prePromotion    shop-6d8f-3-pre   rollout-type=PrePromotion
//   postPromotion   shop-6d8f-3-post  rollout-type=PostPromotion
// each with rollouts-pod-template-hash=6d8f, the rollout's selector labels, the annotation
// rollout.argoproj.io/revision=3, and a controller reference to the Rollout.
//
// Reuse: a run that is still going is always returned (a second call, even with a stale cache,
// never creates a second run). A completed run is returned only while the Rollout's status still
// names it as its current run of that kind, or unless forceNew; otherwise (a retry after an abort
// cleared the status) a fresh run is created as `shop-6d8f-3-2.1`, `.2`, ... like Argo's collision
// counter.
import type { AnalysisRunArgument, AnalysisRunMetadata, AnalysisTemplateRef, DryRun, MeasurementRetention } from '../api/rollouts/v1alpha1/analysis-shared.js';
import type { Lister } from '../client/informer/informer.js';
import type { ClientSet } from '../client/resource-client.js';
import { ANALYSIS_RUNS } from '../client/resource-types.js';
import { AlreadyExistsError, NotFoundError } from '../lib/errors.js';
import { newControllerRef } from '../controllers/framework/controller-ref.js';
import { analysisRunSpecFromTemplates, ArgumentError, buildRolloutAnalysisArgs, fieldPathValue, isCompletedPhase } from './analysis/index.js';
import type { AnalysisRunObject } from './analysis-objects.js';
import { resolveTemplateRefs, type TemplateListers } from './analysis-template-refs.js';

export { analysisRunResult, type AnalysisRunOutcome } from './analysis-run-result.js';
export { AnalysisTemplateNotFoundError } from './analysis-template-refs.js';

export const POD_TEMPLATE_HASH_LABEL = 'rollouts-pod-template-hash';
export const ROLLOUT_TYPE_LABEL = 'rollout-type';
export const STEP_INDEX_LABEL = 'step-index';
export const REVISION_ANNOTATION = 'rollout.argoproj.io/revision';

export type AnalysisRunKind = 'step' | 'background' | 'prePromotion' | 'postPromotion';

const ROLLOUT_TYPES: Readonly<Record<AnalysisRunKind, string>> = {
  step: 'Step', background: 'Background', prePromotion: 'PrePromotion', postPromotion: 'PostPromotion',
};

interface RunRef { readonly name?: string }

/** The parts of a Rollout the launch reads (any Rollout type with these fields fits). */
export interface LaunchingRollout {
  readonly apiVersion?: string;
  readonly metadata?: {
    readonly name?: string; readonly namespace?: string; readonly uid?: string;
    readonly labels?: Readonly<Record<string, string>>; readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly spec?: { readonly selector?: { readonly matchLabels?: Readonly<Record<string, string>> } };
  readonly status?: {
    readonly canary?: { readonly currentStepAnalysisRunStatus?: RunRef; readonly currentBackgroundAnalysisRunStatus?: RunRef };
    readonly blueGreen?: { readonly prePromotionAnalysisRunStatus?: RunRef; readonly postPromotionAnalysisRunStatus?: RunRef };
  };
}

/** Spread a RolloutAnalysis (`...step.analysis`) into this: templates, args, dryRun, ... */
export interface EnsureAnalysisRunOptions {
  readonly rollout: LaunchingRollout;
  readonly kind: AnalysisRunKind;
  /** Required for kind `step`. */
  readonly stepIndex?: number;
  readonly templates?: readonly AnalysisTemplateRef[];
  readonly args?: readonly AnalysisRunArgument[];
  readonly dryRun?: readonly DryRun[];
  readonly measurementRetention?: readonly MeasurementRetention[];
  readonly analysisRunMetadata?: AnalysisRunMetadata;
  /** Pod template hashes: `latest` (alias `canary`) is the revision under analysis. */
  readonly podHashes: { readonly stable?: string; readonly latest?: string; readonly canary?: string };
  /** Default: the rollout's rollout.argoproj.io/revision annotation. */
  readonly revision?: string;
  /** Never reuse a completed run (retry): create the next `.N`. */
  readonly forceNew?: boolean;
}

export interface AnalysisLaunchListers extends TemplateListers {
  readonly analysisRuns: Lister<AnalysisRunObject>;
}

const MAX_COLLISIONS = 20;

export async function ensureAnalysisRun(options: EnsureAnalysisRunOptions, clients: ClientSet, listers: AnalysisLaunchListers): Promise<AnalysisRunObject> {
  const { rollout, kind } = options;
  const namespace = rollout.metadata?.namespace;
  const latest = options.podHashes.latest ?? options.podHashes.canary ?? '';
  if (latest === '') throw new ArgumentError(`Latest ReplicaSet of rollout '${rollout.metadata?.name ?? ''}' has no pod hash`);
  if (kind === 'step' && options.stepIndex === undefined) throw new ArgumentError('a step analysis needs its stepIndex');
  const revision = options.revision ?? rollout.metadata?.annotations?.[REVISION_ANNOTATION] ?? '';
  const infix = kind === 'step' ? String(options.stepIndex) : kind === 'prePromotion' ? 'pre' : kind === 'postPromotion' ? 'post' : '';
  const base = [rollout.metadata?.name ?? '', latest, revision, infix].filter((part) => part !== '').join('-');
  const typeLabels: Record<string, string> = { [POD_TEMPLATE_HASH_LABEL]: latest, [ROLLOUT_TYPE_LABEL]: ROLLOUT_TYPES[kind] };
  if (kind === 'step') typeLabels[STEP_INDEX_LABEL] = String(options.stepIndex);

  const current = currentRunName(rollout, kind);
  const reusable = (run: AnalysisRunObject): boolean =>
    isControlledByRollout(run, rollout) && sameLabels(run, typeLabels)
    && (!isCompletedPhase(run.status?.phase) || (options.forceNew !== true && run.metadata?.name === current));

  const candidates = listers.analysisRuns.list(namespace === undefined ? {} : { namespace })
    .filter((run) => collisionIndex(run.metadata?.name ?? '', base) !== undefined && isControlledByRollout(run, rollout))
    .sort((a, b) => collisionIndex(b.metadata?.name ?? '', base)! - collisionIndex(a.metadata?.name ?? '', base)!);
  const named = candidates.find((run) => run.metadata?.name === current && reusable(run));
  if (named !== undefined) return named;
  if (candidates[0] !== undefined && reusable(candidates[0])) return candidates[0];

  const run = await newAnalysisRun(options, clients, listers, { base, latest, revision, typeLabels });
  const client = clients.resource<AnalysisRunObject>(ANALYSIS_RUNS);
  let next = candidates[0] === undefined ? 0 : collisionIndex(candidates[0].metadata?.name ?? '', base)! + 1;
  for (let attempt = 0; attempt < MAX_COLLISIONS; attempt++, next++) {
    const name = next === 0 ? base : `${base}.${next}`;
    try {
      return await client.create(namespace, { ...run, metadata: { ...run.metadata, name } });
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
    }
    // Our cache lagged behind our own earlier create, or the name belongs to something else.
    const existing = await client.get(namespace, name);
    if (reusable(existing)) return existing;
  }
  throw new AlreadyExistsError(`analysis run names ${base} to ${base}.${next - 1} are all taken`);
}

/** Asks a run to stop (spec.terminate: true); the AnalysisRun controller ends it `Run Terminated`. */
export async function terminateAnalysisRun(run: AnalysisRunObject, clients: ClientSet): Promise<AnalysisRunObject | undefined> {
  if (run.spec.terminate === true || isCompletedPhase(run.status?.phase)) return run;
  try {
    return await clients.resource<AnalysisRunObject>(ANALYSIS_RUNS)
      .patch(run.metadata?.namespace, run.metadata?.name ?? '', 'merge', { spec: { terminate: true } });
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

async function newAnalysisRun(
  options: EnsureAnalysisRunOptions, clients: ClientSet, listers: TemplateListers,
  names: { base: string; latest: string; revision: string; typeLabels: Record<string, string> },
): Promise<AnalysisRunObject> {
  const { rollout } = options;
  const refs = options.templates ?? [];
  if (refs.length === 0) throw new ArgumentError('analysis has no templates');
  const { templates, clusterTemplates } = await resolveTemplateRefs(refs, rollout.metadata?.namespace, clients, listers);
  const args = buildRolloutAnalysisArgs(options.args ?? [], {
    podTemplateHash: (which) => (which === 'Stable' ? options.podHashes.stable : names.latest) ?? '',
    fieldRef: (path) => rolloutField(rollout, path),
  });
  const spec = analysisRunSpecFromTemplates({
    templates,
    // Only the spec of a template matters to the run; a ClusterAnalysisTemplate's kind differs.
    clusterTemplates: clusterTemplates.map((t) => ({ spec: t.spec })),
    args,
    ...(options.dryRun === undefined ? {} : { dryRun: options.dryRun }),
    ...(options.measurementRetention === undefined ? {} : { measurementRetention: options.measurementRetention }),
  });
  const labels = { ...names.typeLabels, ...options.analysisRunMetadata?.labels, ...rollout.spec?.selector?.matchLabels };
  const annotations = { [REVISION_ANNOTATION]: names.revision, ...options.analysisRunMetadata?.annotations };
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    metadata: {
      name: names.base,
      namespace: rollout.metadata?.namespace ?? 'default',
      labels,
      annotations,
      ownerReferences: [newControllerRef(rollout, { apiVersion: rollout.apiVersion ?? 'argoproj.io/v1alpha1', kind: 'Rollout' })],
    },
    spec,
  };
}

/**
 * A field of the rollout for `valueFrom.fieldRef`. As upstream's fieldpath, a missing label or
 * annotation key is the empty string; any other path that leads nowhere is an error.
 */
function rolloutField(rollout: LaunchingRollout, path: string): string | undefined {
  const value = fieldPathValue(rollout, path);
  if (value === undefined && /^metadata\.(labels|annotations)\[/.test(path)) return '';
  return value;
}

function currentRunName(rollout: LaunchingRollout, kind: AnalysisRunKind): string | undefined {
  const status = rollout.status;
  switch (kind) {
    case 'step': return status?.canary?.currentStepAnalysisRunStatus?.name;
    case 'background': return status?.canary?.currentBackgroundAnalysisRunStatus?.name;
    case 'prePromotion': return status?.blueGreen?.prePromotionAnalysisRunStatus?.name;
    case 'postPromotion': return status?.blueGreen?.postPromotionAnalysisRunStatus?.name;
  }
}

/** 0 for `base`, N for `base.N`, undefined for any other name. */
function collisionIndex(name: string, base: string): number | undefined {
  if (name === base) return 0;
  const match = name.startsWith(`${base}.`) ? /^\d+$/.exec(name.slice(base.length + 1)) : null;
  return match === null ? undefined : Number(match[0]);
}

function isControlledByRollout(run: AnalysisRunObject, rollout: LaunchingRollout): boolean {
  const uid = rollout.metadata?.uid;
  return uid !== undefined && (run.metadata?.ownerReferences ?? []).some((ref) => ref.controller === true && ref.uid === uid);
}

function sameLabels(run: AnalysisRunObject, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(labels).every(([key, value]) => run.metadata?.labels?.[key] === value);
}
