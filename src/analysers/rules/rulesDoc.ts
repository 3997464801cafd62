import type { SecurityRule } from './rule';

/**
 * docs/rules.md, written from the rules themselves (`npm run docs:rules`), so
 * the reference cannot drift: a test compares the committed file with this.
 */
export function rulesDocument(rules: readonly SecurityRule[]): string {
  const lines = [
    '# Security rules',
    '',
    '<!-- Written by `npm run docs:rules` from src/analysers/rules/: edit the rules, not this file. -->',
    '',
    '`rolecall validate` runs every rule below on the whole organisation and reports each finding at the',
    'YAML line that opens the risk, with what the holder could do and how to close it. Errors fail',
    '`validate` and `synth`; warnings fail only `validate --strict`.',
    '',
    'Every rule here can be accepted on purpose, next to the entity it is about, where reviewers see it:',
    '',
    '```yaml',
    'accept:',
    '  - rule: RULE-ID',
    '    reason: why this is on purpose',
    '    ticket: SEC-123        # optional',
    '    expires: 2027-06-30    # optional; after it the finding is back',
    '```',
    '',
    'An accepted finding is still shown (marked accepted) by `validate`, `access` and `diff`.',
    '',
    '| rule | severity | summary |',
    '|---|---|---|',
    ...rules.map((r) => `| [\`${r.id}\`](#${r.id}) | ${r.severity} | ${cell(r.summary)} |`),
    '',
  ];
  for (const rule of rules) {
    lines.push(
      `## ${rule.id}`,
      '',
      `Severity: ${rule.severity}.`,
      '',
      rule.docs.why,
      '',
      'Fires on:',
      '',
      '```yaml',
      rule.docs.fires.trimEnd(),
      '```',
      '',
      'Stays quiet on the close case:',
      '',
      '```yaml',
      rule.docs.quiet.trimEnd(),
      '```',
      '',
      `Fix: ${rule.docs.fix}`,
      '',
      `Accept it on purpose with \`accept: [{ rule: ${rule.id}, reason: ... }]\` on the entity.`,
      '',
    );
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
