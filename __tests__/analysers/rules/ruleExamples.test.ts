/**
 * Every security rule, both ways: its documented example fires it, its close
 * example does not. The examples are docs/rules.md's, so the documentation
 * cannot drift from what the rules do.
 */
import { securityFindings, SECURITY_RULES } from '../../../src/analysers/rules';
import { compileYaml } from '../../support/compileYaml';

async function findingsOf(yaml: string) {
  const result = await compileYaml({ 'org.yaml': yaml });
  const errors = result.errors.filter((e) => !SECURITY_RULES.some((r) => r.id === e.rule));
  if (errors.length > 0 || !result.model) throw new Error(errors.map((e) => `${e.line}:${e.column} ${e.rule}: ${e.message}`).join('\n'));
  return securityFindings(result.model, result.catalog!);
}

describe.each(SECURITY_RULES.map((rule) => [rule.id, rule] as const))('%s', (_id, rule) => {
  it('fires on its example', async () => {
    expect((await findingsOf(rule.docs.fires)).filter((f) => f.rule === rule.id).length).toBeGreaterThan(0);
  });
  it('stays quiet on the close example', async () => {
    expect((await findingsOf(rule.docs.quiet)).filter((f) => f.rule === rule.id)).toEqual([]);
  });
});
