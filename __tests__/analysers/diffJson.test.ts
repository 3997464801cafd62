/**
 * `diff --format json`: real diffs of a throwaway git repository, validated
 * against docs/diff.schema.json with ajv, and checked against what the YAML
 * says (ARNs, conditions, places), not only for shape.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { CHANGE_KINDS, type ChangeOf, type DiffChange, type Place } from '../../src/analysers/diffData';
import type { WayConditions } from '../../src/analysers/wayData';
import { diffRepo, type DiffRepo } from '../support/diffRepo';

const BASE = readFileSync(path.join(__dirname, 'fixtures', 'diff-base.yaml'), 'utf8');
const HEAD = readFileSync(path.join(__dirname, 'fixtures', 'diff-head.yaml'), 'utf8');
const SCHEMA = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'docs', 'diff.schema.json'), 'utf8')) as object;

const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
const validate = ajv.compile(SCHEMA);

interface DiffJson {
  version: number;
  base: string;
  changes: DiffChange[];
  gates: { kind: string; fired: boolean; changes: { index: number; because: string[] }[] }[];
}

let repo: DiffRepo;
let forward: DiffJson;
let forwardText: string;
beforeAll(async () => {
  repo = await diffRepo({ 'org.yaml': BASE });
  await repo.write({ 'org.yaml': HEAD });
  const result = await repo.rolecall(['diff', '--base', 'base', '--format', 'json', '--fail-on', 'external-access,escalation,lost-mfa,wider-trust,new-admin,any']);
  expect(result.code).toBe(3);
  forwardText = result.stdout;
  forward = JSON.parse(result.stdout) as DiffJson;
});
afterAll(async () => {
  await repo.remove();
});

const ofKind = <K extends DiffChange['kind']>(diff: DiffJson, kind: K) => diff.changes.filter((c): c is ChangeOf<K> => c.kind === kind);
const key = (c: { role: { account: string; name: string } }) => `${c.role.account}/${c.role.name}`;
const ACCOUNT_IDS: Record<string, string> = { main: '123456789012', partner: '999999999999' };

/** The text of the config at a place: the head's working tree, or the base's commit. */
function textAt(place: Place, side: 'before' | 'after'): string {
  const file = side === 'after' ? readFileSync(path.join(repo.root, place.file), 'utf8') : execFileSync('git', ['show', `base:${place.file}`], { cwd: repo.root, encoding: 'utf8' });
  const line = file.split('\n')[place.line - 1]!;
  return line.slice(place.column - 1);
}

