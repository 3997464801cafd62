import { type Alias, type Document, isAlias, isMap, isPair, isScalar, isSeq, type Node, visit } from 'yaml';

/**
 * How far YAML aliases may expand, checked on the parsed document before
 * anything is built from it: a few hundred KB of anchors and aliases can
 * stand for gigabytes (an anchor of 20,000 ARNs aliased 998 times took 45 s
 * and 1.2 GB; at 4.5 MB the process died out of heap).
 *
 * The limits come from what IAM can hold (iam-facts.md):
 */
export const ALIAS_LIMITS = {
  /**
   * One alias. The most a single role can carry into IAM: 10,240 characters
   * of inline policy, a 4,096-character trust policy, 50 tags of up to 384
   * characters and a 1,000-character description, about 35,000 characters
   * (a user holds less: 2,048 of inline policy). 64 KiB leaves room for
   * YAML's own keys and indentation; an alias larger than that holds more
   * than any one user or role could ever use.
   */
  perAlias: 64 * 1024,
  /**
   * All aliases of a file together. An account holds at most 1,000 roles at
   * its default quota, 14.3 million characters of inline and trust policy at
   * IAM's maximum sizes: no file needs aliases to add more than 16 MiB.
   */
  perFile: 16 * 1024 * 1024,
  /**
   * The yaml library resolves each alias by scanning the anchors and aliases
   * before it, so their number costs quadratic time (20,000 aliases took 37 s):
   * one for each of the 5,000 users an account can hold is plenty.
   */
  count: 5000,
} as const;

/** A refused alias: where it is, and why. */
export interface AliasProblem {
  /** yaml-syntax for an alias that cannot be resolved, yaml-alias-limit for one that expands too far. */
  readonly rule: 'yaml-syntax' | 'yaml-alias-limit';
  readonly offset: number;
  readonly message: string;
}

const SHARE_INSTEAD = 'aliases share a few settings between entries; write larger lists out, or split the config into files';

/**
 * The aliases that expand too far, in document order: those that alone
 * exceed the per-alias limit (one finding per anchor, at its first such
 * alias), else the alias where the file's total or count passes its limit.
 * Sizes are characters of the text an alias stands for, nested aliases
 * counted as what they point at; each node is measured once.
 */
export function checkAliases(document: Document): AliasProblem[] {
  const aliases = resolveAliases(document);
  const sizes = new Map<unknown, number>();
  const measuring = new Set<unknown>();
  const problems: AliasProblem[] = [];

  const size = (node: unknown): number => {
    if (isAlias(node)) {
      const target = aliases.targets.get(node);
      // An alias naming no anchor is reported on its own; one inside the node it names would expand forever.
      if (target === undefined) return 0;
      return measuring.has(target) ? Infinity : size(target);
    }
    if (isPair(node)) return size(node.key) + size(node.value) + 2;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    measuring.add(node);
    let total = 1;
    if (isScalar(node)) total = node.range ? node.range[1] - node.range[0] : String(node.value).length;
    else if (isMap(node) || isSeq(node)) for (const item of node.items as unknown[]) total += size(item) + 1;
    measuring.delete(node);
    sizes.set(node, total);
    return total;
  };

  const oversized = new Set<Node>();
  let fileTotal = 0;
  let fileProblem: AliasProblem | undefined;
  aliases.inOrder.forEach((alias, index) => {
    const target = aliases.targets.get(alias);
    const offset = alias.range?.[0] ?? 0;
    if (target === undefined) {
      problems.push({ rule: 'yaml-syntax', offset, message: `*${alias.source} names no anchor: define &${alias.source} before this alias, or quote the text if "*" was meant literally` });
      return;
    }
    const expands = size(alias);
    if (expands === Infinity) {
      problems.push({ rule: 'yaml-syntax', offset, message: `*${alias.source} lies inside the node &${alias.source} it names, so it would expand forever: ${SHARE_INSTEAD}` });
      return;
    }
    if (expands > ALIAS_LIMITS.perAlias) {
      if (!oversized.has(target)) {
        oversized.add(target);
        problems.push({
          rule: 'yaml-alias-limit',
          offset,
          message: `*${alias.source} stands for ${expands.toLocaleString('en-US')} characters of YAML; an alias may stand for at most ${ALIAS_LIMITS.perAlias.toLocaleString('en-US')}, more than any one user or role can hold in IAM (a role's inline policies total at most 10,240 characters, its trust policy 4,096): ${SHARE_INSTEAD}`,
        });
      }
      return;
    }
    fileTotal += expands;
    if (fileProblem === undefined && fileTotal > ALIAS_LIMITS.perFile) {
      fileProblem = {
        rule: 'yaml-alias-limit',
        offset,
        message: `with *${alias.source} the aliases of this file stand for more than ${ALIAS_LIMITS.perFile.toLocaleString('en-US')} characters of YAML, more than IAM holds for an account's 1,000 roles at their largest policies: ${SHARE_INSTEAD}`,
      };
    }
    if (fileProblem === undefined && index === ALIAS_LIMITS.count) {
      fileProblem = { rule: 'yaml-alias-limit', offset, message: `this file holds more than ${ALIAS_LIMITS.count.toLocaleString('en-US')} aliases, the most rolecall reads in one file (one per user an account can hold): ${SHARE_INSTEAD}` };
    }
  });
  return fileProblem ? [...problems, fileProblem] : problems;
}

/**
 * Each alias and the node it names: the last node with that anchor before
 * it in document order, as the yaml library resolves it.
 */
function resolveAliases(document: Document): { inOrder: Alias[]; targets: Map<unknown, Node> } {
  const anchors = new Map<string, Node>();
  const targets = new Map<unknown, Node>();
  const inOrder: Alias[] = [];
  visit(document, {
    Node(_key, node) {
      // A bare "*" is already a syntax error of its own.
      if (isAlias(node) && node.source === '') return;
      if (isAlias(node)) {
        inOrder.push(node);
        const target = anchors.get(node.source);
        if (target) targets.set(node, target);
      } else if (node.anchor) {
        anchors.set(node.anchor, node);
      }
    },
  });
  return { inOrder, targets };
}
