import type { PolicyStatement } from './accessModel';

/**
 * IAM refuses a policy in which two statements share a Sid, and a Sid holds
 * only [A-Za-z0-9]. Generated Sids can meet (my-bucket and my.bucket both
 * read as MyBucket), so the statements of one policy pass through here: the
 * first keeps its Sid, a later one takes the lowest free number after it
 * (MyBucket2). The statements keep their order, so the Sids are the same on
 * every run of the same config.
 */
export function uniqueSids(statements: readonly PolicyStatement[]): PolicyStatement[] {
  // A number is never appended onto a Sid that a later statement holds as its own.
  const reserved = new Set(statements.flatMap((s) => (s.sid === undefined ? [] : [s.sid])));
  const used = new Set<string>();
  return statements.map((statement) => {
    if (statement.sid === undefined) return statement;
    let sid = statement.sid;
    for (let n = 2; used.has(sid) || (sid !== statement.sid && reserved.has(sid)); n++) sid = `${statement.sid}${n}`;
    used.add(sid);
    return sid === statement.sid ? statement : { ...statement, sid };
  });
}
