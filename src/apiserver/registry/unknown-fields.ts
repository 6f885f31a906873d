// The fieldValidation step: fields the schema does not know are an error (Strict), a warning
// (Warn) or ignored (Ignore). In every mode they are then dropped, because upstream decodes into
// typed structs and so never stores them; keeping them would make Warn differ from a real cluster.
import type { KubeObject } from '../../api/object.js';
import { BadRequestError } from '../../lib/errors.js';
import { strictDecodingMessage } from '../openapi/field-validation.js';
import { bodyTypeError } from './body-type-errors.js';
import type { RegistryContext } from './registry-context.js';
import type { FieldValidation } from './registry-types.js';

/**
 * The paths of the fields of `obj` the schema does not know (none without a schema); changes
 * nothing. The same walk checks the JSON type of every field it knows and throws on a mismatch
 * (see body-type-errors.ts), whatever the fieldValidation mode: upstream decodes a body into its
 * types before anything else runs, so a wrongly typed body never reaches defaulting or admission.
 */
export function unknownFieldPaths(ctx: RegistryContext, obj: KubeObject): readonly string[] {
  const validator = ctx.fieldValidator;
  if (validator === undefined) return [];
  if (validator.findings === undefined) return validator.unknownFields(ctx.gvk, obj);
  const { unknown, wrongType } = validator.findings(ctx.gvk, obj);
  if (wrongType.length > 0) {
    const name = obj.metadata?.name;
    throw bodyTypeError({
      gvk: ctx.gvk, kind: ctx.kind, name: typeof name === 'string' ? name : '', typed: validator.decodesTyped?.(ctx.gvk) ?? true, errors: wrongType,
    });
  }
  return unknown;
}

/**
 * Checks and prunes `obj` in place; returns the warnings to send (Warn mode). `paths`: what
 * unknownFieldPaths found in it already (a caller that had to know before copying it).
 */
export function applyFieldValidation(ctx: RegistryContext, obj: KubeObject, mode: FieldValidation, paths: readonly string[] = unknownFieldPaths(ctx, obj)): string[] {
  if (paths.length === 0) return [];
  if (mode === 'Strict') {
    const { kind, version } = ctx.gvk;
    throw new BadRequestError(`${kind} in version "${version}" cannot be handled as a ${kind}: ${strictDecodingMessage(paths)}`);
  }
  for (const path of paths) removePath(obj, parsePath(path));
  return mode === 'Warn' ? paths.map((p) => `unknown field "${p}"`) : [];
}

/** `spec.containers[0].imagee` -> ['spec', 'containers', 0, 'imagee']. */
export function parsePath(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const part of path.split('.')) {
    const match = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!match) {
      segments.push(part);
      continue;
    }
    if (match[1]) segments.push(match[1]);
    for (const index of (match[2] ?? '').matchAll(/\[(\d+)\]/g)) segments.push(Number(index[1]));
  }
  return segments;
}

function removePath(root: unknown, segments: readonly (string | number)[]): void {
  let node: unknown = root;
  for (let i = 0; i < segments.length - 1; i++) {
    if (node === null || typeof node !== 'object') return;
    node = (node as Record<string | number, unknown>)[segments[i] as string | number];
  }
  const last = segments[segments.length - 1];
  if (last === undefined || node === null || typeof node !== 'object' || Array.isArray(node)) return;
  delete (node as Record<string | number, unknown>)[last];
}
