/**
 * Characters that a terminal or a renderer acts on instead of showing, or that
 * make text look other than it is: C0 controls (ANSI escapes start with ESC),
 * DEL, C1 controls, line and paragraph separators, bidirectional overrides,
 * embeddings, isolates and marks (the "Trojan Source" set), and the
 * zero-width characters that make two different names look the same.
 * Every value from a config reaches output through one of the functions below.
 */
const INVISIBLE = '\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200b\\u200e\\u200f\\u2028-\\u202e\\u2060\\u2066-\\u2069\\ufeff';

const ANY_INVISIBLE = new RegExp(`[${INVISIBLE}]`, 'g');
/** All of them but the line feed that lines of output are joined with. */
const INVISIBLE_BUT_NEWLINE = new RegExp(`[${INVISIBLE.replace('\\u0000-\\u001f', '\\u0000-\\u0009\\u000b-\\u001f')}]`, 'g');

const SHORT: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

const unicodeEscape = (char: string) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;

function escape(char: string): string {
  const code = char.charCodeAt(0);
  return SHORT[char] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : unicodeEscape(char));
}

/** One line of text with every invisible character shown as an escape: `\n`, `\x1b`, `\u202e`. For a value or a line, in text and markdown. */
export function visibleText(value: string): string {
  return value.replace(ANY_INVISIBLE, escape);
}

/**
 * Output of any format with every invisible character but the line feed
 * written `\uXXXX`. In JSON (where JSON.stringify leaves DEL, C1 and the
 * Unicode ones raw) that is the same value; in text it is visible. The JSON
 * formats use it, and the process edge passes everything it writes through it.
 */
export function visibleOutput(text: string): string {
  return text.replace(INVISIBLE_BUT_NEWLINE, unicodeEscape);
}
