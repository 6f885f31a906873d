// One pod (anti-)affinity term, resolved for matching (upstream: framework.AffinityTerm): which
// namespaces it looks at and which pod labels it selects. `namespaces` empty and no
// namespaceSelector means the owning pod's own namespace; namespaceSelector `{}` means all.
import type { Pod, PodAffinityTerm } from 'kubernetes-types/core/v1.js';
import {
  labelSelectorFromObject,
  matchesLabels,
  NOTHING_LABEL_SELECTOR,
  selectsEverything,
  type LabelSelectorRequirementSet,
} from '../../api/selectors/label-selector.js';

/** Labels of a namespace by name; undefined when unknown. */
export type NamespaceLabels = (namespace: string) => Readonly<Record<string, string>> | undefined;

export interface AffinityTerm {
  readonly topologyKey: string;
  readonly selector: LabelSelectorRequirementSet;
  readonly namespaces: ReadonlySet<string>;
  /** undefined: no namespace selector. */
  readonly namespaceSelector: LabelSelectorRequirementSet | undefined;
}

function safeSelector(selector: PodAffinityTerm['labelSelector']): LabelSelectorRequirementSet {
  try {
    return labelSelectorFromObject(selector);
  } catch {
    return NOTHING_LABEL_SELECTOR;
  }
}

export function resolveTerm(owner: Pod, term: PodAffinityTerm): AffinityTerm {
  const namespaces = new Set(term.namespaces ?? []);
  const namespaceSelector = term.namespaceSelector ? safeSelector(term.namespaceSelector) : undefined;
  if (namespaces.size === 0 && !namespaceSelector) namespaces.add(owner.metadata?.namespace ?? 'default');
  return { topologyKey: term.topologyKey, selector: safeSelector(term.labelSelector), namespaces, namespaceSelector };
}

export function termMatchesPod(term: AffinityTerm, pod: Pod, namespaceLabels: NamespaceLabels | undefined): boolean {
  const namespace = pod.metadata?.namespace ?? 'default';
  let inNamespace = term.namespaces.has(namespace);
  if (!inNamespace && term.namespaceSelector) {
    inNamespace = selectsEverything(term.namespaceSelector) || matchesLabels(term.namespaceSelector, namespaceLabels?.(namespace));
  }
  return inNamespace && matchesLabels(term.selector, pod.metadata?.labels);
}

export function requiredAffinityTerms(pod: Pod): AffinityTerm[] {
  return (pod.spec?.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => resolveTerm(pod, t));
}

// Existing pods' terms are read on every cycle; pods are immutable, so resolve each once.
const antiAffinityCache = new WeakMap<Pod, AffinityTerm[]>();

export function requiredAntiAffinityTerms(pod: Pod): AffinityTerm[] {
  let terms = antiAffinityCache.get(pod);
  if (!terms) {
    terms = (pod.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => resolveTerm(pod, t));
    antiAffinityCache.set(pod, terms);
  }
  return terms;
}
