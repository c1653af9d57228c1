/** `GET /crm/v3/properties/{objectType}[/{propertyName}]`, read from the validation table itself. */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../core/errors.js';
import type { CrmAuth } from '../auth/crm-auth.js';
import { parseObjectType } from '../objects/object-types.js';
import { PROPERTY_DEFINITIONS, type PropertyDefinition } from './property-definitions.js';

const EPOCH = '2024-01-01T00:00:00.000Z';

/** HubSpot's `Property` shape. */
function publicProperty(def: PropertyDefinition) {
  return {
    name: def.name,
    label: def.label,
    type: def.type,
    fieldType: def.fieldType,
    description: def.description,
    groupName: def.groupName,
    options: def.options.map((o, i) => ({ ...o, displayOrder: i, hidden: false })),
    displayOrder: -1,
    calculated: false,
    externalOptions: Boolean(def.referencesOwner),
    hasUniqueValue: Boolean(def.unique),
    hidden: false,
    formField: !def.readOnly,
    modificationMetadata: {
      archivable: false,
      readOnlyDefinition: true,
      readOnlyValue: Boolean(def.readOnly),
    },
    ...(def.referencesOwner ? { referencedObjectType: 'OWNER' } : {}),
    createdAt: EPOCH,
    updatedAt: EPOCH,
    archived: false,
  };
}

export function registerPropertyRoutes(app: FastifyInstance, deps: { auth: CrmAuth }): void {
  const preHandler = deps.auth.bearer;
  app.get<{ Params: { objectType: string } }>(
    '/crm/v3/properties/:objectType',
    { preHandler },
    async (request) => {
      const defs = PROPERTY_DEFINITIONS[parseObjectType(request.params.objectType)];
      return { results: [...defs.values()].map(publicProperty) };
    },
  );
  app.get<{ Params: { objectType: string; name: string } }>(
    '/crm/v3/properties/:objectType/:name',
    { preHandler },
    async (request) => {
      const type = parseObjectType(request.params.objectType);
      const def = PROPERTY_DEFINITIONS[type].get(request.params.name);
      if (!def) {
        const message = `Property ${request.params.name} does not exist on ${type}.`;
        throw new AppError('E_NOT_FOUND', message, {
          details: [
            { message, code: 'PROPERTY_DOESNT_EXIST', context: { propertyName: [request.params.name] } },
          ],
        });
      }
      return publicProperty(def);
    },
  );
}
