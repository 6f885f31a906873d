// Runs the kind's validation plus the registry's own checks and throws upstream's 422.
import { formatFieldError, required, type FieldError } from '../../api/field-error.js';
import type { KubeObject } from '../../api/object.js';
import { InvalidError } from './api-errors.js';
import type { RegistryContext } from './registry-context.js';

export function validateOrThrow(ctx: RegistryContext, obj: KubeObject, old: KubeObject | undefined, extra: readonly FieldError[] = []): void {
  const errors = [...extra, ...ctx.strategy.validate(obj, old)];
  const name = obj.metadata?.name ?? '';
  if (name === '' && !errors.some((e) => e.field === 'metadata.name')) {
    errors.unshift(required('metadata.name', 'name or generateName is required'));
  }
  if (errors.length === 0) return;
  // The registry and the kind may both report e.g. an immutable uid; say it once.
  const seen = new Set<string>();
  const unique = errors.filter((e) => {
    const text = formatFieldError(e);
    if (seen.has(text)) return false;
    seen.add(text);
    return true;
  });
  throw new InvalidError(ctx.kind, name, unique);
}
