import { securityFindings, SECURITY_RULES } from '../../../src/analysers/rules';
import type { SecurityFinding } from '../../../src/analysers/rules/rule';
import { compileYaml } from '../../support/compileYaml';

export const MAIN = 'accounts:\n  - name: main\n    id: "123456789012"\n';

/** A role of account main that EC2 may assume, with the given keys (indented four spaces). */
export const role = (name: string, body: string) => `  - name: ${name}\n    trust:\n      - service: ec2.amazonaws.com\n${body}`;

/** Every security finding of one config file (which must otherwise be valid). */
export async function findingsOf(yaml: string): Promise<SecurityFinding[]> {
  const result = await compileYaml({ 'org.yaml': yaml });
  const errors = result.errors.filter((e) => !SECURITY_RULES.some((r) => r.id === e.rule));
  if (errors.length > 0 || !result.model) throw new Error(errors.map((e) => `${e.line}:${e.column} ${e.rule}: ${e.message}`).join('\n'));
  return securityFindings(result.model, result.catalog!);
}

/** The findings of one rule: `subject rule` strings, for assertions that read as the outcome. */
export async function fired(yaml: string, rule: string): Promise<SecurityFinding[]> {
  return (await findingsOf(yaml)).filter((f) => f.rule === rule);
}
