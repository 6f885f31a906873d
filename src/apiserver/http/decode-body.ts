// Request bodies into values the registry takes: objects (POST/PUT) from JSON, YAML or Kubernetes
// protobuf (`kubectl create <generator>` sends protobuf, kubectl-wire §3.6), and patches by their
// Content-Type. A body that does not parse is the client's mistake: 400 naming the problem.
import { parse as parseYaml } from 'yaml';
import type { KubeObject } from '../../api/object.js';
import { BadRequestError } from '../../lib/errors.js';
import { decodeKubernetesProtobuf, isKubernetesProtobuf } from '../protobuf/decode-object.js';
import { UnsupportedMediaTypeError } from '../registry/api-errors.js';
import type { PatchType } from '../registry/registry-types.js';

const OBJECT_MEDIA_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

const PATCH_MEDIA_TYPES: Readonly<Record<string, PatchType>> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

/** `application/json; charset=utf-8` → `application/json`. */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type === '' ? undefined : type;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new BadRequestError(`the request body is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

function parseYamlDocument(text: string): unknown {
  try {
    return parseYaml(text) as unknown;
  } catch (error) {
    throw new BadRequestError(`the request body is not valid YAML: ${(error as Error).message}`, { cause: error });
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireObject(value: unknown, what: string): KubeObject {
  if (!isPlainObject(value)) throw new BadRequestError(`${what} must be a JSON object`);
  return value;
}

/**
 * A POST/PUT body. No Content-Type is read as JSON (what curl users expect); anything else we
 * cannot decode is 415, like upstream.
 */
export function decodeObjectBody(body: Buffer, contentType: string | undefined): KubeObject {
  if (body.length === 0) throw new BadRequestError('the request body is empty: an object is required');
  const type = mediaTypeOf(contentType) ?? 'application/json';
  switch (type) {
    case 'application/json':
      return requireObject(parseJson(body.toString('utf8')), 'the request body');
    case 'application/yaml':
      return requireObject(parseYamlDocument(body.toString('utf8')), 'the request body');
    case 'application/vnd.kubernetes.protobuf':
      if (!isKubernetesProtobuf(body)) {
        throw new BadRequestError('the request body is not Kubernetes protobuf: it does not start with the "k8s\\0" magic');
      }
      return decodeKubernetesProtobuf(body);
    default:
      throw new UnsupportedMediaTypeError(
        `the body of the request was in an unknown format - accepted media types include: ${OBJECT_MEDIA_TYPES.join(', ')}`,
      );
  }
}

/** A PATCH body: the patch type comes from the Content-Type, which is required. */
export function decodePatchBody(body: Buffer, contentType: string | undefined): { type: PatchType; patch: unknown } {
  const type = PATCH_MEDIA_TYPES[mediaTypeOf(contentType) ?? ''];
  if (type === undefined) {
    throw new UnsupportedMediaTypeError(
      `the body of the request was in an unknown format - accepted media types include: ${Object.keys(PATCH_MEDIA_TYPES).join(', ')}`,
    );
  }
  if (body.length === 0) throw new BadRequestError('the request body is empty: a patch is required');
  const text = body.toString('utf8');
  switch (type) {
    case 'json': {
      const patch = parseJson(text);
      if (!Array.isArray(patch)) throw new BadRequestError('a JSON patch must be a JSON array of operations');
      return { type, patch };
    }
    case 'merge':
    case 'strategic':
      return { type, patch: requireObject(parseJson(text), 'a merge patch') };
    case 'apply':
      // Server-side apply bodies are YAML or JSON (kubectl sends JSON; JSON is YAML).
      return { type, patch: requireObject(parseYamlDocument(text), 'an apply configuration') };
  }
}

/** A DELETE body (optional DeleteOptions); empty means none. */
export function decodeOptionalJson(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  return parseJson(body.toString('utf8'));
}
