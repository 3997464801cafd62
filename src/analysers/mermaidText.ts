import { visibleText } from '../text/visibleText';

/**
 * Text from the config inside a mermaid diagram. A label is always written
 * quoted, and inside the quotes only these characters are kept as they are;
 * every other one (quotes, brackets, `|`, `<`, `>`, `&`, `#`, `;`, `:`, `%`,
 * backticks, line breaks, anything outside ASCII) is written as mermaid's
 * entity code `#NNN;` (its code point in decimal), which mermaid turns into
 * the HTML character reference `&#NNN;` before drawing. So a value can
 * neither end the label, nor start a statement (`click`, `style`, `%%{init}%%`,
 * `-->`, `:::`), nor become markup (mermaid reads a label as HTML when
 * securityLevel is loose): whatever the renderer's settings, it is text.
 * Nor can it close the markdown fence a diagram is embedded in: no backtick
 * is ever written.
 */
const SAFE = /^[A-Za-z0-9 .,/()@=+_-]$/;

/** A value is cut after this many characters (IAM names are at most 64): a picture, not the report. */
export const LABEL_LIMIT = 80;

/** The line break mermaid draws inside a label: rolecall's own markup, which no value can write (`<` is escaped). */
export const LINE_BREAK = '<br>';

/**
 * Mermaid marks entity codes with its own placeholder characters (`ﬂ°°`, `ﬂ°`
 * and `¶ß`) and turns any it finds in a label's text back into `&#`, `&` and
 * `;`: a value holding them would be drawn as other text. A label shows
 * these two as escapes, as it shows invisible characters.
 */
const PLACEHOLDERS = /[\ufb02\u00b6]/g;

/** What a label shows for one value: invisible characters (and ﬂ, ¶) as escapes (`\n`, `\u202e`), cut with `…` past the limit. */
export function labelText(value: string, limit: number = LABEL_LIMIT): string {
  const chars = [...visibleText(value).replace(PLACEHOLDERS, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)];
  return chars.length > limit ? `${chars.slice(0, limit - 1).join('')}…` : chars.join('');
}

/** Every character outside the safe set as `#NNN;`; a space at either end too, which mermaid would trim. */
export function escapeLabel(text: string): string {
  const chars = [...text];
  return chars.map((char, i) => (SAFE.test(char) && !(char === ' ' && (i === 0 || i === chars.length - 1)) ? char : `#${char.codePointAt(0)};`)).join('');
}

/** A quoted label of one or more lines, each a value shown as labelText shows it. */
export function mermaidLabel(lines: readonly string[]): string {
  return `"${lines.map((line) => escapeLabel(labelText(line))).join(LINE_BREAK)}"`;
}
