import type { AcceptConfig } from '../schema/configSchema';
import type { Acceptance } from './accessModel';
import { instant, isoInstant } from './duration';
import { itemSource } from './registry';
import type { Entry } from '../schema/validateDocument';

/** An entry's `accept:` items as model data, each with the SourceRef of its YAML item. */
export function acceptancesOf(entry: Entry<{ readonly accept?: readonly AcceptConfig[] | undefined }>): { accepts?: readonly Acceptance[] } {
  const items = entry.value.accept ?? [];
  if (items.length === 0) return {};
  return {
    accepts: items.map((item, index) => ({
      rule: item.rule,
      reason: item.reason,
      ...(item.ticket !== undefined ? { ticket: item.ticket } : {}),
      ...(item.expires !== undefined ? { expires: isoInstant(instant(item.expires)) } : {}),
      source: itemSource(entry, 'accept', index),
    })),
  };
}
