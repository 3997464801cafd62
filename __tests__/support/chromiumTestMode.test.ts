/** Where the mermaid rendering tests run, skip, or fail for want of Chromium (issue 8, item 2: mandatory in CI). */
import { chromiumTestMode } from './chromium';

describe('chromiumTestMode', () => {
  it('runs wherever Chromium is found, whatever the environment', () => {
    for (const env of [{}, { CI: 'true' }, { ROLECALL_REQUIRE_CHROMIUM: '1' }, { ROLECALL_REQUIRE_CHROMIUM: '0' }]) expect(chromiumTestMode(true, env)).toBe('run');
  });

  it('fails without Chromium when required, as .ci/run requires it', () => {
    expect(chromiumTestMode(false, { ROLECALL_REQUIRE_CHROMIUM: '1' })).toBe('fail');
    expect(chromiumTestMode(false, { ROLECALL_REQUIRE_CHROMIUM: '1', CI: 'false' })).toBe('fail');
  });

  it('fails on a CI service (CI set) unless told ROLECALL_REQUIRE_CHROMIUM=0', () => {
    for (const CI of ['true', '1', 'yes']) {
      expect(chromiumTestMode(false, { CI })).toBe('fail');
      expect(chromiumTestMode(false, { CI, ROLECALL_REQUIRE_CHROMIUM: '0' })).toBe('skip');
    }
  });

  it('skips, loudly, on a developer machine without it', () => {
    for (const env of [{}, { CI: '' }, { CI: 'false' }, { CI: '0' }, { ROLECALL_REQUIRE_CHROMIUM: '0' }]) expect(chromiumTestMode(false, env)).toBe('skip');
  });
});