describe('diff --format json', () => {
  it('is valid against docs/diff.schema.json, with several changes of every kind', () => {
    expect(validate(forward)).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
    for (const kind of CHANGE_KINDS) expect([kind, ofKind(forward, kind).length > 0]).toEqual([kind, true]);
    expect(forward.changes.length).toBeGreaterThanOrEqual(25);
    expect([forward.version, forward.base]).toEqual([1, 'base']);
  });

  it('the schema refuses what the format never writes (it is no rubber stamp)', () => {
    const broken = (mutate: (d: DiffJson) => void) => {
      const copy = JSON.parse(forwardText) as DiffJson;
      mutate(copy);
      return validate(copy);
    };
    const way = (d: DiffJson) => d.changes.find((c) => c.kind === 'way-in-added') as unknown as Record<string, Record<string, unknown>>;
    expect(broken(() => undefined)).toBe(true);
    expect(broken((d) => (way(d)['principal']!['outside'] = 'yes'))).toBe(false);
    expect(broken((d) => (way(d)['source']!['before'] = way(d)['source']!['after']))).toBe(false);
    expect(broken((d) => (way(d)['conditions']!['after'] = null))).toBe(false);
    expect(broken((d) => (way(d)['role']!['arn'] = 'main/reader'))).toBe(false);
    expect(broken((d) => ((d.changes[0] as unknown as Record<string, unknown>)['kind'] = 'something-else'))).toBe(false);
    expect(broken((d) => (d.gates[0]!.changes = []))).toBe(false);
    expect(broken((d) => ((d as unknown as Record<string, unknown>)['extra'] = 1))).toBe(false);
  });

  it('lists changes in canonical order, byte-identical run after run', async () => {
    const kinds = forward.changes.map((c) => CHANGE_KINDS.indexOf(c.kind));
    expect(kinds).toEqual([...kinds].sort((a, b) => a - b));
    const roles = ofKind(forward, 'way-in-added').map(key);
    expect(roles).toEqual([...roles].sort());
    // Within a kind: by role, then by principal (a role's findings before a user's).
    expect(ofKind(forward, 'finding-added').map((c) => `${c.subject.kind} ${c.subject.name}`)).toEqual(['role deploy', 'user ops']);
    expect(ofKind(forward, 'actions-gained').map((c) => `${c.principal.kind} ${c.principal.name}`)).toEqual(['role auditor', 'role reader', 'user dev', 'user ops']);
    const again = await repo.rolecall(['diff', '--base', 'base', '--format', 'json', '--fail-on', 'external-access,escalation,lost-mfa,wider-trust,new-admin,any']);
    expect(again.stdout).toBe(forwardText);
  });

  it('names every role and principal with its ARN, as IAM has it', () => {
    const roleArn = (r: { account: string; name: string; arn: string }) => expect(r.arn).toBe(`arn:aws:iam::${ACCOUNT_IDS[r.account]}:role/${r.name}`);
    for (const change of forward.changes) {
      if ('role' in change) roleArn(change.role);
      if (change.kind === 'chain-added' || change.kind === 'chain-removed') [...change.through, ...change.steps.map((s) => s.role)].forEach(roleArn);
      if (change.kind === 'actions-gained' || change.kind === 'actions-lost') {
        expect(change.principal.arn).toBe(`arn:aws:iam::${ACCOUNT_IDS[change.principal.account]}:${change.principal.kind}/${change.principal.name}`);
        continue;
      }
      const principal = 'principal' in change ? change.principal : undefined;
      if (principal && (principal.kind === 'user' || principal.kind === 'role')) {
        expect(principal.arn).toBe(`arn:aws:iam::${ACCOUNT_IDS[principal.account]}:${principal.kind}/${principal.name}`);
        expect((principal as unknown as { accountId: string }).accountId).toBe(ACCOUNT_IDS[principal.account]);
      }
      if (principal?.kind === 'account') expect(principal.arn).toBe(`arn:aws:iam::${principal.accountId}:root`);
    }
    const partner = ofKind(forward, 'way-in-added').filter((c) => c.principal.kind === 'account');
    expect(partner.map((c) => [key(c), c.principal])).toEqual([
      ['main/auditor', { kind: 'account', account: 'partner', accountId: '999999999999', arn: 'arn:aws:iam::999999999999:root', outside: true }],
      ['main/bridge', { kind: 'account', account: 'partner', accountId: '999999999999', arn: 'arn:aws:iam::999999999999:root', outside: true }],
    ]);
  });

  it('gives the guards as data: before and after, as the YAML writes them', () => {
    const changed = (role: string, name: string) =>
      ofKind(forward, 'conditions-changed').find((c) => key(c) === role && 'name' in c.principal && c.principal.name === name)!.conditions;
    const alice = changed('main/reader', 'alice');
    expect(alice.before!.mfa).toEqual({ maxAgeSeconds: null, enforcedBy: ['trust'] });
    expect(alice.after!.mfa).toBeNull();
    const bob = changed('main/reader', 'bob');
    expect([bob.before!.sourceIp, bob.after!.sourceIp]).toEqual([['203.0.113.0/24'], ['198.51.100.0/24', '203.0.113.0/24']]);
    const lambda = ofKind(forward, 'conditions-changed').find((c) => c.principal.kind === 'service')!;
    expect([lambda.conditions.before!.sourceAccount, lambda.conditions.after!.sourceAccount]).toEqual([['123456789012'], []]);
    const carol = ofKind(forward, 'way-in-added').find((c) => 'name' in c.principal && c.principal.name === 'carol')!;
    expect(carol.conditions).toEqual({ before: null, after: expect.objectContaining({ expires: '2030-01-31T00:00:00Z', mfa: null, externalId: null, sourceIp: [] }) });
    const bridge = ofKind(forward, 'way-in-added').find((c) => key(c) === 'main/bridge')!;
    expect(bridge.conditions.after!.externalId).toBe('partner-2026');
    const github = ofKind(forward, 'way-in-added').find((c) => c.principal.kind === 'web-identity')!;
    expect(github.principal).toMatchObject({ trust: 'github', provider: 'github', subjects: ['repo:acme/app:environment:prod'], audiences: ['sts.amazonaws.com'], outside: true });
    expect(github.assumeActions).toEqual(['sts:AssumeRoleWithWebIdentity']);
    // A condition change is a change of some guard: never two equal sides.
    for (const c of ofKind(forward, 'conditions-changed')) expect(c.conditions.before).not.toEqual(c.conditions.after);
  });

  it('points every place at the YAML the change is about, on its own side', () => {
    const words = (c: DiffChange): string[] => {
      switch (c.kind) {
        case 'role-added':
        case 'role-removed':
          return [`name: ${c.role.name}`];
        case 'way-in-added':
        case 'way-in-removed':
        case 'conditions-changed':
          switch (c.principal.kind) {
            case 'user':
            case 'role':
              return [c.principal.name];
            case 'account':
              return [c.principal.account];
            case 'service':
              return [c.principal.service];
            default:
              return ['{ repo: acme/app'];
          }
        case 'actions-gained':
        case 'actions-lost':
          return [`name: ${c.principal.name}`];
        case 'finding-added':
        case 'finding-resolved':
          return [];
        case 'chain-added':
        case 'chain-removed':
          return [];
      }
    };
    let checked = 0;
    for (const change of forward.changes) {
      if (!('source' in change)) continue;
      for (const side of ['before', 'after'] as const) {
        const place = change.source[side];
        if (!place) continue;
        const text = textAt(place, side);
        for (const w of words(change)) expect([change.kind, side, text]).toEqual([change.kind, side, expect.stringContaining(w)]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
    // The escalation opened by ops stands at its PassRole statement; the one resolved for dev at the base's.
    const added = ofKind(forward, 'finding-added').find((c) => c.subject.name === 'ops')!;
    expect(added.subject).toEqual({ kind: 'user', account: 'main', name: 'ops', arn: 'arn:aws:iam::123456789012:user/ops' });
    expect(textAt(added.source.after!, 'after')).toMatch(/^actions: \[iam:PassRole\]/);
    const resolved = ofKind(forward, 'finding-resolved').find((c) => c.subject.name === 'dev')!;
    expect(resolved.source.after).toBeNull();
    expect(textAt(resolved.source.before!, 'before')).toMatch(/^actions: \[iam:PassRole\]/);
  });

  it('chains: the origin, every role passed through, and one step of guards per role', () => {
    const [added] = ofKind(forward, 'chain-added');
    expect(added!.principal).toMatchObject({ kind: 'account', account: 'partner', outside: true });
    expect([...added!.through, added!.role].map((r) => r.name)).toEqual(['bridge', 'deep']);
    expect(added!.steps.map((s) => s.role.name)).toEqual(['bridge', 'deep']);
    expect(added!.steps[0]!.conditions.externalId).toBe('partner-2026');
    const [removed] = ofKind(forward, 'chain-removed');
    expect(removed!.principal).toMatchObject({ kind: 'user', name: 'bob' });
    expect([...removed!.through, removed!.role].map((r) => r.name)).toEqual(['hop', 'deep']);
  });

  it('actions gained and lost: one item per action and resource, as data', () => {
    const reader = ofKind(forward, 'actions-gained').find((c) => c.principal.name === 'reader')!;
    expect(reader.principal).toEqual({ kind: 'role', account: 'main', name: 'reader', arn: 'arn:aws:iam::123456789012:role/reader' });
    expect(reader.actions).toContainEqual({ effect: 'Allow', action: 's3:ListBucket', resource: 'arn:aws:s3:::reports/*', conditions: [], session: 'own' });
    expect(reader.actions.every((a) => 'action' in a && a.action!.startsWith('s3:List'))).toBe(true);
    const dev = ofKind(forward, 'actions-lost').find((c) => c.principal.name === 'dev')!;
    expect(dev.actions.map((a) => ('action' in a ? a.action : a.managedPolicy))).toEqual(['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction']);
    // Still there in both: its entry on both sides.
    expect([dev.source.before, dev.source.after].every((p) => p !== null)).toBe(true);
    const retired = ofKind(forward, 'actions-lost').find((c) => c.principal.name === 'retired')!;
    expect([retired.source.before !== null, retired.source.after]).toEqual([true, null]);
  });

  it('the reverse diff mirrors it: every addition is a removal with the same data, and back', async () => {
    const mirror = await diffRepo({ 'org.yaml': HEAD });
    try {
      await mirror.write({ 'org.yaml': BASE });
      const back = JSON.parse((await mirror.rolecall(['diff', '--base', 'base', '--format', 'json'])).stdout) as DiffJson;
      expect(validate(back)).toBe(true);
      const strip = (c: DiffChange) => JSON.stringify({ ...c, kind: undefined, source: undefined, conditions: undefined });
      const pairs: [DiffChange['kind'], DiffChange['kind']][] = [
        ['way-in-added', 'way-in-removed'],
        ['role-added', 'role-removed'],
        ['chain-added', 'chain-removed'],
        ['finding-added', 'finding-resolved'],
      ];
      for (const [add, remove] of pairs) {
        expect(ofKind(back, remove).map(strip).sort()).toEqual(ofKind(forward, add).map(strip).sort());
        expect(ofKind(back, add).map(strip).sort()).toEqual(ofKind(forward, remove).map(strip).sort());
      }
      const sides = (c: { conditions: { before: WayConditions | null; after: WayConditions | null } }) => JSON.stringify([c.conditions.after, c.conditions.before]);
      expect(ofKind(back, 'way-in-removed').map((c) => JSON.stringify([c.conditions.before, c.conditions.after])).sort()).toEqual(ofKind(forward, 'way-in-added').map(sides).sort());
      expect(ofKind(back, 'conditions-changed').map((c) => JSON.stringify([c.conditions.before, c.conditions.after])).sort()).toEqual(
        ofKind(forward, 'conditions-changed').map(sides).sort(),
      );
    } finally {
      await mirror.remove();
    }
  });

  it('gates: each gate asked for, in order, with the index of every change that fires it and why', () => {
    expect(forward.gates.map((g) => [g.kind, g.fired])).toEqual([
      ['external-access', true],
      ['escalation', true],
      ['lost-mfa', true],
      ['wider-trust', true],
      ['new-admin', false],
      ['any', true],
    ]);
    const fired = (kind: string) => forward.gates.find((g) => g.kind === kind)!.changes.map((c) => [forward.changes[c.index]!.kind, c.because]);
    expect(fired('external-access')).toEqual([
      ['way-in-added', ['outside-way-in']],
      ['way-in-added', ['outside-way-in']],
      ['way-in-added', ['outside-way-in']],
      ['chain-added', ['outside-chain']],
    ]);
    expect(fired('escalation')).toEqual([
      ['finding-added', ['new-finding']],
      ['finding-added', ['new-finding']],
    ]);
    expect(fired('lost-mfa')).toEqual([['conditions-changed', ['mfa-removed']]]);
    expect(fired('wider-trust')).toEqual([
      ['conditions-changed', ['source-account-widened']],
      ['conditions-changed', ['mfa-removed']],
      ['conditions-changed', ['source-ip-widened']],
    ]);
    expect(forward.gates.find((g) => g.kind === 'any')!.changes.map((c) => c.index)).toEqual(forward.changes.map((_, i) => i));
    const plain = JSON.parse(forwardText) as DiffJson;
    expect(plain.gates.every((g) => g.changes.every((c) => c.index < plain.changes.length))).toBe(true);
  });
});
