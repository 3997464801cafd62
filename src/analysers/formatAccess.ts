import type { SourceRef } from '../diagnostics/diagnostic';
import { visibleOutput, visibleText } from '../text/visibleText';
import type { AccessReport, ActionAccess, AssumePath, FindingAccess, StatementAccess } from './accessReport';
import { join, markdownDocument, md, tableRow, type Markdown } from './markdownText';
import { mermaidGraph, mermaidMarkdown } from './mermaidGraph';
import type { TrustGraph } from './trustGraph';

/** Turns a SourceRef into `FILE:LINE:COL`; given by the edge, which has the sources. */
export type Where = (ref: SourceRef) => string;

const MANAGED = /^arn:[^:]+:iam::aws:policy\//;

/** An AWS managed policy by its name; any other by its ARN. */
function managedPolicy(arn: string): { readonly name: string; readonly awsManaged: boolean } {
  return MANAGED.test(arn) ? { name: arn.replace(MANAGED, ''), awsManaged: true } : { name: arn, awsManaged: false };
}

/** Long expansions are summarised in text and markdown; --format json lists every action. */
const LISTED = 12;

function actionWords(action: ActionAccess): string {
  if (action.matches === 'all') return '* (every action of every service)';
  if (action.matches.length === 1 && action.matches[0] === action.pattern) return action.pattern;
  if (action.matches.length > LISTED) {
    return `${action.pattern} (${action.matches.length} actions: ${action.matches.slice(0, LISTED).join(', ')}, …)`;
  }
  return `${action.pattern} (${action.matches.length} ${action.matches.length === 1 ? 'action' : 'actions'}: ${action.matches.join(', ')})`;
}

const effectWord = (s: StatementAccess) => (s.effect === 'Allow' ? 'allow' : 'DENY');

function statementWords(s: StatementAccess): string {
  const what = s.allBut ? `everything but ${s.allBut.join(', ')}` : s.actions.map(actionWords).join('; ');
  const when = s.conditions.length > 0 ? ` when ${s.conditions.join(', ')}` : '';
  return `${effectWord(s)} ${what} on ${resourceWords(s)}${when} [${s.policy}]`;
}

function resourceWords(s: StatementAccess): string {
  return s.resourcesAllBut ? `every resource but ${s.resourcesAllBut.join(', ')}` : s.resources.join(', ');
}

/** Where a way through the caller's own policy opens, or which Deny of its own closes it. */
function pathNote(path: AssumePath, where: Where): string {
  if (path.blockedBy) return ` — BLOCKED by its own deny (${path.blockedBy.policy} at ${where(path.blockedBy.source)})`;
  if (path.allowedBy) return ` — allowed at ${where(path.allowedBy.source)}`;
  return '';
}

function groupWords(group: string | undefined): string {
  return group !== undefined ? ` (through group ${group})` : '';
}

function viaWords(via: AssumePath['via']): string {
  return via === 'identity-policy' ? ' (by its own policy, through a trust in its account)' : '';
}

/** `error RULE (accepted: REASON, TICKET): message`, as validate writes it, without the place. */
export function findingWords(f: FindingAccess): string {
  return `${f.severity} ${f.rule}${acceptedWords(f)}: ${f.message}`;
}

function acceptedWords(f: FindingAccess): string {
  if (!f.accepted) return '';
  return ` (accepted: ${f.accepted.reason}${f.accepted.ticket !== undefined ? `, ${f.accepted.ticket}` : ''})`;
}

/** The security findings about one principal, first under its heading: a reviewer reads the risk before the detail. */
function findingLines(findings: readonly FindingAccess[], where: Where): string[] {
  if (findings.length === 0) return [];
  return ['  security findings:', ...findings.map((f) => `    - ${findingWords(f)}  ${where(f.source)}`)];
}

