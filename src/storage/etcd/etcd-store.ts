// The cluster Store on etcd v3 (client: etcd3). Every key lives at `${prefix}${key}` in etcd, and
// the Store's revisions are etcd's own, so one etcd can serve several prefixes (each sees gaps).
//
// Compare-and-swap is an etcd transaction: create compares the key's create revision with 0,
// update/delete compare its mod revision with the expected one (plus version > 0, so that an
// expected revision of 0 never matches a missing key). The failure branch reads the key, which
// tells NotFound from Conflict in the same round trip.
//
// Compaction: etcd compacted at C can still read revision C; the Store promises that revisions at
// or below its compacted revision fail, so our compactedRevision is what we compacted ourselves,
// raised by what etcd's compaction errors reveal about compactions done by others.
import { Etcd3, type IKeyValue, type IRequestOp } from 'etcd3';
import {
  AlreadyExistsError,
  CompactedError,
  ConflictError,
  NotFoundError,
  UnavailableError,
} from '../../lib/errors.js';
import type { KeyValue, ListOptions, ListResult, Store, Watch, WatchOptions } from '../store.js';
import { isEtcdCompactedError, isEtcdFutureRevisionError, toStoreError } from './etcd-errors.js';
import { etcdWatch, toKeyValue } from './etcd-watch.js';

export interface EtcdStoreOptions {
  readonly endpoints: readonly string[];
  /** Prepended to every key in etcd (e.g. '/k8ts'); default ''. */
  readonly prefix?: string;
  /** How long to wait for a connection before a call fails (ms). */
  readonly dialTimeoutMs?: number;
}

export class EtcdStore implements Store {
  readonly #client: Etcd3;
  readonly #prefix: string;
  #compacted = 0;
  #closed = false;

