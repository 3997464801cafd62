import type { Subject, YamlFile } from './yamlFiles';

export interface HeldFinding {
  readonly subject: Subject;
  readonly rule: string;
}

const key = (s: Subject) => `${s.kind}:${s.account}/${s.name}`;

/**
 * The security findings the imported config has (what the account holds
 * today) as `accept:` entries on their entities, each reason dated, so the
 * config validates and every risk stays in the YAML for a reviewer.
 */
export function withAccepts(files: readonly YamlFile[], findings: readonly HeldFinding[], day: string): { files: YamlFile[]; accepted: number } {
  const rules = new Map<string, Set<string>>();
  for (const finding of findings) rules.set(key(finding.subject), (rules.get(key(finding.subject)) ?? new Set()).add(finding.rule));
  let accepted = 0;
  const out = files.map((file) => ({
    ...file,
    sections: file.sections.map((section) => ({
      ...section,
      items: section.items.map((item) => {
        const held = item.subject ? rules.get(key(item.subject)) : undefined;
        if (!held || held.size === 0) return item;
        const before = Array.isArray(item.value['accept']) ? (item.value['accept'] as { rule: string }[]) : [];
        const added = [...held].filter((rule) => !before.some((a) => a.rule === rule)).sort();
        accepted += added.length;
        return { ...item, value: { ...item.value, accept: [...before, ...added.map((rule) => ({ rule, reason: `present at import on ${day}` }))] } };
      }),
    })),
  }));
  return { files: out, accepted };
}
