import type { SourceRef } from '../diagnostics/diagnostic';
import type { AccessReport, ActionAccess, StatementAccess } from './accessReport';

/** Turns a SourceRef into `FILE:LINE:COL`; given by the edge, which has the sources. */
export type Where = (ref: SourceRef) => string;

const MANAGED = /^arn:[^:]+:iam::aws:policy\//;

function managedName(arn: string): string {
  return MANAGED.test(arn) ? `${arn.replace(MANAGED, '')} (AWS managed, not expanded)` : arn;
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

function statementWords(s: StatementAccess): string {
  const what = s.allBut ? `everything but ${s.allBut.join(', ')}` : s.actions.map(actionWords).join('; ');
  const when = s.conditions.length > 0 ? ` when ${s.conditions.join(', ')}` : '';
  return `${s.effect === 'Allow' ? 'allow' : 'DENY'} ${what} on ${s.resources.join(', ')}${when} [${s.policy}]`;
}

export function formatAccessTable(report: AccessReport, where: Where): string {
  const lines: string[] = [];
  for (const role of report.roles) {
    lines.push(`ROLE ${role.role}  (${role.arn}, sessions up to ${role.maxSession})  ${where(role.source)}`);
    lines.push('  assumed by:');
    for (const path of role.assumedBy) {
      const conditions = path.conditions.length > 0 ? ` — ${path.conditions.join(', ')}` : '';
      lines.push(`    - ${path.who}${conditions}  ${where(path.source)}`);
    }
    lines.push('  may:');
    for (const arn of role.permissions.managedPolicies) lines.push(`    - ${managedName(arn)}`);
    for (const s of role.permissions.statements) lines.push(`    - ${statementWords(s)}`);
    if (role.permissions.managedPolicies.length + role.permissions.statements.length === 0) lines.push('    - nothing');
    lines.push('');
  }
  for (const user of report.users) {
    lines.push(`USER ${user.user}  (${user.arn}${user.requireMfa ? ', nothing without MFA' : ''})  ${where(user.source)}`);
    lines.push('  may assume:');
    for (const a of user.canAssume) lines.push(`    - ${a.role}${a.conditions.length > 0 ? ` — ${a.conditions.join(', ')}` : ''}`);
    if (user.canAssume.length === 0) lines.push('    - no role');
    const direct = user.permissions.statements.filter((s) => s.policy !== 'rolecall-require-mfa');
    if (direct.length + user.permissions.managedPolicies.length > 0) {
      lines.push('  may directly:');
      for (const arn of user.permissions.managedPolicies) lines.push(`    - ${managedName(arn)}`);
      for (const s of direct) lines.push(`    - ${statementWords(s)}`);
    }
    if (user.federation) {
      lines.push('  may hand out federated sessions (sts:GetFederationToken) with at most:');
      for (const s of user.federation) lines.push(`    - ${statementWords(s)}`);
    }
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

export function formatAccessMarkdown(report: AccessReport, where: Where): string {
  const lines: string[] = ['# Access report', '', '## Roles', ''];
  for (const role of report.roles) {
    lines.push(`### \`${role.role}\``, '', `${role.arn}, sessions up to ${role.maxSession} (${where(role.source)})`, '', '| who may assume it | conditions | notes |', '|---|---|---|');
    for (const path of role.assumedBy) {
      const notes = [path.notes.reason, path.notes.ticket, path.notes.owner].filter(Boolean).join('; ');
      lines.push(`| ${path.who} | ${path.conditions.join(', ') || '—'} | ${notes || '—'} |`);
    }
    lines.push('', 'What it may do:', '');
    for (const arn of role.permissions.managedPolicies) lines.push(`- ${managedName(arn)}`);
    for (const s of role.permissions.statements) lines.push(`- ${statementWords(s)}`);
    if (role.permissions.managedPolicies.length + role.permissions.statements.length === 0) lines.push('- nothing');
    lines.push('');
  }
  lines.push('## Users', '');
  for (const user of report.users) {
    lines.push(`### \`${user.user}\``, '', `${user.arn}${user.requireMfa ? '; nothing without MFA' : ''}`, '');
    for (const a of user.canAssume) lines.push(`- may assume \`${a.role}\`${a.conditions.length > 0 ? ` (${a.conditions.join(', ')})` : ''}`);
    for (const arn of user.permissions.managedPolicies) lines.push(`- ${managedName(arn)}`);
    for (const s of user.permissions.statements.filter((s) => s.policy !== 'rolecall-require-mfa')) lines.push(`- ${statementWords(s)}`);
    for (const s of user.federation ?? []) lines.push(`- hands out federated sessions with at most: ${statementWords(s)}`);
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

export function formatAccessJson(report: AccessReport, where: Where): string {
  return `${JSON.stringify(report, (key, value: unknown) => (key === 'source' ? where(value as SourceRef) : value), 2)}\n`;
}
