/**
 * Renders mermaid diagrams with the real `mermaid` library in a headless
 * Chromium: Debian's `chromium` package, started through playwright-core
 * (which downloads no browser), on a page built from local files only, with
 * a fresh profile and no network. Tests that need it skip, loudly, where
 * Chromium is missing, and fail instead in CI (see chromiumTestMode).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Set to 1 to fail, rather than skip, when Chromium is missing (.ci/run sets it). */
const REQUIRE_ENV = 'ROLECALL_REQUIRE_CHROMIUM';
/** Where to find the browser: ROLECALL_CHROMIUM, else Debian's and the usual names. */
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium', '/snap/bin/chromium'];

const MERMAID_JS = require.resolve('mermaid/dist/mermaid.min.js');
const PAGE_JS = path.join(__dirname, 'mermaidPage.js');

export function findChromium(): string | undefined {
  const fromEnv = process.env.ROLECALL_CHROMIUM;
  if (fromEnv) return isExecutable(fromEnv) ? fromEnv : undefined;
  return CANDIDATES.find(isExecutable);
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export type ChromiumTestMode = 'run' | 'skip' | 'fail';

/** `run` where Chromium is found; else `fail` when ROLECALL_REQUIRE_CHROMIUM=1 or on a CI service (CI set, and not told =0); else `skip`. */
export function chromiumTestMode(found: boolean, env: NodeJS.ProcessEnv): ChromiumTestMode {
  if (found) return 'run';
  const required = env[REQUIRE_ENV];
  const inCi = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  return required === '1' || (required !== '0' && inCi) ? 'fail' : 'skip';
}

/** `describe` where Chromium is, else `describe.skip` after a warning nobody can miss, or an error in CI. */
export function describeChromium(): jest.Describe {
  switch (chromiumTestMode(findChromium() !== undefined, process.env)) {
    case 'run':
      return describe;
    case 'fail':
      throw new Error(`the rendering tests are mandatory here (${REQUIRE_ENV}=1 or CI), but ${missingMessage()}: apt-get install chromium`);
    case 'skip': {
      const rule = '!'.repeat(78);
      console.warn(`${rule}\n!! SKIPPING the mermaid rendering tests: ${missingMessage()}\n!! install Debian's package: apt-get install chromium\n${rule}`);
      return describe.skip;
    }
  }
}

function missingMessage(): string {
  const fromEnv = process.env.ROLECALL_CHROMIUM;
  return fromEnv ? `ROLECALL_CHROMIUM=${fromEnv} is no executable file` : `no Chromium at ${CANDIDATES.join(', ')} (or set ROLECALL_CHROMIUM)`;
}

/** Flags for a quiet, offline, throwaway browser. */
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-quic', '--no-first-run', '--disable-sync', '--disable-dev-shm-usage'];

export interface MermaidPage {
  readonly page: Page;
  /** Every request the page tried to make that was not the local page itself (there must be none). */
  readonly requests: readonly string[];
  close(): Promise<void>;
}

/**
 * A browser with a page that has loaded mermaid.min.js from node_modules.
 * Every network request but the page's own file:// ones is refused and
 * recorded, so a diagram that made the browser fetch anything would show.
 */
export async function openMermaidPage(): Promise<MermaidPage> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('no Chromium');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-chromium-'));
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(profile, { executablePath, args: ARGS, headless: true, viewport: { width: 1600, height: 1000 }, deviceScaleFactor: 1 });
    const requests: string[] = [];
    const pageFile = path.join(profile, 'page.html');
    fs.writeFileSync(pageFile, '<!doctype html><html><head><meta charset="utf-8"></head><body style="margin:0;background:#fff"><div id="out"></div></body></html>');
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file://')) return route.continue();
      requests.push(url);
      return route.abort();
    });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`file://${pageFile}`);
    await page.addScriptTag({ content: fs.readFileSync(MERMAID_JS, 'utf8') });
    await page.addScriptTag({ path: PAGE_JS });
    const opened = context;
    return {
      page,
      requests,
      close: async () => {
        await opened.close();
        fs.rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await context?.close();
    fs.rmSync(profile, { recursive: true, force: true });
    throw e;
  }
}

export type SecurityLevel = 'strict' | 'loose' | 'antiscript';

export interface Rendered {
  /** The error mermaid threw, if it could not parse or draw the diagram. */
  readonly error?: string;
  readonly svg: string;
  /** Each node's id in the diagram (`n0`) and its label's text. */
  readonly nodes: readonly { readonly id: string; readonly text: string }[];
  /** Each edge's ends, from its element id, and its label's text. */
  readonly edges: readonly { readonly from: string; readonly to: string; readonly text: string }[];
  readonly clusters: readonly string[];
  /** Elements in the drawing that no diagram of ours makes: script, iframe, a, img, form, event handlers... */
  readonly foreign: readonly string[];
}

/**
 * Renders one diagram into the page (replacing the last one) and reads what
 * was drawn (mermaidPage.js). A label's text is its text, lines (`<br>`)
 * joined with `\n`.
 */
export async function renderMermaid(page: Page, text: string, securityLevel: SecurityLevel = 'strict'): Promise<Rendered> {
  return page.evaluate(([text, securityLevel]) => (globalThis as unknown as PageApi).rolecallRender(text, securityLevel), [text, securityLevel] as const);
}

/** What mermaidPage.js puts on the page's window. */
interface PageApi {
  rolecallRender(text: string, securityLevel: SecurityLevel): Promise<Rendered>;
  rolecallLinkStyles(): { id: string; style: string }[];
  rolecallNodeClasses(): [string, string][];
  rolecallPwned(): unknown;
}

/** Each drawn edge's id (`L_n0_n1_0`) and style attribute. */
export const linkStyles = (page: Page) => page.evaluate(() => (globalThis as unknown as PageApi).rolecallLinkStyles());
/** Each drawn node's id (`n0`) and class attribute. */
export const nodeClasses = async (page: Page) => new Map(await page.evaluate(() => (globalThis as unknown as PageApi).rolecallNodeClasses()));
/** What a payload that ran left behind (undefined: none ran). */
export const pwned = (page: Page) => page.evaluate(() => (globalThis as unknown as PageApi).rolecallPwned());
