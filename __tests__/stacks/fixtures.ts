import * as fs from 'node:fs';
import * as path from 'node:path';
import { isSecurityRule } from '../../src/analysers/rules/review';
import { toFindings } from '../../src/cli/findings';
import type { AccessModel, Role, User } from '../../src/model/accessModel';
import { compile } from '../../src/pipeline/compile';
import { TEST_NOW } from '../support/compileYaml';

/**
 * The emitter's fixture: the organisation in __tests__/stacks/fixture/,
 * compiled by the real pipeline, so the stacks are tested on models the
 * model stage really produces. Two managed accounts and one external:
 * - tools: user alice (her AssumeRole and require-MFA inline policies, a
 *   boundary, tags), user ci_bot.build (a path, no policies at all), a SAML
 *   provider okta trusted by role sso-admin, an OIDC provider gitlab without
 *   thumbprints;
 * - prod: role deployer trusting alice cross-account (so prod's stack
 *   depends on tools'), role auditor trusting deployer in the same account
 *   (role chaining: deployer gets an AssumeRole policy), role github-actions
 *   trusting the OIDC provider github created in prod, role legacy-deployer
 *   trusting an `existing:` provider, role partner-support trusting the
 *   external account partner.
 */
export const FIXTURE_DIR = path.join(__dirname, 'fixture');

/** Shaped like an IdP's metadata; the provider rejects a document shorter than 1,000 characters. */
export const SAML_METADATA = fs.readFileSync(path.join(FIXTURE_DIR, 'okta-metadata.xml'), 'utf8');

/** The principals the fixture declares, for tests generated before the model is compiled (the model is checked against them). */
export const FIXTURE_USERS = ['alice', 'ci_bot.build'];
export const FIXTURE_ROLES = ['auditor', 'deployer', 'github-actions', 'legacy-deployer', 'partner-support', 'sso-admin'];

let compiled: Promise<AccessModel> | undefined;

/** The compiled fixture (compiled once per test file); throws with the findings if it has any. */
export function fixtureModel(): Promise<AccessModel> {
  compiled ??= compileFixture();
  return compiled;
}

async function compileFixture(): Promise<AccessModel> {
  const result = await compile('.', { cwd: FIXTURE_DIR, now: TEST_NOW });
  // Clean but for security findings: the fixture holds an admin role and a Lambda deployer on
  // purpose (they are what the emitter must write), and the rules' own tests judge those.
  const findings = toFindings(result.diagnostics, result.sources).filter((f) => !isSecurityRule(f.rule));
  if (findings.length > 0 || !result.model) {
    throw new Error(`the stack fixture must compile clean:\n${findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.rule}: ${f.message}`).join('\n')}`);
  }
  return result.model;
}

export function findRole(model: AccessModel, name: string): Role {
  const role = model.roles.find((r) => r.name === name);
  if (!role) throw new Error(`the fixture has no role ${name}`);
  return role;
}

export function findUser(model: AccessModel, name: string): User {
  const user = model.users.find((u) => u.name === name);
  if (!user) throw new Error(`the fixture has no user ${name}`);
  return user;
}
