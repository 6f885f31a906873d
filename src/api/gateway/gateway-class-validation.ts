// GatewayClass validation (CRD schema and CEL): controllerName format, immutable.
import { required, type FieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { recordOf } from '../validation/json-access.js';
import { FIELD_IMMUTABLE, validateObjectMeta } from '../validation/object-meta.js';
import { validateObjectRef } from './reference-validation.js';
import { checkString, CONTROLLER_NAME_PATTERN, ruleError } from './schema-errors.js';

export function validateGatewayClass(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, { namespaced: false, nameRule: 'dns1123Subdomain' }, old?.metadata);
  const spec = recordOf(obj.spec);
  if (!spec) {
    errs.push(required('spec'));
    return errs;
  }
  checkString(errs, 'spec.controllerName', spec.controllerName, { min: 1, max: 253, pattern: CONTROLLER_NAME_PATTERN, required: true });
  checkString(errs, 'spec.description', spec.description, { max: 64 });
  const parametersRef = recordOf(spec.parametersRef);
  if (parametersRef) {
    validateObjectRef(errs, 'spec.parametersRef', parametersRef);
    if (parametersRef.group === undefined || parametersRef.group === null) errs.push(required('spec.parametersRef.group'));
  }
  const oldController = recordOf(old?.spec)?.controllerName;
  if (old !== undefined && oldController !== spec.controllerName)
    errs.push(ruleError('spec.controllerName', 'string', FIELD_IMMUTABLE));
  return errs;
}
