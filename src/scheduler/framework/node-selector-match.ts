// Node selector terms (node affinity) against a node (upstream: component-helpers nodeaffinity).
// Terms are ORed; inside a term, matchExpressions (labels) and matchFields (metadata.name) are
// ANDed; a term with neither matches nothing; an invalid requirement makes its term not match.
import type { Node, NodeSelectorRequirement, NodeSelectorTerm } from 'kubernetes-types/core/v1.js';

const INTEGER = /^[+-]?\d+$/;

export function requirementMatches(req: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return values.length > 0 && value !== undefined && values.includes(value);
    case 'NotIn':
      return values.length > 0 && (value === undefined || !values.includes(value));
    case 'Exists':
      return values.length === 0 && value !== undefined;
    case 'DoesNotExist':
      return values.length === 0 && value === undefined;
    case 'Gt':
    case 'Lt': {
      const bound = values[0];
      if (values.length !== 1 || bound === undefined || !INTEGER.test(bound)) return false;
      if (value === undefined || !INTEGER.test(value)) return false;
      const actual = BigInt(value);
      return req.operator === 'Gt' ? actual > BigInt(bound) : actual < BigInt(bound);
    }
    default:
      return false;
  }
}

export function termMatches(term: NodeSelectorTerm, node: Node): boolean {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length === 0 && fields.length === 0) return false;
  const labels = node.metadata?.labels ?? {};
  for (const req of expressions) {
    const value = Object.prototype.hasOwnProperty.call(labels, req.key) ? labels[req.key] : undefined;
    if (!requirementMatches(req, value)) return false;
  }
  for (const req of fields) {
    // Only metadata.name is a supported field, and only with In/NotIn.
    if (req.key !== 'metadata.name' || (req.operator !== 'In' && req.operator !== 'NotIn')) return false;
    if (!requirementMatches(req, node.metadata?.name)) return false;
  }
  return true;
}

export function anyTermMatches(terms: readonly NodeSelectorTerm[], node: Node): boolean {
  for (const term of terms) if (termMatches(term, node)) return true;
  return false;
}
