import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { diffAccess, type AccessDiff } from '../../src/analysers/accessDiff';
import { accessReport, type AccessReport } from '../../src/analysers/accessReport';
import { formatAccessMarkdown } from '../../src/analysers/formatAccess';
import { formatDiffMarkdown } from '../../src/analysers/formatDiff';
import { visibleText } from '../../src/text/visibleText';
import { compileYaml } from '../support/compileYaml';

/**
 * The markdown reports rendered by a real renderer, as strict as a review page
 * can be: raw HTML on, every kind of autolink on. A value from the config must
 * land in its own code span, escaped, and change nothing around it.
 */
const renderer = new MarkdownIt({ html: true, linkify: true });
renderer.linkify.set({ fuzzyLink: true, fuzzyEmail: true, fuzzyIP: true });

/** The only elements rolecall's own markdown makes (no attributes: no link, no aligned cell). */
const OWN_TAGS = /<\/?(?:h1|h2|h3|p|ul|li|code|table|thead|tbody|tr|th|td)>/g;

const decode = (html: string) => html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

/** An element's text with each code span shown as «…». */
const readable = (html: string) => decode(html.replace(/<code>([^<]*)<\/code>/g, '«$1»').replace(/<[^>]*>/g, ''));

interface Rendered {
  readonly html: string;
  readonly headings: string[];
  readonly items: string[];
  readonly paragraphs: string[];
  readonly rows: string[][];
}

function render(markdown: string): Rendered {
  const html = renderer.render(markdown);
  // Text is escaped by the renderer, so every < left is an element: only ours may be there, and no comment.
  expect(html.replace(OWN_TAGS, '')).not.toMatch(/[<>]/);
  // Outside code spans only rolecall's words: nothing a review page would turn into a mention, issue link or emoji.
  const outside = readable(html.replace(/<code>[^<]*<\/code>/g, ''));
  expect(outside).not.toMatch(/[@#`|<>[\]*_\\]|:\w+:|www|http/i);
  const rows = [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) => [...row[1]!.matchAll(/<t[hd]>([\s\S]*?)<\/t[hd]>/g)].map((cell) => readable(cell[1]!)));
  for (const row of rows) expect(row).toHaveLength(3);
  return {
    html,
    headings: [...html.matchAll(/<h3>([\s\S]*?)<\/h3>/g)].map((h) => readable(h[1]!)),
    items: [...html.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((li) => readable(li[1]!)),
    paragraphs: [...html.matchAll(/<p>([\s\S]*?)<\/p>/g)].map((p) => readable(p[1]!)),
    rows,
  };
}

/** A value as a reader must see it: in a code span, its invisible characters spelled out. */
const shown = (value: string) => `«${visibleText(value)}»`;
const shownList = (values: readonly string[], none: string) => (values.length > 0 ? values.map(shown).join(', ') : none);

/** Every entry of the diff, each in the words and order formatDiffMarkdown writes it. */
function diffItems(diff: AccessDiff): string[] {
  return [
    ...diff.rolesAdded.map(shown),
    ...diff.rolesRemoved.map(shown),
    ...diff.trustAdded.map((t) => `${shown(t.who)} may assume ${shown(t.role)} (${shownList(t.conditions, 'no conditions')})`),
    ...diff.trustRemoved.map((t) => `${shown(t.who)} may no longer assume ${shown(t.role)}`),
    ...diff.conditionsChanged.map((c) => `${shown(c.who)} on ${shown(c.role)}: ${shownList(c.before, 'none')} → ${shownList(c.after, 'none')}`),
    ...diff.permissionChanges.flatMap((c) => [...c.gained.map((g) => `gains: ${shown(g)}`), ...c.lost.map((l) => `loses: ${shown(l)}`)]),
  ];
}

/** A YAML double-quoted scalar holding exactly `value`. */
const yamlString = (value: string) =>
  `"${value.replace(/[^\x20-\x7e]|["\\]/g, (c) => (c === '"' || c === '\\' ? `\\${c}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))}"`;

const HEADER = `accounts:
  - name: main
    id: "123456789012"
providers:
  - name: github
    account: main
    oidc:
      url: https://token.actions.githubusercontent.com
      audiences: [sts.amazonaws.com]
  - name: idp
    account: main
    oidc:
      url: https://idp.example.com
      audiences: [app]
users:
  - name: alice
  - name: bob
`;

const BASE = `${HEADER}roles:
  - name: a-reader
    trust:
      - user: alice
    allow:
      - actions: [s3:GetObject]
        resources: ["arn:aws:s3:::reports/*"]
  - name: z-admin
    trust:
      - user: alice
`;

