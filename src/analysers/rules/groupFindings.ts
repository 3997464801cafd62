import type { SourceRef } from '../../diagnostics/diagnostic';
import type { AccessModel, Group } from '../../model/accessModel';
import type { SecurityFinding } from './rule';

/**
 * The rules judge users with their groups' policies, so a risk a group
 * grants shows on each member, at the group's YAML. When every member has
 * the same finding there (same rule, same place), it is the group's: one
 * finding about the group, whose `accept:` then takes it. A finding only
 * some members have (it needs something of their own as well) stays theirs.
 */
export function attributeToGroups(findings: readonly SecurityFinding[], model: AccessModel): SecurityFinding[] {
  if (model.groups.length === 0) return [...findings];
  const groupsAt = new Map(model.groups.map((g) => [entryKey(g.source), g]));
  const groupOf = (finding: SecurityFinding): Group | undefined => {
    if (finding.subject.kind !== 'user' || finding.source.path[0] !== 'groups') return undefined;
    const group = groupsAt.get(entryKey(finding.source));
    return group?.account === finding.subject.account && group.members.some((m) => m.name === finding.subject.name) ? group : undefined;
  };
  const shared = new Map<string, { readonly group: Group; readonly findings: SecurityFinding[] }>();
  const keyOf = (finding: SecurityFinding, group: Group) => JSON.stringify([finding.rule, finding.source, group.account, group.name]);
  for (const finding of findings) {
    const group = groupOf(finding);
    if (!group) continue;
    const key = keyOf(finding, group);
    const entry = shared.get(key) ?? { group, findings: [] };
    entry.findings.push(finding);
    shared.set(key, entry);
  }
  const out: SecurityFinding[] = [];
  const emitted = new Set<string>();
  for (const finding of findings) {
    const group = groupOf(finding);
    const entry = group ? shared.get(keyOf(finding, group)) : undefined;
    if (!group || !entry || !everyMember(group, entry.findings)) {
      out.push(finding);
      continue;
    }
    const key = keyOf(finding, group);
    if (emitted.has(key)) continue;
    emitted.add(key);
    out.push({ ...finding, subject: { kind: 'group', account: group.account, name: group.name }, message: groupMessage(finding, group) });
  }
  return out;
}

function everyMember(group: Group, findings: readonly SecurityFinding[]): boolean {
  const names = new Set(findings.map((f) => f.subject.name));
  return group.members.every((m) => names.has(m.name));
}

/** The member's message, said of the group: messages name their holder as `user account/name`. */
function groupMessage(finding: SecurityFinding, group: Group): string {
  const holder = `user ${finding.subject.account}/${finding.subject.name}`;
  const members = group.members.map((m) => m.name).join(', ');
  const named = `group ${group.account}/${group.name} (members ${members})`;
  const at = finding.message.indexOf(holder);
  return at === -1 ? `${named}: ${finding.message}` : `${finding.message.slice(0, at)}${named}${finding.message.slice(at + holder.length)}`;
}

function entryKey(source: SourceRef): string {
  return JSON.stringify([source.file, source.path[1]]);
}
