// A set of field paths, as server-side apply tracks ownership, with upstream's FieldsV1 encoding:
//   {"f:spec":{"f:replicas":{},"f:template":{"f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},"f:image":{}}}}}}}
// Path elements are kept in that encoded form: `f:<field>`, `k:<json of the merge key>` (keyed list
// item), `v:<json>` (set list value), `i:<index>` (other list item). `.` marks a path that is itself
// a member while also having members below it (a list item that is owned as a whole).
import { PatchError } from './patch-error.js';
import { isJsonObject, type JsonObject } from './json-value.js';

export type PathElement = string;
export type FieldPath = readonly PathElement[];

interface Node {
  member: boolean;
  readonly children: Map<PathElement, Node>;
}

const newNode = (): Node => ({ member: false, children: new Map() });

export class FieldSet {
  readonly #root: Node;
  /**
   * The fieldsV1 this set was decoded from, when encoding the set gives exactly that again: most
   * writes leave most managers untouched, and re-encoding each of them on every write showed up.
   * Dropped by insert().
   */
  #encoded: JsonObject | undefined;

  constructor() {
    this.#root = newNode();
  }

  /** Decodes a managedFields entry's `fieldsV1`. */
  static fromFieldsV1(fields: unknown): FieldSet {
    const set = new FieldSet();
    decode(fields, set.#root);
    if (isJsonObject(fields) && isCanonical(fields)) set.#encoded = fields;
    return set;
  }

  /** The encoding; may be the very object the set was decoded from (treat it as read-only). */
  toFieldsV1(): JsonObject {
    return this.#encoded ?? encode(this.#root);
  }

  insert(path: FieldPath): void {
    this.#encoded = undefined;
    let node = this.#root;
    for (const pe of path) {
      let next = node.children.get(pe);
      if (next === undefined) {
        next = newNode();
        node.children.set(pe, next);
      }
      node = next;
    }
    node.member = true;
  }

  has(path: FieldPath): boolean {
    return this.#find(path)?.member === true;
  }

  /** Whether `path` or anything below it is a member. */
  hasAtOrBelow(path: FieldPath): boolean {
    const node = this.#find(path);
    return node !== undefined && (node.member || node.children.size > 0);
  }

  /** Whether members exist strictly below `path`. */
  hasBelow(path: FieldPath): boolean {
    return (this.#find(path)?.children.size ?? 0) > 0;
  }

  isEmpty(): boolean {
    return !this.#root.member && this.#root.children.size === 0;
  }

  /** Every member path, parents before children. */
  paths(): FieldPath[] {
    const out: FieldPath[] = [];
    const walk = (node: Node, path: PathElement[]): void => {
      if (node.member) out.push(path);
      for (const [pe, child] of node.children) walk(child, [...path, pe]);
    };
    walk(this.#root, []);
    return out;
  }

  /** Whether some path is a member of both sets (then difference() would change this one). */
  intersects(other: FieldSet): boolean {
    return intersects(this.#root, other.#root);
  }

  union(other: FieldSet): FieldSet {
    return FieldSet.#of(combine(this.#root, other.#root, (a, b) => a || b, true));
  }

  difference(other: FieldSet): FieldSet {
    return FieldSet.#of(combine(this.#root, other.#root, (a, b) => a && !b, false));
  }

  intersection(other: FieldSet): FieldSet {
    return FieldSet.#of(combine(this.#root, other.#root, (a, b) => a && b, false));
  }

  static #of(root: Node): FieldSet {
    const set = new FieldSet();
    set.#root.member = root.member;
    for (const [pe, child] of root.children) set.#root.children.set(pe, child);
    return set;
  }

  #find(path: FieldPath): Node | undefined {
    let node: Node | undefined = this.#root;
    for (const pe of path) node = node?.children.get(pe);
    return node;
  }
}

/**
 * Member-wise set algebra on two trees. `keepOnlyB` says whether children only `b` has can survive
 * (true for union only); empty nodes are dropped so the encoding stays minimal.
 */
function combine(a: Node | undefined, b: Node | undefined, op: (a: boolean, b: boolean) => boolean, keepOnlyB: boolean): Node {
  const out = newNode();
  out.member = op(a?.member ?? false, b?.member ?? false);
  const keys = new Set([...(a?.children.keys() ?? []), ...(keepOnlyB ? (b?.children.keys() ?? []) : [])]);
  for (const key of keys) {
    const child = combine(a?.children.get(key), b?.children.get(key), op, keepOnlyB);
    if (child.member || child.children.size > 0) out.children.set(key, child);
  }
  return out;
}

function intersects(a: Node, b: Node): boolean {
  if (a.member && b.member) return true;
  const [small, large] = a.children.size <= b.children.size ? [a, b] : [b, a];
  for (const [key, child] of small.children) {
    const other = large.children.get(key);
    if (other !== undefined && intersects(child, other)) return true;
  }
  return false;
}

/** Whether encode(decode(fields)) is `fields` again: `.` only first, as `{}`, beside other keys. */
function isCanonical(fields: JsonObject): boolean {
  let first = true;
  let count = 0;
  for (const key in fields) {
    const value = fields[key];
    if (!isJsonObject(value)) return false;
    if (key === '.') {
      if (!first) return false;
      for (const _ in value) return false;
    } else if (!isCanonical(value)) {
      return false;
    }
    first = false;
    count++;
  }
  return !(count === 1 && Object.hasOwn(fields, '.'));
}

function encode(node: Node): JsonObject {
  const out: JsonObject = {};
  if (node.member && node.children.size > 0) out['.'] = {};
  for (const [pe, child] of node.children) out[pe] = encode(child);
  return out;
}

function decode(fields: unknown, node: Node): void {
  if (!isJsonObject(fields)) throw new PatchError('fieldsV1 must be a JSON object');
  const keys = Object.keys(fields);
  if (keys.length === 0) node.member = true;
  for (const key of keys) {
    if (key === '.') {
      node.member = true;
      continue;
    }
    if (!/^[fkvi]:/.test(key)) throw new PatchError(`invalid fieldsV1 path element ${JSON.stringify(key)}`);
    const child = newNode();
    decode(fields[key], child);
    node.children.set(key, child);
  }
}

/**
 * Upstream's printed form of a path, used in conflict messages:
 * `.spec.template.spec.containers[name="nginx"].image`, `.metadata.finalizers[="x"]`, `.spec.args[0]`.
 */
export function formatFieldPath(path: FieldPath): string {
  return path.map(formatElement).join('');
}

function formatElement(pe: PathElement): string {
  const body = pe.slice(2);
  switch (pe.slice(0, 2)) {
    case 'f:':
      return `.${body}`;
    case 'k:': {
      const key: unknown = JSON.parse(body);
      if (!isJsonObject(key)) return `[${body}]`;
      const parts = Object.keys(key).sort().map((k) => `${k}=${JSON.stringify(key[k])}`);
      return `[${parts.join(',')}]`;
    }
    case 'v:':
      return `[=${body}]`;
    default:
      return `[${body}]`;
  }
}
