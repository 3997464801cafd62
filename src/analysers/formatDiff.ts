import { visibleOutput } from '../text/visibleText';
import { isEmptyDiff, type AccessDiff, type ChainChange } from './accessDiff';
import type { DiffChange } from './diffData';
import type { GateResult } from './diffGates';
import { findingMarkdown, type Where } from './formatAccess';
import { join, markdownDocument, md, type Markdown } from './markdownText';
import { mermaidDiffGraph, mermaidMarkdown } from './mermaidGraph';
import type { TrustGraphDiff } from './trustGraphDiff';

/** Where findings stand: new ones in the working tree's YAML, resolved ones in the base's. */
export interface DiffWhere {
  readonly head: Where;
  readonly base: Where;
}

/** Without the sources at hand (a test of the diff alone), places are written as their YAML paths. */
const byPath: Where = (ref) => `${ref.file}:${ref.path.join('.')}`;
const NO_SOURCES: DiffWhere = { head: byPath, base: byPath };

/**
 * The diff for a review: every name, condition and grant in a code span, so no value can pose as markup.
 * Given the trust graph's changes, they come first, as a mermaid diagram (see mermaidGraph).
 */
export function formatDiffMarkdown(diff: AccessDiff, base: string, where: DiffWhere = NO_SOURCES, graph?: TrustGraphDiff): string {
  if (isEmptyDiff(diff)) return markdownDocument([md`No change in access compared with ${base}.`]);
  const lines: Markdown[] = [md`## Access changes compared with ${base}`, md``];
  if (graph && graph.nodes.length > 0) {
    lines.push(md`### The trust graph's changes`, md``, md`Added in green, removed in red and dashed; the rest is the way on and the way in, unchanged.`, md``);
    lines.push(...mermaidMarkdown(mermaidDiffGraph(graph), graph.edges.length, `rolecall access --format mermaid`), md``);
  }
  const section = (title: Markdown, items: readonly Markdown[]) => {
    if (items.length === 0) return;
    lines.push(md`### ${title}`, md``, ...items.map((item) => md`- ${item}`), md``);
  };
  // First: a change that opens an escalation path says so before any detail.
  section(md`New security findings`, diff.findingsAdded.map((f) => findingMarkdown(f, where.head, 'with-subject')));
  section(md`Resolved security findings`, diff.findingsResolved.map((f) => findingMarkdown(f, where.base, 'with-subject')));
  const list = (values: readonly string[], none: Markdown) => (values.length > 0 ? join(values.map((v) => md`${v}`), md`, `) : none);
  section(md`New roles`, diff.rolesAdded.map((r) => md`${r}`));
  section(md`Removed roles`, diff.rolesRemoved.map((r) => md`${r}`));
  section(md`Who gains a way in`, diff.trustAdded.map((t) => md`${t.who} may assume ${t.role} (${list(t.conditions, md`no conditions`)})`));
  section(md`Who loses a way in`, diff.trustRemoved.map((t) => md`${t.who} may no longer assume ${t.role}`));
  section(
    md`Changed conditions`,
    diff.conditionsChanged.map((c) => md`${c.who} on ${c.role}: ${list(c.before, md`none`)} → ${list(c.after, md`none`)}`),
  );
  const chain = (c: ChainChange) => join([...c.through, c.role].map((r) => md`${r}`), md` → `);
  section(md`Who gains a way in through other roles`, diff.chainsAdded.map((c) => md`${c.who} reaches ${chain(c)} (${list(c.conditions, md`no conditions`)})`));
  section(md`Who loses a way in through other roles`, diff.chainsRemoved.map((c) => md`${c.who} no longer reaches ${chain(c)}`));
  for (const change of diff.permissionChanges) {
    lines.push(md`### ${change.principal}`, md``);
    for (const g of change.gained) lines.push(md`- gains: ${g}`);
    for (const l of change.lost) lines.push(md`- loses: ${l}`);
    lines.push(md``);
  }
  return markdownDocument(lines);
}

/** The diff as data (docs/diff.schema.json): version, base, the changes in canonical order, the gates asked for. */
export function formatDiffJson(base: string, changes: readonly DiffChange[], gates: readonly GateResult[] = []): string {
  return `${visibleOutput(JSON.stringify({ version: 1, base, changes, gates }, null, 2))}\n`;
}
