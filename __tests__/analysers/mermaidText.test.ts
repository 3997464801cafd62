import fc from 'fast-check';
import { escapeLabel, LABEL_LIMIT, labelText, LINE_BREAK, mermaidLabel } from '../../src/analysers/mermaidText';
import { visibleText } from '../../src/text/visibleText';

/** What mermaid does with an escaped label: each `#NNN;` is the character with that code point. */
const decode = (escaped: string) => escaped.replace(/#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)));

/** An escaped label is made of these alone: the safe characters, and entity codes. */
const ESCAPED = /^(?:[A-Za-z0-9 .,/()@=+_-]|#\d+;)*$/;

const anyText = fc.string({ unit: 'binary', maxLength: 120 });

const HOSTILE = [
  '"]; click n0 call alert(1)',
  'a"] --> n1["b',
  'x --> y',
  '%%{init: {"securityLevel": "loose"}}%%',
  'n0:::red',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '`backtick` ```fence```',
  'line one\nline two\r\n',
  '#quot; #35; #9829; &amp; &#60;',
  'a;b|c[d]e{f}g(h)i',
  'ﬂ°°60¶ß ﬂ°lt¶ß',
  'style n0 fill:#f00;',
  'linkStyle 0 stroke:#f00;',
  '\u202eevil\u2066',
  '😀 naïve 中文',
];

describe('escapeLabel', () => {
  it('writes nothing but the safe characters and #NNN; codes, whatever the value', () => {
    fc.assert(fc.property(anyText, (value) => ESCAPED.test(escapeLabel(value))));
    for (const value of HOSTILE) expect(escapeLabel(value)).toMatch(ESCAPED);
  });

  it('loses nothing: mermaid decoding the codes gives the value back', () => {
    fc.assert(fc.property(anyText, (value) => decode(escapeLabel(value)) === value));
    for (const value of HOSTILE) expect(decode(escapeLabel(value))).toBe(value);
  });

  it('keeps letters, digits and the names of IAM as they are, so the diagram source stays readable', () => {
    expect(escapeLabel('role data-prod/s3-reader (1h) alice@example.com a_b=c+d')).toBe('role data-prod/s3-reader (1h) alice@example.com a_b=c+d');
  });

  it('escapes a space at either end, which mermaid would trim, and keeps the others', () => {
    expect(escapeLabel(' a b ')).toBe('#32;a b#32;');
    expect(escapeLabel(' ')).toBe('#32;');
  });

  it('escapes every character that means something to mermaid, HTML or markdown', () => {
    for (const char of '"\'`#;:%|<>&[]{}\\!?*~^$\n\r\t') expect(escapeLabel(char)).toBe(`#${char.codePointAt(0)};`);
    // One code per code point, not per UTF-16 unit.
    expect(escapeLabel('😀')).toBe('#128512;');
  });
});

describe('labelText', () => {
  it('shows invisible characters as escapes, as every other format does', () => {
    expect(labelText('a\nb\u202ec')).toBe('a\\nb\\u202ec');
    fc.assert(fc.property(anyText, (value) => [...value].length > LABEL_LIMIT || /[\ufb02\u00b6]/.test(value) || labelText(value) === visibleText(value)));
  });

  it('shows mermaid\'s own placeholder characters ﬂ and ¶ as escapes: mermaid would draw ﬂ°°60¶ß as <', () => {
    expect(labelText('ﬂ°°60¶ß ﬂ°lt¶ß')).toBe('\\ufb02°°60\\u00b6ß \\ufb02°lt\\u00b6ß');
  });

  it('cuts a long value at the limit with an ellipsis, on a code point', () => {
    expect(labelText('x'.repeat(LABEL_LIMIT))).toBe('x'.repeat(LABEL_LIMIT));
    expect(labelText('x'.repeat(LABEL_LIMIT + 1))).toBe(`${'x'.repeat(LABEL_LIMIT - 1)}…`);
    expect(labelText('😀'.repeat(LABEL_LIMIT + 5))).toBe(`${'😀'.repeat(LABEL_LIMIT - 1)}…`);
    fc.assert(fc.property(anyText, fc.integer({ min: 2, max: 40 }), (value, limit) => [...labelText(value, limit)].length <= limit));
  });
});

describe('mermaidLabel', () => {
  it('is one quoted string, on one line, that no value can end early', () => {
    fc.assert(
      fc.property(fc.array(anyText, { minLength: 1, maxLength: 4 }), (lines) => {
        const label = mermaidLabel(lines);
        const inner = label.slice(1, -1);
        return label.startsWith('"') && label.endsWith('"') && inner.split(LINE_BREAK).every((part) => ESCAPED.test(part)) && inner.split(LINE_BREAK).length === lines.length;
      }),
    );
  });

  it('joins lines with <br>, which no value can write', () => {
    expect(mermaidLabel(['with MFA', 'from 10.0.0.0/8'])).toBe('"with MFA<br>from 10.0.0.0/8"');
    expect(mermaidLabel(['<br>'])).toBe('"#60;br#62;"');
  });
});