/** The terminal table. Each line is shown through visibleText: no value can move the cursor, recolour or reorder it. */
export function formatAccessTable(report: AccessReport, where: Where): string {
  const lines: string[] = [];
  const managed = (arn: string) => {
    const policy = managedPolicy(arn);
    return policy.awsManaged ? `${policy.name} (AWS managed, not expanded)` : policy.name;
  };
  for (const role of report.roles) {
    lines.push(`ROLE ${role.role}  (${role.arn}, sessions up to ${role.maxSession})  ${where(role.source)}`);
    lines.push(...findingLines(role.findings, where));
    lines.push('  assumed by:');
    for (const path of role.assumedBy) {
      const conditions = path.conditions.length > 0 ? ` — ${path.conditions.join(', ')}` : '';
      lines.push(`    - ${path.who}${conditions}${pathNote(path, where)}  ${where(path.source)}`);
    }
    if (role.reachedThrough.length > 0) lines.push('  reached through other roles by:');
    for (const chain of role.reachedThrough) lines.push(`    - ${chain.who} through ${chain.through.join(' → ')}${chain.conditions.length > 0 ? ` — ${chain.conditions.join(', ')}` : ''}`);
    lines.push('  may:');
    for (const arn of role.permissions.managedPolicies) lines.push(`    - ${managed(arn)}`);
    for (const s of role.permissions.statements) lines.push(`    - ${statementWords(s)}`);
    if (role.permissions.managedPolicies.length + role.permissions.statements.length === 0) lines.push('    - nothing');
    lines.push('');
  }
  for (const user of report.users) {
    lines.push(`USER ${user.user}  (${user.arn}${user.requireMfa ? ', nothing without MFA' : ''})  ${where(user.source)}`);
    lines.push(...findingLines(user.findings, where));
    lines.push('  may assume:');
    for (const a of user.canAssume) lines.push(`    - ${a.role}${viaWords(a.via)}${groupWords(a.throughGroup)}${a.conditions.length > 0 ? ` — ${a.conditions.join(', ')}` : ''}`);
    if (user.canAssume.length === 0) lines.push('    - no role');
    if (user.reaches.length > 0) lines.push('  reaches through other roles:');
    for (const r of user.reaches) lines.push(`    - ${r.role} through ${r.through.join(' → ')}${r.conditions.length > 0 ? ` — ${r.conditions.join(', ')}` : ''}`);
    const direct = user.permissions.statements.filter((s) => s.policy !== 'rolecall-require-mfa');
    if (direct.length + user.permissions.managedPolicies.length > 0) {
      lines.push('  may directly:');
      for (const arn of user.permissions.managedPolicies) lines.push(`    - ${managed(arn)}`);
      for (const s of direct) lines.push(`    - ${statementWords(s)}`);
    }
    for (const membership of user.groups) {
      lines.push(`  may through group ${membership.group}:`);
      for (const arn of membership.permissions.managedPolicies) lines.push(`    - ${managed(arn)}`);
      for (const s of membership.permissions.statements) lines.push(`    - ${statementWords(s)}`);
      if (membership.permissions.managedPolicies.length + membership.permissions.statements.length === 0) lines.push('    - nothing but the roles above');
    }
    if (user.federation) {
      lines.push('  may hand out federated sessions (sts:GetFederationToken) with at most:');
      for (const s of user.federation) lines.push(`    - ${statementWords(s)}`);
    }
    lines.push('');
  }
  for (const group of report.groups) {
    lines.push(`GROUP ${group.group}  (${group.arn}, members: ${group.members.length > 0 ? group.members.join(', ') : 'none'})  ${where(group.source)}`);
    lines.push(...findingLines(group.findings, where));
    lines.push('  gives its members:');
    for (const arn of group.permissions.managedPolicies) lines.push(`    - ${managed(arn)}`);
    for (const s of group.permissions.statements) lines.push(`    - ${statementWords(s)}`);
    if (group.permissions.managedPolicies.length + group.permissions.statements.length === 0) lines.push('    - no permissions (its AssumeRole grants show on each member)');
    lines.push('');
  }
  for (const provider of report.providers) lines.push(`PROVIDER ${provider.provider}  ${where(provider.source)}`, ...findingLines(provider.findings, where), '');
  return `${lines.map(visibleText).join('\n').trimEnd()}\n`;
}

const list = (values: readonly string[], none: Markdown) => (values.length > 0 ? join(values.map((v) => md`${v}`), md`, `) : none);

function managedMarkdown(arn: string): Markdown {
  const policy = managedPolicy(arn);
  return policy.awsManaged ? md`${policy.name} (AWS managed, not expanded)` : md`${policy.name}`;
}

function statementMarkdown(s: StatementAccess): Markdown {
  const what = s.allBut ? md`everything but ${list(s.allBut, md`nothing`)}` : join(s.actions.map((a) => md`${actionWords(a)}`), md`; `);
  const when = s.conditions.length > 0 ? md` when ${list(s.conditions, md``)}` : md``;
  const effect = s.effect === 'Allow' ? md`allow` : md`DENY`;
  const resources = s.resourcesAllBut ? md`every resource but ${list(s.resourcesAllBut, md``)}` : list(s.resources, md`no resource`);
  return md`${effect} ${what} on ${resources}${when}, policy ${s.policy}`;
}

/** `error RULE — accepted: REASON, TICKET (at …): message (at …)`; `on SUBJECT` where the context does not say it. */
export function findingMarkdown(f: FindingAccess, where: Where, subject: 'with-subject' | 'without-subject' = 'without-subject'): Markdown {
  const severity = f.severity === 'error' ? md`**error**` : md`warning`;
  const about = subject === 'with-subject' ? md` on ${f.subject}` : md``;
  const accepted = f.accepted
    ? md` — accepted: ${f.accepted.reason}${f.accepted.ticket !== undefined ? md`, ${f.accepted.ticket}` : md``} (at ${where(f.accepted.source)})`
    : md``;
  return md`${severity} ${f.rule}${about}${accepted}: ${f.message} (at ${where(f.source)})`;
}

function findingsMarkdown(findings: readonly FindingAccess[], where: Where): Markdown[] {
  if (findings.length === 0) return [];
  return [md`Security findings:`, md``, ...findings.map((f) => md`- ${findingMarkdown(f, where)}`), md``];
}

