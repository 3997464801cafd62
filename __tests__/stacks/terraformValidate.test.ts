import type { AccessModel } from '../../src/model/accessModel';
import { describeSkip, terraformValidateAll } from '../support/terraform';
import { fixtureModel } from './fixtures';
import { removeSynthesizedDirs, synthesizeToTempDir } from './synthesized';

afterAll(removeSynthesizedDirs);

/** The provider's own validation must catch this (SAML metadata under 1,000 characters). */
const broken = (model: AccessModel): AccessModel => ({
  ...model,
  providers: model.providers.map((p) => (p.kind === 'saml' ? { ...p, samlMetadata: '<EntityDescriptor/>' } : p)),
});

describeSkip()('terraform validate (offline, local provider mirror)', () => {
  test('every fixture stack is valid, and a broken one is caught', async () => {
    const model = await fixtureModel();
    const good = synthesizeToTempDir(model);
    const bad = synthesizeToTempDir(broken(model));
    const accounts = model.stacks.map((s) => s.account);
    expect(accounts.sort()).toEqual(['prod', 'tools']);
    // All at once: init and validate each load the 700 MB provider.
    const results = await terraformValidateAll([...accounts.map((a) => good.stackDir(a)), bad.stackDir('tools')]);

    const goodResults = results.slice(0, accounts.length);
    expect(goodResults.map((r, i) => ({ stack: accounts[i], ok: r.ok, output: r.output }))).toEqual(
      accounts.map((stack) => ({ stack, ok: true, output: '' })),
    );
    const brokenResult = results[accounts.length];
    expect(brokenResult.ok).toBe(false);
    expect(brokenResult.output).toMatch(/saml_metadata_document.*aws_iam_saml_provider\.provider_okta/s);
  }, 180_000);
});
