// The OpenAPI parameter objects of the Kubernetes REST verbs. kubectl's field-validation probe
// looks for `fieldValidation` on a PATCH operation; the rest documents what k8ts accepts.

export interface OpenApiParameter {
  readonly name: string;
  readonly in: 'query' | 'path';
  readonly description: string;
  readonly required?: boolean;
  readonly schema: { readonly type: 'string' | 'boolean' | 'integer'; readonly uniqueItems?: boolean };
}

function query(name: string, type: OpenApiParameter['schema']['type'], description: string): OpenApiParameter {
  return { name, in: 'query', description, schema: { type, uniqueItems: true } };
}

export const PRETTY = query('pretty', 'string', "If 'true', the output is pretty printed.");

export const NAME_PATH: OpenApiParameter = {
  name: 'name', in: 'path', required: true, description: 'name of the object', schema: { type: 'string', uniqueItems: true },
};
export const NAMESPACE_PATH: OpenApiParameter = {
  name: 'namespace', in: 'path', required: true, description: 'object name and auth scope, such as for teams and projects',
  schema: { type: 'string', uniqueItems: true },
};

const DRY_RUN = query('dryRun', 'string', "When present, modifications are not persisted. 'All' is the only valid value.");
const FIELD_MANAGER = query('fieldManager', 'string', 'Name of the actor making the change, used to track field ownership.');
const FIELD_VALIDATION = query('fieldValidation', 'string',
  'How the server treats unknown or duplicate fields in the request body: Ignore, Warn (the default) or Strict.');
const FORCE = query('force', 'boolean', 'Take ownership of conflicting fields in an apply request.');

/** Parameters of create and replace (POST, PUT). */
export const WRITE_PARAMETERS: readonly OpenApiParameter[] = [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION];

/** Parameters of PATCH: those of a write plus `force` for server-side apply. */
export const PATCH_PARAMETERS: readonly OpenApiParameter[] = [...WRITE_PARAMETERS, FORCE];

/** Parameters of list and watch. */
export const LIST_PARAMETERS: readonly OpenApiParameter[] = [
  query('allowWatchBookmarks', 'boolean', 'Request BOOKMARK events on a watch.'),
  query('continue', 'string', 'The continue token returned by a previous paged list.'),
  query('fieldSelector', 'string', 'Restrict the returned objects by their fields.'),
  query('labelSelector', 'string', 'Restrict the returned objects by their labels.'),
  query('limit', 'integer', 'Maximum number of objects to return in one page.'),
  query('resourceVersion', 'string', 'Which resource version the list or watch starts from.'),
  query('resourceVersionMatch', 'string', 'How resourceVersion is applied to a list.'),
  query('sendInitialEvents', 'boolean', 'Start a watch with synthetic ADDED events for the current state.'),
  query('timeoutSeconds', 'integer', 'Timeout for the list or watch call.'),
  query('watch', 'boolean', 'Watch for changes instead of listing.'),
];

/** Parameters of DELETE on one object. */
export const DELETE_PARAMETERS: readonly OpenApiParameter[] = [
  DRY_RUN,
  query('gracePeriodSeconds', 'integer', 'Seconds before the object should be deleted; 0 means immediately.'),
  query('orphanDependents', 'boolean', 'Deprecated: use propagationPolicy.'),
  query('propagationPolicy', 'string', 'Whether and how dependents are garbage collected: Orphan, Background or Foreground.'),
];

/** Parameters of DELETE on a collection: delete's plus list's selectors. */
export const DELETE_COLLECTION_PARAMETERS: readonly OpenApiParameter[] = [...DELETE_PARAMETERS, ...LIST_PARAMETERS];
