// One Store watch on top of an etcd3 Watcher. etcd3 reconnects dropped watch streams on its own,
// but it then restarts from the revision in the last response header, which can skip events that
// were still being replayed; so a disconnect ends this watch with UnavailableError instead, and
// the caller resumes from the last revision it saw (the Store contract).
import type { Etcd3, IEvent, IKeyValue, Watcher } from 'etcd3';
import { CompactedError, UnavailableError } from '../../lib/errors.js';
import type { KeyValue, StoreEvent, Watch, WatchOptions } from '../store.js';
import { WatchChannel } from '../watch-channel.js';

export interface EtcdWatchOptions extends WatchOptions {
  readonly client: Etcd3;
  /** Prepended to every key in etcd. */
  readonly keyPrefix: string;
  /** Turns an etcd3 watcher error (compaction included) into the Store error to raise. */
  readonly onWatchError: (error: Error, afterRevision: number) => Promise<Error>;
  /** What the store already knows is compacted: an older start fails without asking etcd. */
  readonly compactedRevision: number;
}

export function etcdWatch(options: EtcdWatchOptions): Watch {
  let watcher: Watcher | undefined = undefined;
  let lastRevision = options.afterRevision;
  const channel = new WatchChannel({
    signal: options.signal,
    onClose: () => {
      // Cancelling is best effort: the stream may already be gone.
      watcher?.cancel().catch(() => undefined);
    },
  });
  if (channel.closed) return channel;
  if (options.afterRevision < options.compactedRevision) {
    channel.fail(new CompactedError(options.afterRevision + 1, options.compactedRevision));
    return channel;
  }
  watcher = options.client
    .watch()
    .prefix(options.keyPrefix + options.prefix)
    .withPreviousKV()
    .startRevision(String(options.afterRevision + 1))
    .watcher();
  watcher.on('data', (response) => {
    for (const event of response.events) {
      const storeEvent = toStoreEvent(event, options.keyPrefix);
      // etcd never repeats a revision on one stream; this guards the ordering promise anyway.
      if (storeEvent.revision <= lastRevision) continue;
      lastRevision = storeEvent.revision;
      channel.push(storeEvent);
    }
  });
  watcher.on('disconnected', (error) => {
    channel.fail(new UnavailableError('etcd watch stream disconnected', { cause: error }));
  });
  watcher.on('error', (error) => {
    void options.onWatchError(error, lastRevision).then((mapped) => channel.fail(mapped));
  });
  return channel;
}

function toStoreEvent(event: IEvent, keyPrefix: string): StoreEvent {
  const revision = Number(event.kv.mod_revision);
  const prevKv = event.prev_kv ? toKeyValue(event.prev_kv, keyPrefix) : undefined;
  if (event.type === 'Delete') {
    const key = event.kv.key.toString('utf8').slice(keyPrefix.length);
    // etcd's delete event carries only the key; the value is the one it had before.
    const kv: KeyValue = prevKv
      ? { ...prevKv, modRevision: revision }
      : { key, value: '', createRevision: 0, modRevision: revision };
    return prevKv ? { type: 'deleted', revision, kv, prevKv } : { type: 'deleted', revision, kv };
  }
  const kv = toKeyValue(event.kv, keyPrefix);
  if (kv.createRevision === kv.modRevision) return { type: 'added', revision, kv };
  return prevKv ? { type: 'modified', revision, kv, prevKv } : { type: 'modified', revision, kv };
}

export function toKeyValue(kv: IKeyValue, keyPrefix: string): KeyValue {
  return {
    key: kv.key.toString('utf8').slice(keyPrefix.length),
    value: kv.value.toString('utf8'),
    createRevision: Number(kv.create_revision),
    modRevision: Number(kv.mod_revision),
  };
}
