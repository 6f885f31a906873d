// GET collection: selectors, paging with continue tokens that pin the first page's revision, and
// the resourceVersion / resourceVersionMatch rules of upstream:
//   rv '' (absent)            latest state (the store read is consistent)
//   rv '0'                    any recent state: we serve the latest too
//   rv N, NotOlderThan        latest (it is never older than N)
//   rv N, Exact (or with a limit and no match, upstream's legacy rule)   the snapshot at N
// A snapshot or continue token older than the compacted revision is 410 Expired.
// A page that stops short carries metadata.remainingItemCount when the store can count the rest
// and no selector filters it (upstream sets it only for an empty predicate, too).
import { apiVersionOf, type KubeObject } from '../../api/object.js';
import { BadRequestError, CompactedError } from '../../lib/errors.js';
import type { ListResult } from '../../storage/store.js';
import { ExpiredError } from './api-errors.js';
import { decodeContinueToken, encodeContinueToken, type ContinuePosition } from './continue-token.js';
import { decodeObject } from './object-codec.js';
import type { ObjectFilter } from './object-filter.js';
import type { RegistryContext } from './registry-context.js';
import type { KubeList, ListQuery } from './registry-types.js';

const INCONSISTENT_CONTINUE = 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

export function parseResourceVersion(text: string): number {
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new BadRequestError(`invalid resource version: ${text}`);
  }
  return Number(text);
}

interface ReadPlan {
  /** undefined: the latest state. */
  readonly revision: number | undefined;
  readonly startAfter: string | undefined;
  readonly token: ContinuePosition | undefined;
}

function planRead(ctx: RegistryContext, query: ListQuery): ReadPlan {
  const rv = query.resourceVersion ?? '';
  const match = query.resourceVersionMatch;
  if (query.continue !== undefined && query.continue !== '') {
    if (rv !== '' && rv !== '0') throw new BadRequestError('specifying resource version is not allowed when using continue');
    const token = decodeContinueToken(query.continue);
    return {
      revision: token.revision === 0 ? undefined : token.revision,
      startAfter: `${ctx.keys.resourcePrefix}${token.lastKey}`,
      token,
    };
  }
  if (match !== undefined && rv === '') throw new BadRequestError('resourceVersionMatch is forbidden unless resourceVersion is provided');
  if (rv === '' || rv === '0') {
    if (match === 'Exact') throw new BadRequestError('resourceVersionMatch "Exact" is forbidden for resourceVersion "0"');
    return { revision: undefined, startAfter: undefined, token: undefined };
  }
  const revision = parseResourceVersion(rv);
  const exact = match === 'Exact' || (match === undefined && (query.limit ?? 0) > 0);
  return { revision: exact ? revision : undefined, startAfter: undefined, token: undefined };
}

export async function listObjects(ctx: RegistryContext, namespace: string | undefined, query: ListQuery, filter: ObjectFilter): Promise<KubeList> {
  const { info } = ctx.strategy;
  const plan = planRead(ctx, query);
  const prefix = ctx.keys.listPrefix(namespace);
  const limit = query.limit !== undefined && query.limit > 0 ? Math.floor(query.limit) : 0;
  const items: KubeObject[] = [];
  let revision = plan.revision;
  let startAfter = plan.startAfter;
  let lastKey: string | undefined;
  let more = false;
  let remainingItemCount: number | undefined;

  for (;;) {
    let page: ListResult;
    try {
      page = await ctx.store.list({
        prefix, ...(revision === undefined ? {} : { revision }), ...(limit > 0 ? { limit } : {}), ...(startAfter === undefined ? {} : { startAfter }),
      });
    } catch (error) {
      throw expiredFor(ctx, error, plan, query);
    }
    revision = page.revision;
    let stoppedAt = -1;
    for (let i = 0; i < page.items.length; i++) {
      const kv = page.items[i];
      if (kv === undefined) continue;
      lastKey = kv.key;
      const obj = decodeObject(kv, info, ctx.strategy.storage);
      if (filter.selective && !filter.matches(obj)) continue;
      items.push(obj);
      if (limit > 0 && items.length >= limit) {
        stoppedAt = i;
        break;
      }
    }
    if (stoppedAt >= 0) {
      more = stoppedAt < page.items.length - 1 || page.more;
      // Upstream counts only for an unfiltered list: the store cannot tell how many of the rest
      // a selector would keep, and a wrong count is worse than none.
      if (more && !filter.selective && page.remaining !== undefined) {
        remainingItemCount = page.remaining + (page.items.length - 1 - stoppedAt);
      }
      break;
    }
    if (!page.more || lastKey === undefined) break;
    startAfter = lastKey;
  }

  const metadata: KubeList['metadata'] = { resourceVersion: String(revision ?? 0) };
  if (more && lastKey !== undefined) {
    metadata.continue = encodeContinueToken({ revision: revision ?? 0, lastKey: ctx.keys.relative(lastKey) });
    if (remainingItemCount !== undefined) metadata.remainingItemCount = remainingItemCount;
  }
  return { apiVersion: apiVersionOf(info.group, info.version), kind: info.listKind, metadata, items };
}

function expiredFor(ctx: RegistryContext, error: unknown, plan: ReadPlan, query: ListQuery): unknown {
  if (!(error instanceof CompactedError)) return error;
  if (plan.token) {
    // Upstream hands back a token that continues at the latest state, for clients that accept gaps.
    const continueToken = encodeContinueToken({ revision: 0, lastKey: plan.token.lastKey });
    return new ExpiredError(INCONSISTENT_CONTINUE, { cause: error, continueToken });
  }
  return new ExpiredError(`too old resource version: ${query.resourceVersion ?? ''} (${error.compactedRevision})`, { cause: error });
}
