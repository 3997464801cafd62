/**
 * The escape itself, on any text: Terraform reads the result back as the
 * text given, and cdktf finds no token marker in it. Terraform's own reading
 * is proved in __tests__/e2e/terraformLiteral.test.ts; here a model of its
 * template scanner runs over many strings built from the dangerous pieces.
 */
import { Token } from 'cdktf';
import fc from 'fast-check';
import { terraformLiteral, terraformLiterals } from '../../stacks/terraformLiteral';

/**
 * A Terraform template as the literal it must be: `$${` and `%%{` are the
 * escapes, `${""}` the empty interpolation; any other `${` or `%{` would be
 * evaluated, and fails here.
 */
function readTemplateAsLiteral(template: string): string {
  let text = '';
  for (let i = 0; i < template.length; ) {
    const rest = template.slice(i);
    if (rest.startsWith('$${') || rest.startsWith('%%{')) {
      text += rest.slice(1, 3);
      i += 3;
    } else if (rest.startsWith('${""}')) {
      i += 5;
    } else if (rest.startsWith('${') || rest.startsWith('%{')) {
      throw new Error(`Terraform would evaluate ${JSON.stringify(rest.slice(0, 20))} in ${JSON.stringify(template)}`);
    } else {
      text += template[i];
      i += 1;
    }
  }
  return text;
}

const pieces = ['$', '%', '{', '}', '#', '&', '"', 'TfToken[', 'TOKEN.0', ']', 'a', ' ', '${', '%{', '$${', '${TfToken[TOKEN.0]}'];
const dangerous = fc.array(fc.constantFrom(...pieces), { maxLength: 12 }).map((parts) => parts.join(''));
const anyText = fc.oneof(dangerous, fc.string());

describe('terraformLiteral', () => {
  it('is read back by Terraform as exactly the text given', () => {
    fc.assert(fc.property(anyText, (text) => readTemplateAsLiteral(terraformLiteral(text)) === text), { numRuns: 2000 });
  });

  it('leaves no cdktf token marker (string, list or map) for cdktf to resolve', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const literal = terraformLiteral(text);
        return !/[$#&]\{TfToken\[/.test(literal) && !Token.isUnresolved(literal) && !Token.isUnresolved([literal]);
      }),
      { numRuns: 2000 },
    );
  });

  it('changes no text without `${`, `%{` or `{TfToken[`', () => {
    expect(terraformLiteral('arn:aws:s3:::bucket/* $ % { } 100% $x')).toBe('arn:aws:s3:::bucket/* $ % { } 100% $x');
  });
});

describe('terraformLiterals', () => {
  it('escapes every string of plain data, record keys too, and keeps the rest', () => {
    expect(
      terraformLiterals({ name: '${a}', list: ['%{b}', 1, true], tags: { '${k}': '${v}' }, absent: undefined, count: 3 }),
    ).toEqual({ name: '$${a}', list: ['%%{b}', 1, true], tags: { '$${k}': '$${v}' }, absent: undefined, count: 3 });
  });

  it('refuses what is not plain data: references must be passed apart', () => {
    class Resource {}
    expect(() => terraformLiterals({ dependsOn: [new Resource()] })).toThrow(/a Resource is not plain data/);
  });
});
