import * as path from 'node:path';
import { warning, type Diagnostic } from '../diagnostics/diagnostic';
import { loadAwsManagedPolicies } from '../catalog/awsManagedPolicies';
import { loadActionCatalog } from '../catalog/iamDataCatalog';
import type { ReportedFinding } from '../analysers/rules/accept';
import { checkExpectations } from '../analysers/expectations';
import { reviewSecurity } from '../analysers/rules/review';
import type { AccessModel } from '../model/accessModel';
import type { ActionCatalog } from '../model/actionCatalog';
import { namesAwsManagedPolicy } from '../model/managedPolicies';
import { managedPolicyCatalogOf } from '../model/managedPolicyCatalog';
import { attachmentKey, SAML_MAX_CHARACTERS, type Attachment, type Attachments } from '../model/providers';
import { resolve } from '../model/resolve';
import { validateDocument, type ValidatedFile } from '../schema/validateDocument';
import { loadDirectory, readBeside } from '../source/loadDirectory';
import type { SourceFile } from '../source/sourceFile';

export interface CompileOptions {
  readonly cwd?: string;
  /** The clock for expiry checks; tests pin it. */
  readonly now?: Date;
}

export interface CompileResult {
  readonly sources: readonly SourceFile[];
  /** Undefined when a file could not be parsed: later stages would only report echoes of that. */
  readonly model: AccessModel | undefined;
  /** The action catalog the model was checked against (for analysers that expand wildcards). */
  readonly catalog: ActionCatalog | undefined;
  /** The security rules' findings on the model, `accept:` applied (also among `diagnostics`). */
  readonly security: readonly ReportedFinding[];
  readonly diagnostics: readonly Diagnostic[];
}

/** The config directory, through every stage: YAML → validated config → access model. */
export async function compile(directory: string, options: CompileOptions = {}): Promise<CompileResult> {
  const parsed = await loadDirectory(directory, options.cwd);
  const diagnostics: Diagnostic[] = parsed.flatMap((p) => p.diagnostics);
  if (parsed.length === 0) diagnostics.push(noConfigFiles(directory, options.cwd ?? process.cwd()));
  const sources = parsed.map((p) => p.source);
  const files: ValidatedFile[] = [];
  for (const { config } of parsed) {
    if (!config) continue;
    const validated = validateDocument(config);
    files.push(validated.file);
    diagnostics.push(...validated.diagnostics);
  }
  if (parsed.some((p) => p.config === undefined)) return { sources, model: undefined, catalog: undefined, security: [], diagnostics };

  const catalog = await loadActionCatalog(['s3', 'sts', 'iam', ...servicesNamed(files)]);
  // 74 MB of JSON: read only when the config names an AWS managed policy.
  const managedPolicies = namesAwsManagedPolicy(files) ? loadAwsManagedPolicies() : managedPolicyCatalogOf({});
  const attachments = await readAttachments(files, path.resolve(options.cwd ?? process.cwd(), directory));
  const now = options.now ?? new Date();
  const resolved = resolve({ files, catalog, managedPolicies, now, attachments });
  const security = reviewSecurity(resolved.model, catalog, now);
  const expectations = checkExpectations(resolved.model, now);
  return {
    sources,
    model: resolved.model,
    catalog,
    security: security.findings,
    diagnostics: [...diagnostics, ...resolved.diagnostics, ...security.diagnostics, ...expectations],
  };
}

/** An empty directory is most likely the wrong one: "no problems found" would pass a typo in --config. */
function noConfigFiles(directory: string, cwd: string): Diagnostic {
  const shown = path.relative(cwd, path.resolve(cwd, directory)).split(path.sep).join('/') || '.';
  return warning('no-config-files', `no *.yaml or *.yml file in ${shown}/ or below it: check --config (or ROLECALL_CONFIG); there is nothing to check or deploy`, { file: shown, path: [] });
}

function servicesNamed(files: readonly ValidatedFile[]): string[] {
  const statements = files.flatMap((f) => [
    ...f.users.flatMap((u) => [...(u.value.allow ?? []), ...(u.value.deny ?? []), ...(u.value.federation?.allow ?? [])]),
    ...f.roles.flatMap((r) => [...(r.value.allow ?? []), ...(r.value.deny ?? [])]),
    ...f.groups.flatMap((g) => [...(g.value.allow ?? []), ...(g.value.deny ?? [])]),
  ]);
  const expected = files.flatMap((f) => f.expect.flatMap((e) => [e.value.can?.do ?? [], e.value.cannot?.do ?? []].flat()));
  return [...statements.flatMap((s) => [...(s.actions ?? []), ...(s.notActions ?? [])]), ...expected].filter((a) => a.includes(':')).map((a) => a.slice(0, a.indexOf(':')));
}

/**
 * SAML metadata files named by providers, read before the pure resolve
 * stage: only regular files inside the config directory (`root`), of at most
 * IAM's character limit counted in bytes (metadata is ASCII XML in practice),
 * so that a huge file is refused before it is read.
 */
async function readAttachments(files: readonly ValidatedFile[], root: string): Promise<Attachments> {
  const attachments = new Map<string, Attachment>();
  for (const file of files) {
    for (const provider of file.providers) {
      const relative = provider.value.saml?.metadata;
      if (relative === undefined) continue;
      attachments.set(attachmentKey(file.absolutePath, relative), await readBeside(root, file.absolutePath, relative, SAML_MAX_CHARACTERS));
    }
  }
  return attachments;
}
