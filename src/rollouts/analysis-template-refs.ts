// Resolving a Rollout's `templates: [{templateName, clusterScope?}]` to AnalysisTemplates and
// ClusterAnalysisTemplates (Argo: getAnalysisTemplatesFromRefs), including templates that
// reference other templates (`spec.templates`), each template used once.
//
// Worked example: refs [A, {B, clusterScope}] where A.spec.templates = [C] and C.spec.templates =
// [A] gives templates [A, C] and cluster templates [B]: A's nested C is followed, C's nested A is
// already taken (no loop), and the metrics of A, C, then B make up the run.
import type { AnalysisTemplateRef } from '../api/rollouts/v1alpha1/analysis-shared.js';
import type { Lister } from '../client/informer/informer.js';
import type { ClientSet, ResourceType } from '../client/resource-client.js';
import { ANALYSIS_TEMPLATES, CLUSTER_ANALYSIS_TEMPLATES } from '../client/resource-types.js';
import { K8tsError, NotFoundError } from '../lib/errors.js';
import type { AnalysisTemplateObject, ClusterAnalysisTemplateObject } from './analysis-objects.js';

/** A referenced template does not exist: the Rollout surfaces the message in its status. */
export class AnalysisTemplateNotFoundError extends K8tsError {
  readonly templateKind: 'AnalysisTemplate' | 'ClusterAnalysisTemplate';
  readonly templateName: string;
  constructor(templateKind: 'AnalysisTemplate' | 'ClusterAnalysisTemplate', templateName: string, options?: { cause?: unknown }) {
    super('NotFound', `${templateKind} "${templateName}" not found`, options);
    this.templateKind = templateKind;
    this.templateName = templateName;
  }
}

export interface TemplateListers {
  readonly analysisTemplates: Lister<AnalysisTemplateObject>;
  readonly clusterAnalysisTemplates: Lister<ClusterAnalysisTemplateObject>;
}

export interface ResolvedTemplates {
  readonly templates: AnalysisTemplateObject[];
  readonly clusterTemplates: ClusterAnalysisTemplateObject[];
}

/**
 * The templates `refs` name, in order, with nested references followed. A template missing from
 * the cache is read from the API before it is declared missing (the cache may lag a fresh apply).
 */
export async function resolveTemplateRefs(
  refs: readonly AnalysisTemplateRef[],
  namespace: string | undefined,
  clients: ClientSet,
  listers: TemplateListers,
): Promise<ResolvedTemplates> {
  const out: ResolvedTemplates = { templates: [], clusterTemplates: [] };
  const seen = new Set<string>();
  const visit = async (ref: AnalysisTemplateRef): Promise<void> => {
    const cluster = ref.clusterScope === true;
    const id = `${cluster ? 'cluster' : 'namespace'}/${ref.templateName}`;
    if (seen.has(id)) return;
    seen.add(id);
    let nested: readonly AnalysisTemplateRef[];
    if (cluster) {
      const template = await lookup(listers.clusterAnalysisTemplates, clients, CLUSTER_ANALYSIS_TEMPLATES, undefined, ref.templateName);
      out.clusterTemplates.push(template);
      nested = template.spec.templates ?? [];
    } else {
      const template = await lookup(listers.analysisTemplates, clients, ANALYSIS_TEMPLATES, namespace, ref.templateName);
      out.templates.push(template);
      nested = template.spec.templates ?? [];
    }
    for (const next of nested) await visit(next);
  };
  for (const ref of refs) await visit(ref);
  return out;
}

async function lookup<T extends AnalysisTemplateObject | ClusterAnalysisTemplateObject>(
  lister: Lister<T>, clients: ClientSet, type: ResourceType, namespace: string | undefined, name: string,
): Promise<T> {
  const cached = lister.get(namespace, name);
  if (cached !== undefined) return cached;
  try {
    return await clients.resource<T>(type).get(namespace, name);
  } catch (error) {
    if (error instanceof NotFoundError) {
      throw new AnalysisTemplateNotFoundError(type.namespaced ? 'AnalysisTemplate' : 'ClusterAnalysisTemplate', name, { cause: error });
    }
    throw error;
  }
}
