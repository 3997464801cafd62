/**
 * Issue 8 item 5: the example organisation (config/), its access report
 * and effective permissions checked request by request against an
 * independent evaluator (iam-simulate) on the synthesized documents.
 */
import * as path from 'node:path';
import { compile } from '../../src/pipeline/compile';
import { TEST_NOW } from '../support/compileYaml';
import { CATEGORIES, crossCheck } from './crossCheck';

describe('the example organisation, cross-checked against iam-simulate', () => {
  it('every way the report lists is allowed, each broken condition and every unlisted pair is denied, actions agree', async () => {
    const result = await compile(path.resolve(__dirname, '../../config'), { now: TEST_NOW });
    const { counts, disagreements } = await crossCheck(result.model!, result.catalog!, TEST_NOW, 1);
    console.log(`example organisation: requests compared\n${CATEGORIES.map((c) => `  ${c}: ${counts[c]}`).join('\n')}`);
    expect(disagreements).toEqual([]);
    // The example has no way closed by its caller's own Deny or boundary; the generated configs do.
    for (const category of CATEGORIES.filter((c) => !c.startsWith('listed but closed'))) expect({ category, compared: counts[category] > 0 }).toEqual({ category, compared: true });
  });
});
