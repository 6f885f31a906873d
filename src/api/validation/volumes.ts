// Pod volumes (upstream: ValidateVolumes / validateVolumeSource), for the sources k8ts runs.
// Every other upstream source is still counted, so "exactly one source" holds for all of them.
import { duplicate, forbidden, invalid, required, type FieldError } from '../field-error.js';
import { isRecord, numberOf, recordsOf, stringOf, type JsonRecord } from './json-access.js';
import { isDns1123Label } from './name-rules.js';

/** Every VolumeSource member in upstream's order. */
const VOLUME_SOURCES = [
  'hostPath',
  'emptyDir',
  'gitRepo',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'persistentVolumeClaim',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'downwardAPI',
  'fc',
  'azureFile',
  'configMap',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'projected',
  'portworxVolume',
  'scaleIO',
  'storageos',
  'csi',
  'ephemeral',
  'image',
  'gcePersistentDisk',
  'awsElasticBlockStore',
] as const;

const MODE_MESSAGE = 'must be a number between 0 and 0777 (octal), both inclusive';

function validateMode(value: unknown, path: string): FieldError[] {
  const mode = numberOf(value);
  if (mode === undefined) return [];
  return mode < 0 || mode > 0o777 ? [invalid(path, mode, MODE_MESSAGE)] : [];
}

/** A relative path that stays inside the volume (upstream's validateLocalDescendingPath). */
export function validateLocalDescendingPath(target: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (target.startsWith('/')) errs.push(invalid(path, target, 'must be a relative path'));
  if (target.split('/').includes('..')) errs.push(invalid(path, target, "must not contain '..'"));
  return errs;
}

function validateKeyToPaths(items: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  recordsOf(items).forEach((item, i) => {
    const itemPath = `${path}[${i}]`;
    const key = stringOf(item.key);
    if (key === '') errs.push(required(`${itemPath}.key`));
    const target = stringOf(item.path);
    if (target === '') errs.push(required(`${itemPath}.path`));
    else errs.push(...validateLocalDescendingPath(target, `${itemPath}.path`));
    errs.push(...validateMode(item.mode, `${itemPath}.mode`));
  });
  return errs;
}

function validateSource(kind: string, source: JsonRecord, path: string): FieldError[] {
  const errs: FieldError[] = [];
  switch (kind) {
    case 'hostPath':
      if (stringOf(source.path) === '') errs.push(required(`${path}.path`));
      break;
    case 'configMap':
      if (stringOf(source.name) === '') errs.push(required(`${path}.name`));
      errs.push(...validateMode(source.defaultMode, `${path}.defaultMode`), ...validateKeyToPaths(source.items, `${path}.items`));
      break;
    case 'secret':
      if (stringOf(source.secretName) === '') errs.push(required(`${path}.secretName`));
      errs.push(...validateMode(source.defaultMode, `${path}.defaultMode`), ...validateKeyToPaths(source.items, `${path}.items`));
      break;
    case 'persistentVolumeClaim':
      if (stringOf(source.claimName) === '') errs.push(required(`${path}.claimName`));
      break;
    case 'downwardAPI':
    case 'projected':
      errs.push(...validateMode(source.defaultMode, `${path}.defaultMode`));
      break;
  }
  return errs;
}

/** Returns the problems found and the set of declared volume names (for volumeMounts). */
export function validateVolumes(volumes: unknown, path: string): { errors: FieldError[]; names: Set<string> } {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  recordsOf(volumes).forEach((volume, i) => {
    const volPath = `${path}[${i}]`;
    let count = 0;
    for (const kind of VOLUME_SOURCES) {
      const source = volume[kind];
      if (!isRecord(source)) continue;
      if (count > 0) {
        errors.push(forbidden(`${volPath}.${kind}`, 'may not specify more than 1 volume type'));
        continue;
      }
      count++;
      errors.push(...validateSource(kind, source, `${volPath}.${kind}`));
    }
    if (count === 0) errors.push(required(volPath, 'must specify a volume type'));
    const name = stringOf(volume.name);
    const namePath = `${volPath}.name`;
    if (name === '') errors.push(required(namePath));
    else for (const msg of isDns1123Label(name)) errors.push(invalid(namePath, name, msg));
    if (names.has(name)) errors.push(duplicate(namePath, name));
    names.add(name);
  });
  return { errors, names };
}
