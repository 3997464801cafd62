import { isEmptyDiff, type AccessDiff, type ChainChange } from './accessDiff';
import { join, markdownDocument, md, type Markdown } from './markdownText';

/** The diff for a review: every name, condition and grant in a code span, so no value can pose as markup. */
export function formatDiffMarkdown(diff: AccessDiff, base: string): string {
  if (isEmptyDiff(diff)) return markdownDocument([md`No change in access compared with ${base}.`]);
  const lines: Markdown[] = [md`## Access changes compared with ${base}`, md``];
  const section = (title: Markdown, items: readonly Markdown[]) => {
    if (items.length === 0) return;
    lines.push(md`### ${title}`, md``, ...items.map((item) => md`- ${item}`), md``);
  };
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