  constructor(options: EtcdStoreOptions) {
    this.#prefix = options.prefix ?? '';
    this.#client = new Etcd3({
      hosts: [...options.endpoints],
      ...(options.dialTimeoutMs !== undefined ? { dialTimeout: options.dialTimeoutMs } : {}),
    });
  }

  async get(key: string): Promise<KeyValue | undefined> {
    const response = await this.#call('get', () => this.#client.kv.range({ key: this.#key(key) }));
    const kv = response.kvs[0];
    return kv === undefined ? undefined : this.#kv(kv);
  }

  async list(options: ListOptions): Promise<ListResult> {
    const requested = options.revision;
    if (requested !== undefined && this.#compacted > 0 && requested <= this.#compacted) {
      throw new CompactedError(requested, this.#compacted);
    }
    const limit = options.limit !== undefined && options.limit > 0 ? options.limit : 0;
    const start = options.startAfter !== undefined && options.startAfter >= options.prefix
      ? Buffer.concat([this.#key(options.startAfter), Buffer.from([0])]) // the smallest key after it
      : this.#rangeStart(options.prefix);
    const range = (revision: number) => this.#client.kv.range({
      key: start,
      range_end: rangeEnd(this.#key(options.prefix)),
      limit,
      revision,
      sort_order: 'Ascend',
      sort_target: 'Key',
    });
    const response = await this.#call('list', async () => {
      try {
        return await range(requested !== undefined && requested > 0 ? requested : 0);
      } catch (error) {
        // The Store reads a revision above the current one as the current state.
        if (isEtcdFutureRevisionError(error)) return await range(0);
        if (isEtcdCompactedError(error) && requested !== undefined) throw this.#learnCompacted(requested, error);
        throw error;
      }
    });
    const current = Number(response.header.revision);
    const revision = requested !== undefined && requested > 0 && requested < current ? requested : current;
    const items = response.kvs.map((kv) => this.#kv(kv));
    if (limit === 0) return { items, revision, more: response.more };
    // etcd counts every key of the range, not only the page: the rest is what follows the page.
    return { items, revision, more: response.more, remaining: Math.max(Number(response.count) - items.length, 0) };
  }

  async count(prefix: string): Promise<number> {
    const response = await this.#call('count', () =>
      this.#client.kv.range({ key: this.#rangeStart(prefix), range_end: rangeEnd(this.#key(prefix)), count_only: true }));
    return Number(response.count);
  }

  async create(key: string, value: string): Promise<KeyValue> {
    const response = await this.#call('create', () => this.#client.kv.txn({
      compare: [{ key: this.#key(key), target: 'Create', result: 'Equal', create_revision: 0 }],
      success: [{ request_put: { key: this.#key(key), value: Buffer.from(value, 'utf8') } }],
      failure: [],
    }));
    if (!response.succeeded) throw new AlreadyExistsError(`key ${key} already exists`);
    const revision = Number(response.header.revision);
    return { key, value, createRevision: revision, modRevision: revision };
  }

  async update(key: string, value: string, expectedRevision: number): Promise<KeyValue> {
    const response = await this.#casTxn('update', key, expectedRevision, {
      request_put: { key: this.#key(key), value: Buffer.from(value, 'utf8'), prev_kv: true },
    });
    const prev = response.responses[0]?.response_put.prev_kv;
    if (prev === undefined || prev === null) throw new UnavailableError(`etcd update of ${key} returned no previous value`);
    return { key, value, createRevision: Number(prev.create_revision), modRevision: Number(response.header.revision) };
  }

  async delete(key: string, expectedRevision?: number): Promise<KeyValue> {
    const response = await this.#casTxn('delete', key, expectedRevision, {
      request_delete_range: { key: this.#key(key), prev_kv: true },
    });
    const prev = response.responses[0]?.response_delete_range.prev_kvs[0];
    if (prev === undefined) throw new UnavailableError(`etcd delete of ${key} returned no previous value`);
    return { ...this.#kv(prev), modRevision: Number(response.header.revision) };
  }

  watch(options: WatchOptions): Watch {
    return etcdWatch({
      ...options,
      client: this.#client,
      keyPrefix: this.#prefix,
      compactedRevision: this.#compacted,
      onWatchError: async (error, afterRevision) => this.#watchError(error, afterRevision),
    });
  }

  async currentRevision(): Promise<number> {
    const response = await this.#call('revision', () =>
      this.#client.kv.range({ key: this.#rangeStart(''), range_end: rangeEnd(this.#key('')), count_only: true }));
    return Number(response.header.revision);
  }

  async compact(revision: number): Promise<void> {
    if (revision <= this.#compacted) return;
    const target = Math.min(revision, await this.currentRevision());
    if (target <= this.#compacted) return;
    await this.#call('compact', async () => {
      try {
        // physical: wait until the compaction is applied, so no read afterwards sees old data.
        await this.#client.kv.compact({ revision: target, physical: true });
      } catch (error) {
        // Someone already compacted at or past it: our goal holds.
        if (!isEtcdCompactedError(error)) throw error;
      }
    });
    this.#compacted = Math.max(this.#compacted, target);
  }

  compactedRevision(): Promise<number> {
    return Promise.resolve(this.#compacted);
  }

  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#client.close();
    }
    return Promise.resolve();
  }

  /** A compare-and-swap on an existing key; NotFound / Conflict from the failure branch's read. */
  async #casTxn(operation: string, key: string, expectedRevision: number | undefined, op: IRequestOp) {
    const etcdKey = this.#key(key);
    const response = await this.#call(operation, () => this.#client.kv.txn({
      compare: [
        { key: etcdKey, target: 'Version', result: 'Greater', version: 0 },
        ...(expectedRevision !== undefined
          ? [{ key: etcdKey, target: 'Mod' as const, result: 'Equal' as const, mod_revision: expectedRevision }]
          : []),
      ],
      success: [op],
      failure: [{ request_range: { key: etcdKey } }],
    }));
    if (response.succeeded) return response;
    const current = response.responses[0]?.response_range.kvs[0];
    if (current === undefined) throw new NotFoundError(`key ${key} not found`);
    const currentRevision = Number(current.mod_revision);
    throw new ConflictError(`key ${key} is at revision ${currentRevision}, not ${expectedRevision}`, { currentRevision });
  }

  async #watchError(error: Error, afterRevision: number): Promise<Error> {
    if (this.#compacted > afterRevision) return new CompactedError(afterRevision + 1, this.#compacted);
    // etcd cancels a watch whose start revision is compacted without saying so in a way etcd3
    // passes on; a read at that revision tells.
    try {
      await this.#client.kv.range({
        key: this.#rangeStart(''),
        range_end: rangeEnd(this.#key('')),
        count_only: true,
        revision: afterRevision + 1,
      });
    } catch (probeError) {
      if (isEtcdCompactedError(probeError)) return this.#learnCompacted(afterRevision + 1, probeError);
    }
    return new UnavailableError('etcd watch failed', { cause: error });
  }

  /** etcd refused `revision` as compacted: its compaction point C > revision, so ours (C - 1) >= revision. */
  #learnCompacted(revision: number, cause: unknown): CompactedError {
    this.#compacted = Math.max(this.#compacted, revision);
    return new CompactedError(revision, this.#compacted, { cause });
  }

  async #call<T>(operation: string, body: () => Promise<T>): Promise<T> {
    if (this.#closed) throw new UnavailableError('store is closed');
    try {
      return await body();
    } catch (error) {
      throw toStoreError(error, operation);
    }
  }

  #key(key: string): Buffer {
    return Buffer.from(this.#prefix + key, 'utf8');
  }

  /** etcd rejects an empty key, and "\0" with a range end is the same lower bound. */
  #rangeStart(prefix: string): Buffer {
    const key = this.#key(prefix);
    return key.length > 0 ? key : Buffer.from([0]);
  }

  #kv(kv: IKeyValue): KeyValue {
    return toKeyValue(kv, this.#prefix);
  }
}

/** etcd's range end for "every key with this prefix": the prefix with its last byte below 0xff raised by one. */
function rangeEnd(prefix: Buffer): Buffer {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const byte = prefix[i] as number;
    if (byte < 0xff) {
      const end = Buffer.from(prefix.subarray(0, i + 1));
      end[i] = byte + 1;
      return end;
    }
  }
  return Buffer.from([0]); // no upper bound: etcd reads "\0" as "to the end"
}
