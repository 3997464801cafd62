/** federation-wildcard: a token broker hands out, and holds, exactly what federation.allow lists. */
import { fired, MAIN } from './ruleHarness';

const broker = (allow: string) => `${MAIN}users:\n  - name: broker\n    federation:\n      allow:\n${allow}`;
const statement = (actions: string, resources: string) => `        - actions: ${actions}\n          resources: ${resources}\n`;

describe('federation-wildcard', () => {
  it.each([
    ['s3:*', '["s3:*"]', '["arn:aws:s3:::uploads/*"]', ['actions', 0]],
    ['s3:Get*', '[s3:PutObject, "s3:Get*"]', '["arn:aws:s3:::uploads/*"]', ['actions', 1]],
    ['*', '[s3:PutObject]', '["*"]', ['resources', 0]],
    ['every bucket', '[s3:PutObject]', '["arn:aws:s3:::uploads/*", "arn:aws:s3:::*"]', ['resources', 1]],
  ])('%s: fires at the item', async (_name, actions, resources, at) => {
    const findings = await fired(broker(statement(actions, resources)), 'federation-wildcard');
    expect(findings).toHaveLength(1);
    expect(findings[0]!.source).toEqual({ file: 'org.yaml', path: ['users', 0, 'federation', 'allow', 0, ...at] });
    expect(findings[0]!.subject).toEqual({ kind: 'user', account: 'main', name: 'broker' });
    expect(findings[0]!.message).toMatch(/^token broker user main\/broker hands out .* and holds it itself/);
  });

  it('one finding per statement, naming both the wildcard action and every resource', async () => {
    const findings = await fired(broker(statement('["s3:*"]', '["*"]') + statement('[s3:GetObject]', '["arn:aws:s3:::reports/*"]')), 'federation-wildcard');
    expect(findings.map((f) => f.message.match(/hands out (.*) in federation/)![1])).toEqual(['the wildcard action s3:* and every resource (*)']);
  });

  it('close case: exact actions on one bucket prefix', async () => {
    expect(await fired(broker(statement('[s3:GetObject, s3:PutObject]', '["arn:aws:s3:::uploads/incoming/*"]')), 'federation-wildcard')).toEqual([]);
  });

  it('wildcards outside federation.allow are not this rule', async () => {
    const yaml = `${MAIN}users:\n  - name: dev\n    allow:\n      - actions: ["s3:*"]\n        resources: ["*"]\n`;
    expect(await fired(yaml, 'federation-wildcard')).toEqual([]);
  });
});
