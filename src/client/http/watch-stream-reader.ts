// Reads a watch response: one JSON event per line (`{"type":"ADDED","object":{...}}`). An ERROR
// event carries a Status: 410 (the requested resourceVersion is compacted) becomes CompactedError
// so informers relist; any other becomes the matching typed error. The stream ends quietly when
// the signal aborts or the server closes it (timeoutSeconds, shutdown).
import type { IncomingMessage } from 'node:http';
import type { KubeObject } from '../../api/object.js';
import { errorFromStatus } from '../api-status-error.js';
import type { ClientWatchEvent, ClientWatchEventType } from '../resource-client.js';

const EVENT_TYPES: ReadonlySet<string> = new Set<ClientWatchEventType>(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK']);

interface RawEvent {
  type?: string;
  object?: KubeObject;
}

export async function* readWatchStream<T extends KubeObject>(
  response: IncomingMessage,
  signal: AbortSignal,
  requestedRv: string | undefined,
): AsyncGenerator<ClientWatchEvent<T>> {
  const onAbort = (): void => {
    response.destroy();
  };
  signal.addEventListener('abort', onAbort, { once: true });
  let buffer = '';
  try {
    for await (const chunk of response) {
      buffer += (chunk as Buffer).toString('utf8');
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf('\n');
        if (line === '') continue;
        const event = JSON.parse(line) as RawEvent;
        if (event.type === 'ERROR') throw errorFromStatus((event.object ?? {}), undefined, requestedRv);
        if (event.type && EVENT_TYPES.has(event.type) && event.object) {
          yield { type: event.type as ClientWatchEventType, object: event.object as T };
        }
      }
    }
  } catch (error) {
    if (signal.aborted) return;
    throw error;
  } finally {
    signal.removeEventListener('abort', onAbort);
    response.destroy();
  }
}
