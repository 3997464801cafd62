/**
 * What the security rules cost: validate (compile: parse, validate,
 * resolve, and the rules) of a generated organisation, then every security
 * rule on its model again, timed apart, so the ratio to plain validate is
 * visible. Run:
 * `npx tsx bench/rules.ts 1000 10000`. Prints a Markdown table for
 * docs/benchmarks.md. The organisation carries what the rules look for:
 * PassRole grants (scoped and not), account trusts, sts:AssumeRole, IAM
 * write actions, and AWS managed policies.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { securityFindings } from '../src/analysers/rules';
import { compile } from '../src/pipeline/compile';

const ACCOUNTS = 10;

function organisation(principals: number): Record<string, string> {
  const users = Math.floor(principals / 2);
  const roles = principals - users;
  const accounts = [{ name: 'identity', id: '100000000000' }, ...Array.from({ length: ACCOUNTS - 1 }, (_, i) => ({ name: `workload-${i + 1}`, id: String(100000000001 + i) }))];
  const files: Record<string, string> = { 'accounts.yaml': stringify({ accounts }) };
  const userEntries = Array.from({ length: users }, (_, i) => ({
    name: `user-${i}`,
    account: 'identity',
    ...(i % 20 === 0 ? { allow: [{ actions: ['sts:AssumeRole'], resources: ['arn:aws:iam::*:role/team-*'] }] } : {}),
    ...(i % 50 === 1 ? { allow: [{ actions: ['iam:CreateAccessKey', 'iam:GetUser'], resources: [`arn:aws:iam::100000000000:user/user-${i}`] }] } : {}),
  }));
  for (let chunk = 0; chunk * 1000 < userEntries.length; chunk++) {
    files[`people/users-${chunk}.yaml`] = stringify({ users: userEntries.slice(chunk * 1000, (chunk + 1) * 1000) });
  }
  const roleEntries = Array.from({ length: roles }, (_, i) => {
    const account = `workload-${(i % (ACCOUNTS - 1)) + 1}`;
    const accountId = String(100000000001 + (i % (ACCOUNTS - 1)));
    const trust = i % 10 === 0 ? [{ account: 'identity' }] : i % 10 === 1 ? [{ service: 'lambda.amazonaws.com', sourceAccount: account }] : [{ users: [`identity/user-${i % users}`], mfa: i % 3 === 0 }];
    const permissions =
      i % 7 === 0
        ? { allow: [{ actions: ['iam:PassRole'], resources: [`arn:aws:iam::${accountId}:role/role-${i + 1}`] }, { actions: ['lambda:CreateFunction', 'lambda:InvokeFunction'], resources: ['*'] }] }
        : i % 11 === 0
          ? { allow: [{ actions: ['iam:Get*', 'iam:List*', 'iam:PutRolePolicy'], resources: [`arn:aws:iam::${accountId}:role/role-${i + 2}`] }] }
          : i % 2 === 0
            ? { s3ReadOnly: 'all' }
            : { allow: [{ actions: ['s3:GetObject', 's3:List*'], resources: [`arn:aws:s3:::bucket-${i}/*`] }] };
    return { name: i % 10 === 0 ? `team-${i}` : `role-${i}`, account, trust, ...permissions };
  });
  for (let chunk = 0; chunk * 1000 < roleEntries.length; chunk++) {
    files[`roles/roles-${chunk}.yaml`] = stringify({ roles: roleEntries.slice(chunk * 1000, (chunk + 1) * 1000) });
  }
  return files;
}

async function measure(principals: number): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'rolecall-bench-rules-'));
  try {
    for (const [name, text] of Object.entries(organisation(principals))) {
      await fs.mkdir(path.dirname(path.join(dir, name)), { recursive: true });
      await fs.writeFile(path.join(dir, name), text);
    }
    const t0 = performance.now();
    const result = await compile('.', { cwd: dir });
    const t1 = performance.now();
    if (!result.model || !result.catalog) throw new Error('generated config did not compile');
    const findings = securityFindings(result.model, result.catalog);
    const t2 = performance.now();
    // compile runs the rules itself (validate reports their findings): the rules are timed again
    // on their own, and plain validate is what is left.
    const validateMs = t1 - t0;
    const rulesMs = t2 - t1;
    const plainMs = validateMs - rulesMs;
    return `| ${principals} | ${findings.length} | ${validateMs.toFixed(0)} | ${plainMs.toFixed(0)} | ${rulesMs.toFixed(0)} | ${(rulesMs / plainMs).toFixed(2)} |`;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  console.log('| principals | security findings | validate ms | of which plain ms | of which rules ms | rules / plain |');
  console.log('|---:|---:|---:|---:|---:|---:|');
  for (const size of sizes.length > 0 ? sizes : [1000, 10000]) console.log(await measure(size));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
