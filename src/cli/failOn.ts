import { GATE_KINDS, type GateKind } from '../analysers/diffGates';
import { visibleText } from '../text/visibleText';
import { UsageError } from './args';

/** `--fail-on KIND[,KIND]`: the gates, each once, in the order given; an unknown kind is a usage error naming them all. */
export function parseFailOn(value: string | true | undefined): GateKind[] {
  if (value === undefined) return [];
  const listing = `--fail-on takes a comma-separated list of ${GATE_KINDS.join(', ')}`;
  if (value === true) throw new UsageError(listing);
  const kinds = value.split(',').map((k) => k.trim());
  const unknown = kinds.filter((k) => !(GATE_KINDS as readonly string[]).includes(k));
  if (kinds.length === 0 || unknown.length > 0) {
    const named = unknown.filter((k) => k !== '');
    throw new UsageError(`${named.length > 0 ? `unknown --fail-on ${named.length === 1 ? 'kind' : 'kinds'} ${named.map((k) => `"${visibleText(k)}"`).join(', ')}: ` : 'an empty --fail-on kind: '}${listing}`);
  }
  return [...new Set(kinds as GateKind[])];
}
