import { iamPath } from '../../src/schema/primitives';

const WILDCARD = 'no * or ? in it';

/** The message of the first issue iamPath raises, or undefined when it accepts the value. */
function refusal(value: string): string | undefined {
  const result = iamPath.safeParse(value);
  return result.success ? undefined : result.error.issues.map((i) => i.message).join(' | ');
}

describe('iamPath refuses wildcards: a path is part of the ARN callers name', () => {
  it.each(['/*/', '/teams/*/', '/team?/', '/a/*b/c/', '/?/'])('refuses %s, saying why', (value) => {
    expect(refusal(value)).toContain(WILDCARD);
    expect(refusal(value)).toContain('any path');
  });

  it.each(['/', '/teams/', '/teams/data/', '/a-b_c.d@e+f=g,h/'])('accepts the literal path %s', (value) => {
    expect(refusal(value)).toBeUndefined();
  });

  it.each(['*', 'teams/*', '/*'])('a value of the wrong shape gets one message, about the shape: %s', (value) => {
    expect(refusal(value)).toContain('starts and ends with "/"');
    expect(refusal(value)).not.toContain(WILDCARD);
  });
});
