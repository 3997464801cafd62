import MarkdownIt from 'markdown-it';
import { formatPlanMarkdown, formatPlanText } from '../../src/cli/plan';
import type { StackPlan } from '../../src/terraform/offlinePlan';
import { visibleText } from '../../src/text/visibleText';

const planned = (stack: string, add: number, change = 0, destroy = 0): StackPlan => ({ stack, ok: true, counts: { import: 0, add, change, destroy }, shown: {}, log: '', seconds: 1 });
const failed = (stack: string): StackPlan => ({ stack, ok: false, step: 'validate', output: 'Error: x', log: '', seconds: 1 });

/** Names a YAML could hold if the schema ever let them through: markup, a cell break, a line break, an escape. */
const HOSTILE = ['a|b', '`x` **bold**', '<img src=x onerror=alert(1)>', 'line\nbreak', '\x1b[31mred', '@everyone #1 http://evil.example'];

function rows(markdown: string): { html: string; rows: string[][] } {
  const html = new MarkdownIt({ html: true, linkify: true }).render(markdown);
  const cells = (row: string) => [...row.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => c[1]!);
  return { html, rows: [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) => cells(row[1]!)) };
}

const decode = (html: string) => html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

const importing = (stack: string, imported: number, add: number, change: number): StackPlan => ({ stack, ok: true, counts: { import: imported, add, change, destroy: 0 }, shown: {}, log: '', seconds: 1 });

describe('rolecall plan summary with imports (adopt: true)', () => {
  it('text: a "to import" column first when some stack imports, and the note says what it counts', () => {
    const lines = formatPlanText([importing('identity', 16, 11, 3), planned('prod', 5), failed('broken')]).split('\n');
    expect(lines[0]!.split(/\s{2,}/)).toEqual(['stack', 'to import', 'to add', 'to change', 'to destroy']);
    expect(lines[1]!.split(/\s+/)).toEqual(['identity', '16', '11', '3', '0']);
    expect(lines[2]!.split(/\s+/)).toEqual(['prod', '0', '5', '0', '0']);
    expect(lines[3]).toMatch(/^broken\s+failed at terraform validate$/);
    expect(lines[4]!.split(/\s+/)).toEqual(['total', '16', '16', '3', '0']);
    expect(lines[5]).toContain('"to import" counts what `adopt: true` entries take over');
  });

  it('text and markdown: no "to import" column and no import note when nothing imports', () => {
    const plans = [importing('identity', 0, 2, 0)];
    expect(formatPlanText(plans)).not.toContain('import');
    expect(formatPlanMarkdown(plans)).not.toContain('import');
  });

  it('markdown: five cells a row with imports, a failed stack padded to the width', () => {
    const { rows: table } = rows(formatPlanMarkdown([importing('identity', 16, 11, 3), failed('broken')]));
    expect(table[0]).toEqual(['stack', 'to import', 'to add', 'to change', 'to destroy']);
    expect(table[1]).toEqual(['<code>identity</code>', '16', '11', '3', '0']);
    expect(table[2]).toEqual(['<code>broken</code>', 'failed at <code>terraform validate</code>', '', '', '']);
    expect(table[3]).toEqual(['<strong>total</strong>', '16', '11', '3', '0']);
  });
});

describe('rolecall plan summary formats', () => {
  it('markdown: one row per stack, each name alone in a code span, escaped, four cells a row, totals of the planned stacks', () => {
    const plans = [...HOSTILE.map((name, i) => planned(name, i + 1, i, 1)), failed('broken|stack')];
    const { html, rows: table } = rows(formatPlanMarkdown(plans));
    expect(html).not.toMatch(/<img|<a /);
    // The only emphasis is rolecall's own total.
    expect(html.match(/<strong>/g)).toEqual(['<strong>']);
    expect(table).toHaveLength(HOSTILE.length + 3);
    for (const row of table) expect(row).toHaveLength(4);
    HOSTILE.forEach((name, i) => {
      const [stack, ...counts] = table[i + 1]!;
      expect(decode(stack!.replace(/^<code>([^<]*)<\/code>$/, '$1'))).toBe(visibleText(name));
      expect(counts).toEqual([String(i + 1), String(i), '1']);
    });
    expect(table[HOSTILE.length + 1]).toEqual(['<code>broken|stack</code>', 'failed at <code>terraform validate</code>', '', '']);
    const sum = (f: (i: number) => number) => String(HOSTILE.reduce((n, _, i) => n + f(i), 0));
    expect(table.at(-1)).toEqual(['<strong>total</strong>', sum((i) => i + 1), sum((i) => i), sum(() => 1)]);
  });

  it('text: names with their invisible characters spelled out, numbers right-aligned, a failed stack names its step', () => {
    const text = formatPlanText([planned('\x1b[31mred', 12), failed('a\nlong\nname'), planned('b', 3, 1, 2)]);
    expect(text).not.toContain('\x1b');
    expect(text.split('\n')).toEqual([
      'stack          to add  to change  to destroy',
      '\\x1b[31mred        12          0           0',
      'a\\nlong\\nname  failed at terraform validate',
      'b                   3          1           2',
      'total              15          1           2',
      expect.stringMatching(/^offline plan of each stack against an empty state/),
      '',
    ]);
  });
});
