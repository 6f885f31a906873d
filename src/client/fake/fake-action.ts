// What FakeClientSet records and lets reactors intercept.

export type FakeVerb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete';

export interface FakeAction {
  readonly verb: FakeVerb;
  /** The plural resource: `pods`, `deployments`. */
  readonly resource: string;
  readonly namespace: string | undefined;
  /** Absent for list and watch. */
  readonly name: string | undefined;
  /** `status` for updateStatus, `binding` for createSubresource('binding'), ... */
  readonly subresource?: string;
}

/**
 * Sees every action (reads too) before it runs. Returning (or resolving to) an Error makes the
 * call reject with it; returning undefined lets the call go on. An async reactor can also hold a
 * call back, e.g. to test what a component does while a write is in flight.
 */
export type FakeReactor = (action: FakeAction) => Error | undefined | Promise<Error | undefined>;

export const WRITE_VERBS: ReadonlySet<FakeVerb> = new Set(['create', 'update', 'patch', 'delete']);
