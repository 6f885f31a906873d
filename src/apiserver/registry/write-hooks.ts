// Per-kind hooks around the registry's writes, for kinds whose REST layer owns more state than the
// object itself: upstream's generic store BeginCreate / BeginUpdate / AfterDelete. Services use them
// to reserve cluster IPs and node ports (service-allocation/) before the object is written, and to
// give them back when the write fails or the Service goes away. The store has no multi-key
// transactions, so a hook reserves first and the returned FinishWrite commits or reverts.
import type { KubeObject } from '../../api/object.js';

/** Called exactly once after the write: true when the object was stored (or the write was a no-op). */
export type FinishWrite = (success: boolean) => Promise<void>;

export interface WriteHookOptions {
  readonly dryRun: boolean;
}

export interface WriteHooks {
  /**
   * A create, after defaulting and before validation. May change `obj` (fill allocated fields) and
   * may throw an API error (InvalidError 422...), which fails the create.
   */
  beginCreate?(obj: KubeObject, options: WriteHookOptions): Promise<FinishWrite>;
  /** A main-resource update (PUT, PATCH, apply), after defaulting and before validation. */
  beginUpdate?(obj: KubeObject, old: KubeObject, options: WriteHookOptions): Promise<FinishWrite>;
  /**
   * A delete by name, before the object is read; may throw an API error (403...) that refuses it.
   * Not called by a collection delete, as upstream's REST.Delete is not (system PriorityClasses).
   */
  beginDelete?(name: string): void;
  /** The object is gone from the store (not called for dry runs). Must not throw. */
  afterDelete?(obj: KubeObject): Promise<void>;
}

/** Runs `write` between a begin hook and its finish, finishing with whether the write went through. */
export async function withFinish<T>(finish: FinishWrite | undefined, write: () => Promise<T>): Promise<T> {
  if (!finish) return write();
  let result: T;
  try {
    result = await write();
  } catch (error) {
    await finish(false);
    throw error;
  }
  await finish(true);
  return result;
}

/**
 * Several hook sets for one kind, run in order (pods: ServiceAccount admission, then Priority, as
 * upstream orders its plugins). A begin hook that throws finishes the ones before it as failed.
 */
export function chainWriteHooks(all: readonly (WriteHooks | undefined)[]): WriteHooks | undefined {
  const hooks = all.filter((h): h is WriteHooks => h !== undefined);
  if (hooks.length <= 1) return hooks[0];
  const begin = async (start: (h: WriteHooks) => Promise<FinishWrite> | undefined): Promise<FinishWrite> => {
    const finishes: FinishWrite[] = [];
    try {
      for (const h of hooks) {
        const finish = await start(h);
        if (finish) finishes.push(finish);
      }
    } catch (error) {
      for (const finish of finishes) await finish(false);
      throw error;
    }
    return async (success) => {
      for (const finish of finishes) await finish(success);
    };
  };
  return {
    beginCreate: (obj, options) => begin((h) => h.beginCreate?.(obj, options)),
    beginUpdate: (obj, old, options) => begin((h) => h.beginUpdate?.(obj, old, options)),
    beginDelete(name) {
      for (const h of hooks) h.beginDelete?.(name);
    },
    async afterDelete(obj) {
      for (const h of hooks) await h.afterDelete?.(obj);
    },
  };
}
