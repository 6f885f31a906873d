// Errors of the patch engine. A malformed or inapplicable patch is the client's fault (400); an
// apply that would take fields away from another manager is a 409 the client can force past.
import { K8tsError } from '../../lib/errors.js';

/** The patch is malformed, names a missing path, or a json-patch `test` failed. */
export class PatchError extends K8tsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('BadRequest', message, options);
  }
}

/** One field that a server-side apply would take from another manager. */
export interface ApplyConflict {
  /** The other manager's name, e.g. `kubectl-client-side-apply`. */
  readonly manager: string;
  /** Upstream field-path form: `.spec.replicas`, `.spec.template.spec.containers[name="nginx"].image`. */
  readonly field: string;
  /**
   * The Status cause message for this field, exactly as upstream prints the manager:
   * `conflict with "kubectl-client-side-apply" using apps/v1` (an Update manager names its apiVersion;
   * an Apply manager is just the quoted name; a subresource adds `with subresource "status"`).
   */
  readonly message: string;
}

/** A server-side apply changed fields owned by other managers and `force` was not set. */
export class ApplyConflictError extends K8tsError {
  readonly conflicts: readonly ApplyConflict[];
  constructor(conflicts: readonly ApplyConflict[], options?: { cause?: unknown }) {
    super('Conflict', conflictMessage(conflicts), options);
    this.conflicts = conflicts;
  }
}

// Mirrors upstream's wording so kubectl's output matches the real cluster's:
//   Apply failed with 1 conflict: conflict with "m" using apps/v1: .spec.replicas
//   Apply failed with 2 conflicts: conflicts with "m" using apps/v1:\n- .spec.a\n- .spec.b
// With several managers, each gets its own "conflicts with" block, managers in sorted order.
function conflictMessage(conflicts: readonly ApplyConflict[]): string {
  const [only] = conflicts;
  if (conflicts.length === 1 && only !== undefined) {
    return `Apply failed with 1 conflict: ${only.message}: ${only.field}`;
  }
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) {
    const fields = byManager.get(c.message) ?? [];
    fields.push(c.field);
    byManager.set(c.message, fields);
  }
  const lines: string[] = [];
  for (const message of [...byManager.keys()].sort()) {
    lines.push(`${message.replace(/^conflict with/, 'conflicts with')}:`);
    for (const field of byManager.get(message) ?? []) lines.push(`- ${field}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}
