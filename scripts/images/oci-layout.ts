// Writes a single-layer OCI image layout (image-spec 1.0: oci-layout, index.json, blobs/sha256/*)
// from a root filesystem directory, without Docker. The layer is made reproducible so the same
// rootfs always gives the same digests: GNU tar with sorted names, uid/gid 0 and mtime 0, then
// gzip without a file name or time stamp (Node's zlib writes mtime 0).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';

const execFileAsync = promisify(execFile);

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const OCI_LAYER_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';

/** The runtime part of an image config (the fields an OCI config's `config` object holds). */
export interface ImageRuntimeConfig {
  readonly Entrypoint?: readonly string[];
  readonly Cmd?: readonly string[];
  readonly Env?: readonly string[];
  readonly WorkingDir?: string;
  readonly ExposedPorts?: Readonly<Record<string, Record<string, never>>>;
}

export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
}

export interface OciLayout {
  readonly dir: string;
  readonly tag: string;
  readonly manifest: Descriptor;
  readonly config: Descriptor;
  readonly layers: readonly Descriptor[];
}

/** A filesystem layer: the gzip blob and the digest of the uncompressed tar (the config's diff_id). */
export interface Layer {
  readonly gzip: Buffer;
  readonly diffId: string;
}

export interface BuildLayoutOptions {
  /** Made with makeLayer; one layer can serve several images. */
  readonly layer: Layer;
  readonly outDir: string;
  readonly tag: string;
  readonly config: ImageRuntimeConfig;
  /** Written into the config's history; part of the digest. */
  readonly createdBy: string;
}

function sha256(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

async function writeBlob(outDir: string, mediaType: string, data: Buffer): Promise<Descriptor> {
  const digest = sha256(data);
  await writeFile(join(outDir, 'blobs', 'sha256', digest.slice('sha256:'.length)), data);
  return { mediaType, digest, size: data.length };
}

/** A reproducible tar of a directory's contents (paths relative to it, `./` prefixed). */
export async function reproducibleTar(rootfs: string): Promise<Buffer> {
  const { stdout } = await execFileAsync(
    'tar',
    ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', '--mtime=@0', '--format=gnu', '-C', rootfs, '-cf', '-', '.'],
    { encoding: 'buffer', maxBuffer: 512 * 1024 * 1024 },
  );
  return stdout;
}

export async function makeLayer(rootfs: string): Promise<Layer> {
  const tar = await reproducibleTar(rootfs);
  return { gzip: gzipSync(tar, { level: 6 }), diffId: sha256(tar) };
}

export async function buildOciLayout(options: BuildLayoutOptions): Promise<OciLayout> {
  const { outDir } = options;
  await rm(outDir, { recursive: true, force: true });
  await mkdir(join(outDir, 'blobs', 'sha256'), { recursive: true });

  const layer = await writeBlob(outDir, OCI_LAYER_GZIP, options.layer.gzip);
  const imageConfig = {
    architecture: 'amd64',
    os: 'linux',
    config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], WorkingDir: '/', ...options.config },
    rootfs: { type: 'layers', diff_ids: [options.layer.diffId] },
    history: [{ created: '1970-01-01T00:00:00Z', created_by: options.createdBy }],
  };
  const config = await writeBlob(outDir, OCI_CONFIG, Buffer.from(JSON.stringify(imageConfig)));
  const manifestJson = { schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers: [layer] };
  const manifest = await writeBlob(outDir, OCI_MANIFEST, Buffer.from(JSON.stringify(manifestJson)));
  const index = {
    schemaVersion: 2,
    manifests: [{ ...manifest, annotations: { 'org.opencontainers.image.ref.name': options.tag }, platform: { architecture: 'amd64', os: 'linux' } }],
  };
  await writeFile(join(outDir, 'index.json'), JSON.stringify(index));
  await writeFile(join(outDir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  return { dir: outDir, tag: options.tag, manifest, config, layers: [layer] };
}