/**
 * The report for a review: every value in a code span (see markdownText), so none can pose as markup.
 * Given the trust graph, it comes first, as a mermaid diagram (see mermaidGraph).
 */
export function formatAccessMarkdown(report: AccessReport, where: Where, graph?: TrustGraph): string {
  const lines: Markdown[] = [md`# Access report`, md``];
  if (graph) lines.push(md`## Trust graph`, md``, ...mermaidMarkdown(mermaidGraph(graph), graph.edges.length, 'rolecall access --format mermaid'), md``);
  lines.push(md`## Roles`, md``);
  for (const role of report.roles) {
    lines.push(
      md`### ${role.role}`,
      md``,
      md`ARN ${role.arn}, sessions up to ${role.maxSession}, defined at ${where(role.source)}`,
      md``,
      ...findingsMarkdown(role.findings, where),
      md`| who may assume it | conditions | notes |`,
      md`|---|---|---|`,
    );
    for (const path of role.assumedBy) {
      const notes = [path.notes.reason, path.notes.ticket, path.notes.owner].filter((n): n is string => Boolean(n));
      const who = path.blockedBy
        ? md`~~${path.who}~~ BLOCKED by its own deny (${path.blockedBy.policy} at ${where(path.blockedBy.source)})`
        : path.allowedBy
          ? md`${path.who}, allowed at ${where(path.allowedBy.source)}`
          : md`${path.who}`;
      lines.push(tableRow([who, list(path.conditions, md`—`), join(notes.length > 0 ? notes.map((n) => md`${n}`) : [md`—`], md`; `)]));
    }
    if (role.reachedThrough.length > 0) lines.push(md``, md`Reached through other roles by:`, md``);
    for (const chain of role.reachedThrough) {
      lines.push(md`- ${chain.who} through ${join(chain.through.map((r) => md`${r}`), md` → `)}${chain.conditions.length > 0 ? md` (${list(chain.conditions, md``)})` : md``}`);
    }
    lines.push(md``, md`What it may do:`, md``);
    for (const arn of role.permissions.managedPolicies) lines.push(md`- ${managedMarkdown(arn)}`);
    for (const s of role.permissions.statements) lines.push(md`- ${statementMarkdown(s)}`);
    if (role.permissions.managedPolicies.length + role.permissions.statements.length === 0) lines.push(md`- nothing`);
    lines.push(md``);
  }
  lines.push(md`## Users`, md``);
  for (const user of report.users) {
    lines.push(md`### ${user.user}`, md``, md`ARN ${user.arn}${user.requireMfa ? md`; nothing without MFA` : md``}`, md``, ...findingsMarkdown(user.findings, where));
    for (const a of user.canAssume) {
      const via = a.via === 'identity-policy' ? md`, by its own policy through a trust in its account` : md``;
      const through = a.throughGroup !== undefined ? md` through group ${a.throughGroup}` : md``;
      lines.push(md`- may assume ${a.role}${via}${through}${a.conditions.length > 0 ? md` (${list(a.conditions, md``)})` : md``}`);
    }
    for (const r of user.reaches) {
      lines.push(md`- reaches ${r.role} through ${join(r.through.map((x) => md`${x}`), md` → `)}${r.conditions.length > 0 ? md` (${list(r.conditions, md``)})` : md``}`);
    }
    for (const arn of user.permissions.managedPolicies) lines.push(md`- ${managedMarkdown(arn)}`);
    for (const s of user.permissions.statements.filter((s) => s.policy !== 'rolecall-require-mfa')) lines.push(md`- ${statementMarkdown(s)}`);
    for (const membership of user.groups) {
      for (const arn of membership.permissions.managedPolicies) lines.push(md`- through group ${membership.group}: ${managedMarkdown(arn)}`);
      for (const s of membership.permissions.statements) lines.push(md`- through group ${membership.group}: ${statementMarkdown(s)}`);
    }
    for (const s of user.federation ?? []) lines.push(md`- hands out federated sessions with at most: ${statementMarkdown(s)}`);
    lines.push(md``);
  }
  if (report.groups.length > 0) lines.push(md`## Groups`, md``);
  for (const group of report.groups) {
    const members = group.members.length > 0 ? list(group.members, md``) : md`none`;
    lines.push(md`### ${group.group}`, md``, md`ARN ${group.arn}, members ${members}, defined at ${where(group.source)}`, md``, ...findingsMarkdown(group.findings, where));
    for (const arn of group.permissions.managedPolicies) lines.push(md`- ${managedMarkdown(arn)}`);
    for (const s of group.permissions.statements) lines.push(md`- ${statementMarkdown(s)}`);
    lines.push(md``);
  }
  if (report.providers.length > 0) lines.push(md`## Identity providers`, md``);
  for (const provider of report.providers) lines.push(md`### ${provider.provider}`, md``, md`Defined at ${where(provider.source)}`, md``, ...findingsMarkdown(provider.findings, where));
  return markdownDocument(lines);
}

export function formatAccessJson(report: AccessReport, where: Where): string {
  return `${visibleOutput(JSON.stringify(report, (key, value: unknown) => (key === 'source' ? where(value as SourceRef) : value), 2))}\n`;
}
