// JSON merge patch (RFC 7386) and a minimal JSON patch (RFC 6902: add, remove, replace, test) for
// the fake client. The real server's strategic merge lives in src/apiserver, which clients may not
// import; the fake treats 'strategic' and 'apply' as merge patches, which is exact for maps and
// differs only for lists with merge keys (a strategic patch would merge them, merge replaces them).
import { BadRequestError } from '../../lib/errors.js';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** RFC 7386: objects merge recursively, null deletes a key, anything else replaces. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return structuredClone(patch);
  const result: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

interface JsonPatchOperation {
  readonly op: string;
  readonly path: string;
  readonly value?: unknown;
}

function parsePointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new BadRequestError(`invalid JSON pointer: ${path}`);
  return path.slice(1).split('/').map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function container(root: unknown, tokens: readonly string[], path: string): unknown {
  let node = root;
  for (const token of tokens) {
    if (Array.isArray(node)) node = node[Number(token)];
    else if (isPlainObject(node)) node = node[token];
    else node = undefined;
    if (node === undefined) throw new BadRequestError(`path ${path} does not exist`);
  }
  return node;
}

/** RFC 6902 add/remove/replace/test; `move`/`copy` are not needed by any k8ts client. */
export function applyJsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) throw new BadRequestError('json patch must be an array of operations');
  const root: { doc: unknown } = { doc: structuredClone(target) };
  for (const raw of operations as JsonPatchOperation[]) {
    const tokens = ['doc', ...parsePointer(raw.path)];
    const last = tokens.pop() ?? 'doc';
    const parent = container(root, tokens, raw.path);
    if (raw.op === 'test') {
      const current = container(parent, [last], raw.path);
      if (JSON.stringify(current) !== JSON.stringify(raw.value)) throw new BadRequestError(`test operation failed at ${raw.path}`);
      continue;
    }
    if (Array.isArray(parent)) {
      const index = last === '-' ? parent.length : Number(last);
      if (!Number.isInteger(index) || index < 0 || index > parent.length) throw new BadRequestError(`bad array index in ${raw.path}`);
      if (raw.op === 'add') parent.splice(index, 0, structuredClone(raw.value));
      else if (raw.op === 'remove' && index < parent.length) parent.splice(index, 1);
      else if (raw.op === 'replace' && index < parent.length) parent[index] = structuredClone(raw.value);
      else throw new BadRequestError(`unsupported or failed json patch operation ${raw.op} at ${raw.path}`);
    } else if (isPlainObject(parent)) {
      if (raw.op === 'add') parent[last] = structuredClone(raw.value);
      else if (raw.op === 'remove' && last in parent) delete parent[last];
      else if (raw.op === 'replace' && last in parent) parent[last] = structuredClone(raw.value);
      else throw new BadRequestError(`unsupported or failed json patch operation ${raw.op} at ${raw.path}`);
    } else {
      throw new BadRequestError(`path ${raw.path} does not exist`);
    }
  }
  return root.doc;
}
