import * as path from 'node:path';
import { accessReport, type AccessReport } from '../../src/analysers/accessReport';
import { formatAccessJson, formatAccessMarkdown, formatAccessTable } from '../../src/analysers/formatAccess';
import { run } from '../../src/cli/main';
import { compile } from '../../src/pipeline/compile';

const ROOT = path.resolve(__dirname, '../..');
let report: AccessReport;
let s3ActionCount: number;

beforeAll(async () => {
  const result = await compile('config', { cwd: ROOT });
  report = accessReport(result.model!, result.catalog!);
  s3ActionCount = result.catalog!.actions('s3')!.length;
});

const role = (name: string) => report.roles.find((r) => r.role === name)!;
const user = (name: string) => report.users.find((u) => u.user === name)!;

describe('access report on the example organisation', () => {
  it('says who may assume each role, under which conditions, in words', () => {
    expect(role('data-prod/s3-reader').assumedBy.map((p) => [p.who, p.conditions])).toEqual([
      ['role identity/staff-console', []],
      ['user identity/alice', ['with MFA']],
    ]);
    expect(role('data-prod/partner-acme-reports').assumedBy.map((p) => [p.who, p.conditions, p.notes])).toEqual([
      [
        'any principal of external account partner-acme (333333333333) that its admins allow',
        ['with external id acme-joint-2026', 'until 2029-12-31T00:00:00Z'],
        { ticket: 'DATA-1234', owner: 'alice@example.com' },
      ],
    ]);
    expect(role('data-prod/analytics-deploy').assumedBy[0]!.who).toBe('GitHub Actions acme/analytics-pipeline on branch main');
    expect(role('identity/staff-console').assumedBy[0]!.who).toBe('people signing in through SAML provider okta');
    expect(role('data-prod/data-admin').assumedBy[0]!.conditions).toEqual(['with MFA', 'MFA signed in within 1h', 'from 203.0.113.0/24']);
  });

  it('expands wildcards to the actions they match, through the catalog', () => {
    const allow = role('data-prod/data-admin').permissions.statements.find((s) => s.effect === 'Allow')!;
    expect(allow.actions).toHaveLength(1);
    const matches = allow.actions[0]!.matches as string[];
    expect(matches).toHaveLength(s3ActionCount);
    expect(matches).toEqual(expect.arrayContaining(['s3:GetObject', 's3:PutObject', 's3:DeleteBucket']));
    const deny = role('data-prod/data-admin').permissions.statements.find((s) => s.effect === 'Deny')!;
    expect(deny.actions).toEqual([{ pattern: 's3:DeleteBucket', matches: ['s3:DeleteBucket'] }]);
  });

  it('gives each user the roles it may assume, and what a broker may hand out', () => {
    expect(user('identity/alice').canAssume).toEqual([
      { role: 'data-prod/data-admin', via: 'trust', conditions: ['with MFA', 'MFA signed in within 1h', 'from 203.0.113.0/24'] },
      { role: 'data-prod/s3-reader', via: 'trust', conditions: ['with MFA'] },
    ]);
    expect(user('identity/alice').requireMfa).toBe(true);
    expect(user('data-prod/report-broker').federation!.map((s) => s.actions.map((a) => a.pattern))).toEqual([['s3:GetObject', 's3:PutObject']]);
  });

  it('renders as a table, markdown and JSON, each pointing at the YAML', () => {
    const where = () => 'config/x.yaml:1:1';
    const table = formatAccessTable(report, where);
    expect(table).toMatch(/^ROLE data-prod\/s3-reader {2}\(arn:aws:iam::222222222222:role\/s3-reader, sessions up to 1h\)/m);
    expect(table).toMatch(/^ {4}- user identity\/alice — with MFA {2}config\/x\.yaml:1:1$/m);
    const markdown = formatAccessMarkdown(report, where);
    expect(markdown).toMatch(/^\| `user identity\/alice` \| `with MFA` \| — \|$/m);
    const json = JSON.parse(formatAccessJson(report, where)) as { roles: { role: string; source: string }[] };
    expect(json.roles.map((r) => r.role)).toEqual(report.roles.map((r) => r.role));
    expect(json.roles[0]!.source).toBe('config/x.yaml:1:1');
  });
});

describe('rolecall access', () => {
  it('prints the report for config/ and refuses a config with errors', async () => {
    let stdout = '';
    let stderr = '';
    const io = { stdout: (t: string) => (stdout += t), stderr: (t: string) => (stderr += t), cwd: ROOT, env: {} };
    expect(await run(['access', '--format', 'json'], io)).toBe(0);
    const parsed = JSON.parse(stdout) as { roles: { source: string }[] };
    expect(parsed.roles[0]!.source).toMatch(/^config\/data-prod\/roles\.yaml:\d+:\d+$/);
    expect(await run(['access', '--config', '__tests__/corpus/invalid/06-action-typo.yaml'], io)).toBe(2);
    expect(stderr).toMatch(/is not a directory/);
  });
});
