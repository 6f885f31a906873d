// The registry's trusted internal write (ResourceRegistry.writeInternal): read, let the caller
// compute the next state, compare-and-swap. No defaulting, validation, managedFields or generation
// bookkeeping: only for server-side operations such as pods/binding that update validation would
// refuse. A lost race surfaces as the usual "object has been modified" conflict. `mutate` gets
// the watch cache's decoding when it holds the stored revision (frozen, shared: it must return a
// new object, copying what it changes, as bindings and evictions do), not a fresh parse.
import type { KubeObject } from '../../api/object.js';
import { ConflictError, NotFoundError } from '../../lib/errors.js';
import { encodeObject, withTypeAndVersion } from './object-codec.js';
import { modifiedConflict, notFound, readObjectForUpdate, type RegistryContext } from './registry-context.js';

export async function writeInternal(
  ctx: RegistryContext, namespace: string | undefined, name: string, mutate: (current: KubeObject) => KubeObject,
): Promise<KubeObject> {
  const current = await readObjectForUpdate(ctx, namespace, name);
  if (current === undefined) throw notFound(ctx, name);
  const next = mutate(current.object);
  try {
    const kv = await ctx.store.update(current.key, encodeObject(next, ctx.strategy.storage), current.revision);
    return withTypeAndVersion(next, ctx.strategy.info, kv.modRevision);
  } catch (error) {
    if (error instanceof ConflictError) throw modifiedConflict(ctx, name, error);
    if (error instanceof NotFoundError) throw notFound(ctx, name);
    throw error;
  }
}
