import { visibleText } from '../text/visibleText';

/**
 * Markdown that rolecall wrote. The reports are built only of these, so a
 * value from the config cannot enter a document unescaped: a string becomes
 * markdown only through `md`, which puts it in a code span.
 */
export interface Markdown {
  readonly markdown: string;
}

/**
 * A line of markdown: the template's own text as written, every interpolated
 * string as an inline code span, every interpolated Markdown as it is.
 * Inside a code span nothing is markup: no HTML, link, autolink, mention,
 * emphasis or entity. What could still break out is handled here: line breaks
 * and other invisible characters are shown as escapes (`\n`, `\x1b`), so a value
 * stays on its line; the fence is longer than any backtick run in the value
 * (and, closed on the same line, never opens a fenced code block).
 */
export function md(literals: TemplateStringsArray, ...values: readonly (string | Markdown)[]): Markdown {
  let text = literals[0]!;
  values.forEach((value, i) => {
    text += (typeof value === 'string' ? codeSpan(value) : value.markdown) + literals[i + 1]!;
  });
  return { markdown: text };
}

function codeSpan(value: string): string {
  const text = visibleText(value);
  if (text === '') return '` `';
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  // A renderer strips one space at each end when both are there: pad a value that starts or ends with one (or a backtick).
  const pad = /^[ `]|[ `]$/.test(text) && /[^ ]/.test(text) ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

export function join(parts: readonly Markdown[], separator: Markdown): Markdown {
  return { markdown: parts.map((p) => p.markdown).join(separator.markdown) };
}

/** A row of a GFM table: a `|` in a cell, even inside a code span, would end the cell unless written `\|`. */
export function tableRow(cells: readonly Markdown[]): Markdown {
  return { markdown: `| ${cells.map((cell) => cell.markdown.replace(/\|/g, '\\|')).join(' | ')} |` };
}

export function markdownDocument(lines: readonly Markdown[]): string {
  return `${lines
    .map((line) => line.markdown)
    .join('\n')
    .trimEnd()}\n`;
}
