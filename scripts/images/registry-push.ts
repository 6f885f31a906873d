// Pushes an OCI layout built by oci-layout.ts to a registry over plain HTTP with the distribution
// (registry v2) API, using only fetch: per blob HEAD /v2/<name>/blobs/<digest> (200 = already
// there), else POST /v2/<name>/blobs/uploads/ (202 + Location) and a monolithic
// PUT <Location>?digest=<digest>; then PUT /v2/<name>/manifests/<tag> with the OCI manifest type.
// Meant for the loopback registries of tests and of the README demo (no auth, no TLS).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Descriptor, OciLayout } from './oci-layout.js';

export class RegistryPushError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RegistryPushError';
  }
}

async function expectStatus(response: Response, wanted: readonly number[], what: string): Promise<void> {
  if (wanted.includes(response.status)) return;
  const body = await response.text().catch(() => '');
  throw new RegistryPushError(`${what}: HTTP ${response.status} ${body.slice(0, 300)}`);
}

async function pushBlob(base: string, name: string, layoutDir: string, blob: Descriptor): Promise<void> {
  const head = await fetch(`${base}/v2/${name}/blobs/${blob.digest}`, { method: 'HEAD' });
  if (head.status === 200) return;
  const start = await fetch(`${base}/v2/${name}/blobs/uploads/`, { method: 'POST' });
  await expectStatus(start, [202], `start upload of ${blob.digest} to ${name}`);
  const location = start.headers.get('location');
  if (location === null) throw new RegistryPushError(`registry gave no Location for an upload to ${name}`);
  const url = new URL(location, base);
  url.searchParams.set('digest', blob.digest);
  const data = await readFile(join(layoutDir, 'blobs', 'sha256', blob.digest.slice('sha256:'.length)));
  const put = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(data.length) },
    body: data,
  });
  await expectStatus(put, [201], `upload of ${blob.digest} to ${name}`);
}

/**
 * Pushes `layout` as `<registry>/<name>:<tag>` (registry is host:port, plain HTTP) and returns the
 * full reference.
 */
export async function pushOciLayout(layout: OciLayout, registry: string, name: string, tag = layout.tag): Promise<string> {
  const base = `http://${registry}`;
  for (const blob of [layout.config, ...layout.layers]) await pushBlob(base, name, layout.dir, blob);
  const manifest = await readFile(join(layout.dir, 'blobs', 'sha256', layout.manifest.digest.slice('sha256:'.length)));
  const put = await fetch(`${base}/v2/${name}/manifests/${tag}`, {
    method: 'PUT',
    headers: { 'content-type': layout.manifest.mediaType },
    body: manifest,
  });
  await expectStatus(put, [201], `manifest ${name}:${tag}`);
  return `${registry}/${name}:${tag}`;
}

/** Resolves when `GET /v2/` answers (any HTTP status); rejects after `timeoutMs`. */
export async function waitForRegistry(registry: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await fetch(`http://${registry}/v2/`, { signal: AbortSignal.timeout(1000) });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new RegistryPushError(`registry ${registry} did not answer within ${timeoutMs} ms`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}
