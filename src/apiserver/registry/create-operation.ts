// POST: upstream's create path (rest.BeforeCreate + the generic store's Create) over the Store.
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../../api/object.js';
import { AlreadyExistsError } from '../../lib/errors.js';
import { cloneJson } from '../patch/json-value.js';
import { ForbiddenError, ResourceAlreadyExistsError, ResourceNotFoundError } from './api-errors.js';
import { dropInvalidManagedFields, recordWrite } from './managed-fields-step.js';
import { generateName } from './name-generator.js';
import { encodeObject, withTypeAndVersion } from './object-codec.js';
import { metadataOf, rfc3339, type RegistryContext } from './registry-context.js';
import { noteServedJson, servesAsStored } from './served-json.js';
import type { WriteOptions, WriteResult } from './registry-types.js';
import { checkTypeMeta, settleNamespace } from './type-meta.js';
import { applyFieldValidation } from './unknown-fields.js';
import { validateOrThrow } from './validation-step.js';
import { withFinish } from './write-hooks.js';

export interface CreateInput {
  readonly namespace: string | undefined;
  readonly body: KubeObject;
  readonly options: WriteOptions;
  /** Server-side apply already computed managedFields and checked the applied fields. */
  readonly fromApply?: boolean;
}

/** Upstream retries a generated name that collides; 8 attempts make a collision practically impossible. */
const GENERATE_NAME_ATTEMPTS = 8;

export async function createObject(ctx: RegistryContext, input: CreateInput): Promise<WriteResult> {
  const { info } = ctx.strategy;
  const obj = cloneJson(input.body);
  checkTypeMeta(info, obj);
  const warnings = input.fromApply ? [] : applyFieldValidation(ctx, obj, input.options.fieldValidation);
  const namespace = settleNamespace(info, obj, input.namespace);
  const metadata = metadataOf(obj);

  const prefix = metadata.generateName;
  const generated = (metadata.name === undefined || metadata.name === '') && prefix !== undefined && prefix !== '';
  if (generated) metadata.name = generateName(prefix);

  if (namespace !== undefined) await checkNamespaceAcceptsContent(ctx, namespace, metadata.name ?? '');

  // System fields are the server's: whatever the client sent is replaced.
  delete metadata.resourceVersion;
  delete metadata.deletionTimestamp;
  delete metadata.deletionGracePeriodSeconds;
  delete metadata.selfLink;
  metadata.uid = randomUUID();
  metadata.creationTimestamp = rfc3339(ctx.clock.now());
  if (info.tracksGeneration) metadata.generation = 1;
  else delete metadata.generation;
  dropInvalidManagedFields(obj);
  if (info.subresources.status && !ctx.strategy.keepsStatusOnCreate) obj['status'] = {};

  ctx.strategy.prepareForCreate?.(obj);
  ctx.strategy.defaults(obj);
  // As upstream, the writer owns what it sent plus the defaults, and not what admission adds next
  // (service account, token volume, tolerations, priority, allocated IPs).
  if (!input.fromApply) recordWrite(ctx, undefined, obj, input.options.fieldManager);
  ctx.strategy.admit?.(obj);
  // REST-layer allocation (Service cluster IPs, node ports) happens before validation, as upstream's
  // BeginCreate; whatever it reserved is released again if the create does not go through.
  const finish = await ctx.writeHooks?.beginCreate?.(obj, { dryRun: input.options.dryRun });
  return withFinish(finish, () => storeCreated(ctx, input, obj, { namespace, generated, prefix, warnings }));
}

async function storeCreated(
  ctx: RegistryContext, input: CreateInput, obj: KubeObject,
  state: { namespace: string | undefined; generated: boolean; prefix: string | undefined; warnings: string[] },
): Promise<WriteResult> {
  const { info } = ctx.strategy;
  const { namespace, generated, prefix, warnings } = state;
  const metadata = metadataOf(obj);
  validateOrThrow(ctx, obj, undefined);

  if (input.options.dryRun) return { object: withTypeAndVersion(obj, info, undefined), created: true, warnings };

  for (let attempt = 1; ; attempt++) {
    const name = metadata.name ?? '';
    try {
      const text = encodeObject(obj, ctx.strategy.storage);
      const reusable = ctx.strategy.storage === undefined && servesAsStored(obj, info, text);
      const kv = await ctx.store.create(ctx.keys.objectKey(namespace, name), text);
      const object = withTypeAndVersion(obj, info, kv.modRevision);
      // The answer is the stored text plus its resourceVersion: no second serialization (served-json.ts).
      if (reusable) noteServedJson(object, text, kv.modRevision);
      return { object, created: true, warnings };
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
      if (!generated || attempt >= GENERATE_NAME_ATTEMPTS) throw new ResourceAlreadyExistsError(ctx.resource, name, { cause: error });
      metadata.name = generateName(prefix ?? '');
    }
  }
}

/** Upstream's NamespaceLifecycle admission: no content in a missing or terminating namespace. */
async function checkNamespaceAcceptsContent(ctx: RegistryContext, namespace: string, name: string): Promise<void> {
  if (!ctx.namespaceState) return;
  const state = await ctx.namespaceState(namespace);
  if (state === 'NotFound') throw new ResourceNotFoundError({ group: '', resource: 'namespaces' }, namespace);
  if (state === 'Terminating') {
    throw new ForbiddenError(ctx.resource, name, `unable to create new content in namespace ${namespace} because it is being terminated`);
  }
}