interface Hostile {
  /** Free text: reason, ticket, owner. */
  readonly note?: string;
  /** A condition value of an allow statement (IAM policy text: Latin-1). */
  readonly condition?: string;
  /** The tail of a resource ARN (one line of Latin-1). */
  readonly resource?: string;
  /** The branch part of a GitHub token subject: it is in the words saying who may assume the role. */
  readonly branch?: string;
  /** A role path (printable ASCII): it is in the role's ARN. */
  readonly path?: string;
}

/**
 * The head config: the hostile values on role a-reader, and after them, on
 * z-admin, the changes a forged diff would hide: AdministratorAccess and a new way in.
 */
function head(h: Hostile): string {
  const notes = h.note === undefined ? '' : ['reason', 'ticket', 'owner'].map((key) => `\n        ${key}: ${yamlString(h.note!)}`).join('');
  // A token subject of a generic issuer (git refuses such branch names in a github: entry; a subject is free text).
  const github = h.branch === undefined ? '' : `\n      - oidc: { provider: idp, audience: app, subject: ${yamlString(`user:${h.branch}`)} }`;
  const statement =
    h.condition === undefined && h.resource === undefined
      ? ''
      : `
      - actions: [s3:PutObject]
        resources: [${yamlString(`arn:aws:s3:::reports/${h.resource ?? 'in'}`)}]${
          h.condition === undefined ? '' : `\n        conditions:\n          StringEquals: { aws:RequestedRegion: ${yamlString(h.condition)} }`
        }`;
  return `${HEADER}roles:
  - name: a-reader${h.path === undefined ? '' : `\n    path: ${yamlString(h.path)}`}
    trust:
      - user: alice
        mfa: true${notes}${github}
    allow:
      - actions: [s3:GetObject]
        resources: ["arn:aws:s3:::reports/*"]${statement}
  - name: m-new
    trust:
      - service: lambda.amazonaws.com
  - name: z-admin
    managedPolicies: [AdministratorAccess]
    trust:
      - user: alice
      - user: bob
`;
}

async function reportOf(yaml: string): Promise<AccessReport> {
  const result = await compileYaml({ 'org.yaml': yaml });
  if (result.configErrors.length > 0 || !result.model || !result.catalog) throw new Error(`config does not compile: ${result.configErrors.map((e) => e.message).join('; ')}`);
  return accessReport(result.model, result.catalog);
}

let base: AccessReport;
beforeAll(async () => {
  base = await reportOf(BASE);
});

/** Renders the diff and the access report of `h` and checks that both show every entry, and nothing else. */
async function checkBoth(h: Hostile): Promise<{ diff: Rendered; access: Rendered; report: AccessReport; changes: AccessDiff }> {
  const report = await reportOf(head(h));
  const changes = diffAccess(base, report);
  const diff = render(formatDiffMarkdown(changes, 'main'));
  expect(diff.items).toEqual(diffItems(changes));
  expect(diff.items).toContain('gains: «managed policy arn:aws:iam::aws:policy/AdministratorAccess»');
  expect(diff.items).toContain('«user main/bob» may assume «main/z-admin» (no conditions)');
  expect(diff.headings.at(-1)).toBe('«role main/z-admin»');
  // And back: every removal, loss and changed condition as visible.
  const back = diffAccess(report, base);
  const backItems = render(formatDiffMarkdown(back, 'main')).items;
  expect(backItems).toEqual(diffItems(back));
  expect(backItems).toContain('loses: «managed policy arn:aws:iam::aws:policy/AdministratorAccess»');
  expect(backItems).toContain('«main/m-new»');
  expect(backItems).toContain('«user main/alice» on «main/a-reader»: «with MFA» → none');

  const access = render(formatAccessMarkdown(report, () => 'org.yaml:1:1'));
  expect(access.headings).toEqual([...report.roles.map((r) => shown(r.role)), ...report.users.map((u) => shown(u.user))]);
  const rows = report.roles.flatMap((r) => [
    ['who may assume it', 'conditions', 'notes'],
    ...r.assumedBy.map((p) => {
      const notes = [p.notes.reason, p.notes.ticket, p.notes.owner].filter((n): n is string => Boolean(n));
      return [shown(p.who), shownList(p.conditions, '—'), notes.length > 0 ? notes.map(shown).join('; ') : '—'];
    }),
  ]);
  expect(access.rows).toEqual(rows);
  expect(access.paragraphs).toEqual(
    expect.arrayContaining(report.roles.map((r) => `ARN ${shown(r.arn)}, sessions up to ${shown(r.maxSession)}, defined at «org.yaml:1:1»`)),
  );
  expect(access.items).toContain('«AdministratorAccess» (AWS managed, not expanded)');
  expect(access.items.at(-1)).toBe('may assume «main/z-admin»');
  return { diff, access, report, changes };
}

