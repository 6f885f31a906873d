// Serializes watch events once per representation and reuses the line for every watcher.
// The registry fans one event object out to all watchers of a resource, so with 100 watchers a
// write costs one JSON.stringify per representation instead of 100 (keyed by object identity in a
// WeakMap: entries die with the event).
import type { WatchEvent } from '../registry/registry-types.js';
import { servedJson } from '../registry/served-json.js';
import type { ResourceStrategy } from '../registry/strategy.js';
import { partialMetadataWatchEvent } from './render-partial-metadata.js';
import { tableWatchEvent, type IncludeObject } from './render-table.js';

export type WatchRepresentation =
  | { readonly as: 'object' }
  | { readonly as: 'table'; readonly version: 'v1' | 'v1beta1'; readonly includeObject: IncludeObject }
  | { readonly as: 'metadata'; readonly version: 'v1' | 'v1beta1' };

function representationKey(type: string, representation: WatchRepresentation): string {
  switch (representation.as) {
    case 'object':
      return `${type}|object`;
    case 'metadata':
      return `${type}|metadata|${representation.version}`;
    case 'table':
      return `${type}|table|${representation.version}|${representation.includeObject}`;
  }
}

function shape(event: WatchEvent, representation: WatchRepresentation, strategy: ResourceStrategy, now: () => Date): WatchEvent {
  switch (representation.as) {
    case 'object':
      return event;
    case 'metadata':
      return partialMetadataWatchEvent(event, representation.version);
    case 'table':
      return tableWatchEvent(event, strategy, { version: representation.version, includeObject: representation.includeObject, now: now() });
  }
}

export class WatchEventEncoder {
  readonly #lines = new WeakMap<object, Map<string, string>>();
  #encoded = 0;

  /** The newline-terminated JSON line for this event (kubectl-wire §5: one event per line). */
  encode(event: WatchEvent, representation: WatchRepresentation, strategy: ResourceStrategy, now: () => Date): string {
    let byKey = this.#lines.get(event.object);
    if (!byKey) {
      byKey = new Map();
      this.#lines.set(event.object, byKey);
    }
    const key = representationKey(event.type, representation);
    let line = byKey.get(key);
    if (line === undefined) {
      const shaped = shape(event, representation, strategy, now);
      // The watch cache's objects usually come with their JSON text already (served-json.ts).
      const objectJson = servedJson(shaped.object);
      line = objectJson === undefined
        ? `${JSON.stringify({ type: shaped.type, object: shaped.object })}\n`
        : `{"type":${JSON.stringify(shaped.type)},"object":${objectJson}}\n`;
      byKey.set(key, line);
      this.#encoded += 1;
    }
    return line;
  }

  /** How many serializations actually ran (for tests of the sharing). */
  get encodedCount(): number {
    return this.#encoded;
  }
}
