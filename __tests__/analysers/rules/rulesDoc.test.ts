import * as fs from 'node:fs';
import * as path from 'node:path';
import { SECURITY_RULES } from '../../../src/analysers/rules';
import { rulesDocument } from '../../../src/analysers/rules/rulesDoc';

describe('docs/rules.md', () => {
  it('is what the rules say (run `npm run docs:rules` after changing a rule)', () => {
    const committed = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'rules.md'), 'utf8');
    expect(committed).toBe(rulesDocument(SECURITY_RULES));
  });
  it('has a section, a firing and a close example for every rule, and unique ids', () => {
    const ids = SECURITY_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const doc = rulesDocument(SECURITY_RULES);
    for (const rule of SECURITY_RULES) {
      expect(doc).toContain(`\n## ${rule.id}\n`);
      expect(rule.docs.fires).not.toBe(rule.docs.quiet);
      expect(rule.docs.why.length).toBeGreaterThan(20);
    }
  });
});