describe('markdown a config cannot forge', () => {
  it('a condition value "us-east-1\\n\\n<!--" hides nothing that follows it (the regression)', async () => {
    const { diff, access } = await checkBoth({ condition: 'us-east-1\n\n<!--' });
    const hostile = diff.items.indexOf('gains: «allow s3:PutObject on arn:aws:s3:::reports/in when aws:RequestedRegion StringEquals us-east-1\\n\\n<!--»');
    expect(hostile).toBeGreaterThanOrEqual(0);
    // What the comment used to swallow: everything after it, AdministratorAccess included.
    expect(diff.items.indexOf('gains: «managed policy arn:aws:iam::aws:policy/AdministratorAccess»')).toBeGreaterThan(hostile);
    expect(access.items).toContain('allow «s3:PutObject» on «arn:aws:s3:::reports/in» when «aws:RequestedRegion StringEquals us-east-1\\n\\n<!--», policy «rolecall-permissions»');
  });

  it.each([
    ['an HTML comment', '<!-- x -->'],
    ['an open HTML comment', '<!--'],
    ['HTML that folds the rest away', '<details><summary>ok</summary>'],
    ['a script tag', '<img src=x onerror=alert(1)>'],
    ['an entity', '&lt;b&gt; &#64;team'],
    ['a link', '[approved](https://evil.example)'],
    ['an image', '![x](https://evil.example/x.png)'],
    ['an autolink', '<https://evil.example>'],
    ['a bare URL and a domain', 'https://evil.example www.evil.example evil.example'],
    ['an email address', 'security@evil.example'],
    ['a mention and an issue reference', '@acme/security-team approved #1'],
    ['emphasis and a strike', '**bold** _it_ ~~gone~~'],
    ['an emoji shortcode', ':white_check_mark:'],
    ['backticks', 'a`b``c```d'],
    ['a value that starts and ends with a backtick', '`x`'],
    ['pipes', 'a|b\\|c|'],
    ['a backslash at the end', 'x\\'],
    ['a heading on a new line', 'x\n# Approved by security'],
    ['a list item on a new line', 'x\n- loses: everything'],
    ['a fenced code block on a new line', 'x\n```\n'],
    ['a table on new lines', 'x\n\n| a | b | c |\n|---|---|---|'],
    ['carriage returns', 'x\r\n\r\n<!--'],
    ['spaces at the ends', '  x  '],
  ])('%s in notes, conditions, resources and branches stays in its code span', async (_what, value) => {
    const oneLine = value.replace(/[\n\r]/g, '');
    const printable = value.replace(/[^\x21-\x7e]|[*?]/g, '');
    const { diff, access } = await checkBoth({ note: value, condition: value, resource: oneLine, branch: oneLine === '' ? 'b' : oneLine, path: `/${printable}/` });
    expect(diff.html + access.html).toContain(renderer.utils.escapeHtml(visibleText(value)));
  });

  it('shows control characters, separators and bidirectional overrides as escapes', async () => {
    const value = 'a\u001b[2Jb\u0000c\u007fd\u0085e\u2028f\u2029g\u202eh\u2066i\u200fj\ufeffk\tl';
    const { access } = await checkBoth({ note: value, branch: value });
    const escaped = 'a\\x1b[2Jb\\x00c\\x7fd\\x85e\\u2028f\\u2029g\\u202eh\\u2066i\\u200fj\\ufeffk\\tl';
    expect(access.rows).toContainEqual(['«user main/alice»', '«with MFA»', [1, 2, 3].map(() => `«${escaped}»`).join('; ')]);
    expect(access.html).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028-\u202e\u2066-\u2069]/);
  });

  it('holds for any string made of markup pieces (property)', async () => {
    const piece = fc.oneof(
      fc.constantFrom('`', '``', '```', '|', '\\', '\\|', '<!--', '-->', '<details>', '<', '>', '&amp;', '&#x40;', '@team', '#1', '[x](http://e.example)', '](', 'http://e.example', 'www.e.example', 'a@b.example', '# ', '- ', '1. ', '> ', '*', '**', '_', '~~', ':+1:', '\n', '\n\n', '\r', '\t', ' ', '\u001b[31m', '\u0085', '\u2028', '\u202e', 'x'),
      fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 3 }),
    );
    const hostile = fc.array(piece, { minLength: 1, maxLength: 8 }).map((pieces) => pieces.join(''));
    await fc.assert(
      fc.asyncProperty(hostile, async (value) => {
        const latin1 = value.replace(/[^\t\n\r\x20-\xff]/g, '') || 'x';
        const oneLine = value.replace(/[^\x20-\xff]/g, '') || 'x';
        await checkBoth({ note: value, condition: latin1, resource: oneLine });
      }),
      { numRuns: 60 },
    );
  });
});
