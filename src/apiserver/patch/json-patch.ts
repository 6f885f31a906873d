// RFC 6902 JSON Patch (application/json-patch+json), e.g. the body of `kubectl rollout undo`:
//   [{"op":"replace","path":"/spec/template","value":{...}}, {"op":"replace","path":"/metadata/annotations","value":{...}}]
// Operations apply in order to a private copy; the first failing one aborts the whole patch.
import { PatchError } from './patch-error.js';
import { cloneJson, isJsonObject, jsonEqual, type JsonObject } from './json-value.js';

type Container = JsonObject | unknown[];

/**
 * Applies `operations` to a copy of `doc` (to `doc` itself when `inPlace`: a private copy the
 * caller made for this) and returns it. Throws PatchError on any failure.
 */
export function applyJsonPatch(doc: unknown, operations: unknown, inPlace = false): unknown {
  if (!Array.isArray(operations)) throw new PatchError('json patch must be an array of operations');
  let result = inPlace ? doc : cloneJson(doc);
  operations.forEach((raw, i) => {
    if (!isJsonObject(raw)) throw new PatchError(`json patch operation ${i} is not an object`);
    result = applyOperation(result, raw, i);
  });
  return result;
}

function applyOperation(doc: unknown, op: JsonObject, i: number): unknown {
  const path = pointerOf(op, 'path', i);
  switch (op['op']) {
    case 'add':
      return add(doc, path, valueOf(op, i));
    case 'remove':
      return remove(doc, path);
    case 'replace':
      remove(doc, path); // checks existence; the root itself is simply replaced
      return add(doc, path, valueOf(op, i));
    case 'move': {
      const from = pointerOf(op, 'from', i);
      if (path.length > from.length && from.every((t, j) => t === path[j])) {
        throw new PatchError(`json patch operation ${i}: cannot move a value into its own child`);
      }
      const value = get(doc, from);
      return add(remove(doc, from), path, value);
    }
    case 'copy':
      return add(doc, path, cloneJson(get(doc, pointerOf(op, 'from', i))));
    case 'test':
      if (!jsonEqual(get(doc, path), valueOf(op, i))) {
        throw new PatchError(`json patch test operation failed at /${path.map(escape).join('/')}`);
      }
      return doc;
    default:
      throw new PatchError(`json patch operation ${i}: unknown op ${JSON.stringify(op['op'])}`);
  }
}

function valueOf(op: JsonObject, i: number): unknown {
  if (!Object.hasOwn(op, 'value')) throw new PatchError(`json patch operation ${i}: missing value`);
  return cloneJson(op['value']);
}

/** Parses a JSON pointer (RFC 6901): `/a/b~1c` -> ['a', 'b/c']; '' is the whole document. */
function pointerOf(op: JsonObject, field: 'path' | 'from', i: number): string[] {
  const raw = op[field];
  if (typeof raw !== 'string') throw new PatchError(`json patch operation ${i}: missing ${field}`);
  if (raw === '') return [];
  if (!raw.startsWith('/')) throw new PatchError(`json patch operation ${i}: invalid pointer ${JSON.stringify(raw)}`);
  return raw.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function escape(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function pathText(tokens: readonly string[]): string {
  return '/' + tokens.map(escape).join('/');
}

/** The container holding the last token of `path`; throws if any step is missing. */
function parentOf(doc: unknown, path: readonly string[]): Container {
  let node = doc;
  for (const token of path.slice(0, -1)) node = child(node, token, path);
  if (!isJsonObject(node) && !Array.isArray(node)) throw new PatchError(`json patch: missing path ${pathText(path)}`);
  return node;
}

function child(node: unknown, token: string, path: readonly string[]): unknown {
  if (Array.isArray(node)) {
    const index = arrayIndex(token, node.length - 1, path);
    return node[index];
  }
  if (isJsonObject(node) && Object.hasOwn(node, token)) return node[token];
  throw new PatchError(`json patch: missing path ${pathText(path)}`);
}

/** A decimal array index without leading zeros, at most `max`. */
function arrayIndex(token: string, max: number, path: readonly string[]): number {
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw new PatchError(`json patch: invalid array index in ${pathText(path)}`);
  const index = Number(token);
  if (index > max) throw new PatchError(`json patch: array index out of range in ${pathText(path)}`);
  return index;
}

function get(doc: unknown, path: readonly string[]): unknown {
  let node = doc;
  for (const token of path) node = child(node, token, path);
  return node;
}

function add(doc: unknown, path: readonly string[], value: unknown): unknown {
  const last = path.at(-1);
  if (last === undefined) return value;
  const parent = parentOf(doc, path);
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : arrayIndex(last, parent.length, path);
    parent.splice(index, 0, value);
  } else {
    parent[last] = value;
  }
  return doc;
}

function remove(doc: unknown, path: readonly string[]): unknown {
  const last = path.at(-1);
  if (last === undefined) return null;
  const parent = parentOf(doc, path);
  if (Array.isArray(parent)) {
    parent.splice(arrayIndex(last, parent.length - 1, path), 1);
  } else {
    if (!Object.hasOwn(parent, last)) throw new PatchError(`json patch: missing path ${pathText(path)}`);
    delete parent[last];
  }
  return doc;
}
