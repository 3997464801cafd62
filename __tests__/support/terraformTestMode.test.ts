/** Where the terraform tests run, skip, or fail for want of terraform (issue 5, item 12: mandatory in CI). */
import { terraformTestMode } from './terraform';

const both = { terraform: true, mirror: true };
const noTerraform = { terraform: false, mirror: true };
const noMirror = { terraform: true, mirror: false };

describe('terraformTestMode', () => {
  it('runs wherever terraform and the mirror are found, whatever the environment', () => {
    for (const env of [{}, { CI: 'true' }, { ROLECALL_REQUIRE_TERRAFORM: '1' }, { ROLECALL_REQUIRE_TERRAFORM: '0' }]) {
      expect(terraformTestMode(both, env)).toBe('run');
    }
  });

  it('fails without terraform or without the mirror when required, as .ci/run requires it', () => {
    for (const found of [noTerraform, noMirror]) {
      expect(terraformTestMode(found, { ROLECALL_REQUIRE_TERRAFORM: '1' })).toBe('fail');
      expect(terraformTestMode(found, { ROLECALL_REQUIRE_TERRAFORM: '1', CI: 'false' })).toBe('fail');
    }
  });

  it('fails on a CI service (CI set) unless told ROLECALL_REQUIRE_TERRAFORM=0', () => {
    for (const CI of ['true', '1', 'yes']) {
      expect(terraformTestMode(noTerraform, { CI })).toBe('fail');
      expect(terraformTestMode(noTerraform, { CI, ROLECALL_REQUIRE_TERRAFORM: '0' })).toBe('skip');
    }
  });

  it('skips, loudly, on a developer machine without them', () => {
    for (const env of [{}, { CI: '' }, { CI: 'false' }, { CI: '0' }, { ROLECALL_REQUIRE_TERRAFORM: '0' }]) {
      expect(terraformTestMode(noTerraform, env)).toBe('skip');
      expect(terraformTestMode(noMirror, env)).toBe('skip');
    }
  });
});
