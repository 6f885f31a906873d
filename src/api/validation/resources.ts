// Container resource requirements (upstream: ValidateResourceRequirements).
import { forbidden, invalid, required, type FieldError } from '../field-error.js';
import { QUANTITY_FORMAT_MESSAGE, tryParseQuantity } from '../quantity.js';
import { isRecord } from './json-access.js';
import { isQualifiedName } from './name-rules.js';

const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);

function isHugePages(name: string): boolean {
  return name.startsWith('hugepages-');
}

/** Native resources (no domain, or a kubernetes.io domain) may be overcommitted, hugepages excepted. */
function isOvercommitAllowed(name: string): boolean {
  const native = !name.includes('/') || name.includes('kubernetes.io/');
  return native && !isHugePages(name);
}

/** A container resource's name (upstream's ValidateContainerResourceName). */
export function validateContainerResourceName(name: string, path: string): FieldError[] {
  const errs = isQualifiedName(name).map((msg) => invalid(path, name, msg));
  if (!name.includes('/')) {
    if (!STANDARD_CONTAINER_RESOURCES.has(name) && !isHugePages(name))
      errs.push(invalid(path, name, 'must be a standard resource for containers'));
  } else if (!name.includes('kubernetes.io/') && name.startsWith('requests.')) {
    errs.push(invalid(path, name, "doesn't follow extended resource name standard"));
  }
  return errs;
}

/** The quantity as a string for messages (upstream prints its canonical form). */
function quantityText(value: unknown): string {
  return typeof value === 'number' ? String(value) : typeof value === 'string' ? value : JSON.stringify(value);
}

export function validateResourceRequirements(resources: unknown, path: string): FieldError[] {
  if (!isRecord(resources)) return [];
  const errs: FieldError[] = [];
  const limits = isRecord(resources.limits) ? resources.limits : {};
  const requests = isRecord(resources.requests) ? resources.requests : {};
  let cpuOrMemory = false;
  let hugePages = false;
  const parsedLimits = new Map<string, number>();

  const check = (name: string, value: unknown, keyPath: string): number | undefined => {
    errs.push(...validateContainerResourceName(name, keyPath));
    if (name === 'cpu' || name === 'memory') cpuOrMemory = true;
    if (isHugePages(name)) hugePages = true;
    const quantity = tryParseQuantity(value);
    if (quantity === undefined) {
      errs.push(invalid(keyPath, quantityText(value), QUANTITY_FORMAT_MESSAGE));
      return undefined;
    }
    if (quantity < 0) errs.push(invalid(keyPath, quantityText(value), 'must be greater than or equal to 0'));
    return quantity;
  };

  for (const [name, value] of Object.entries(limits)) {
    const quantity = check(name, value, `${path}.limits[${name}]`);
    if (quantity !== undefined) parsedLimits.set(name, quantity);
  }
  for (const [name, value] of Object.entries(requests)) {
    const quantity = check(name, value, `${path}.requests[${name}]`);
    if (quantity === undefined) continue;
    const limit = parsedLimits.get(name);
    if (Object.hasOwn(limits, name)) {
      if (limit === undefined) continue;
      if (quantity !== limit && !isOvercommitAllowed(name))
        errs.push(invalid(`${path}.requests`, quantityText(value), `must be equal to ${name} limit of ${quantityText(limits[name])}`));
      else if (quantity > limit)
        errs.push(
          invalid(`${path}.requests`, quantityText(value), `must be less than or equal to ${name} limit of ${quantityText(limits[name])}`),
        );
    } else if (!isOvercommitAllowed(name)) {
      errs.push(required(`${path}.limits`, 'Limit must be set for non overcommitable resources'));
    }
  }
  if (!cpuOrMemory && hugePages) errs.push(forbidden(path, 'HugePages require cpu or memory'));
  return errs;
}
