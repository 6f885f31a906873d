// ResourceStrategy: the per-kind hooks the generic registry runs (DESIGN.md, "The seams").
// The registry owns everything common (uid, timestamps, resourceVersion, generation, finalizers,
// the status/spec split, dry run); a strategy only says what is special about its kind.
import type { FieldError } from '../../api/field-error.js';
import type { KindInfo } from '../../api/kind-info.js';
import type { KubeObject } from '../../api/object.js';

export type TableColumnType = 'string' | 'integer' | 'number' | 'boolean' | 'date';

export interface TableColumn {
  /** As upstream spells it: `Name`, `Up-to-date`, `Nominated Node` (kubectl upper-cases). */
  readonly name: string;
  readonly type: TableColumnType;
  /** `name` for the Name column, else ''. */
  readonly format: string;
  readonly description: string;
  /** 0: always shown; 1: only with `-o wide`. */
  readonly priority: 0 | 1;
}

export interface TableConvertor {
  readonly columns: readonly TableColumn[];
  /** One cell per column, in order. `now` makes ages testable. */
  cells(obj: KubeObject, now: Date): unknown[];
}

/**
 * A kind served from another resource's storage, in that resource's shape (upstream: the
 * events.k8s.io/v1 Events are core Events in etcd, one object seen through both APIs). Writes
 * convert to the stored shape, reads convert back; metadata is shared as it is.
 */
export interface StorageMapping {
  /** Group ('' for core) and resource whose keys hold the objects. */
  readonly group: string;
  readonly resource: string;
  /** Served shape -> stored shape (apiVersion/kind of the stored kind). Must not mutate `obj`. */
  toStorage(obj: KubeObject): KubeObject;
  /** Stored shape -> served shape (apiVersion/kind are set by the registry). Must not mutate `obj`. */
  fromStorage(obj: KubeObject): KubeObject;
}

export interface ResourceStrategy {
  readonly info: KindInfo;
  /** Fills in upstream's defaults in place. Runs on every create and update (after patching). */
  defaults(obj: KubeObject): void;
  /**
   * The kind's built-in mutating admission (a Pod's service account and default tolerations, a
   * Job's generated selector): runs after defaults on every create and update (`old` is given for
   * updates), once the write's managedFields are computed, so the writer does not own what
   * admission adds (as upstream, which admits, and prepares a create, after recording).
   */
  admit?(obj: KubeObject, old?: KubeObject): void;
  /**
   * Returns every problem found (empty = valid), metadata included (name format, labels,
   * annotations). `old` is given for updates, so immutable fields can be checked.
   */
  validate(obj: KubeObject, old?: KubeObject): FieldError[];
  /** Kind-specific create preparation (e.g. a Pod starts in phase Pending). Runs before defaults. */
  prepareForCreate?(obj: KubeObject): void;
  /** Whether a create keeps a client-supplied status (Nodes do); otherwise status is cleared when
   *  the kind has a status subresource. */
  readonly keepsStatusOnCreate?: boolean;
  readonly table: TableConvertor;
  /**
   * Graceful deletion: the grace period (seconds) to wait before the object really goes, given
   * the one the client asked for. 0 or absent hook: delete at once. (Pods bound to a node use
   * this: the node agent finishes the deletion after stopping the containers.)
   */
  deletionGracePeriodSeconds?(obj: KubeObject, requested: number | undefined): number;
  /**
   * What a delete that names no propagation policy does to the object's dependents. Absent:
   * Background (the garbage collector deletes them). batch/v1 Jobs say Orphan, as upstream keeps
   * for compatibility: their pods stay unless the client asks otherwise (kubectl always sends
   * Background).
   */
  readonly defaultPropagationPolicy?: 'Orphan';
  /**
   * Field selectors beyond metadata.name and metadata.namespace (which the registry always
   * supports): `spec.nodeName`, `status.phase`, `involvedObject.kind`, ... Returns the field's
   * value as a string ('' when unset).
   */
  readonly fieldSelectors: Readonly<Record<string, (obj: KubeObject) => string>>;
  /** Absent: stored under its own resource, as served. */
  readonly storage?: StorageMapping;
}
