/** An IAM policy document as emitted, parsed: what tests assert properties on. */
export interface Statement {
  Sid?: string;
  Effect: string;
  Action?: string[];
  NotAction?: string[];
  Resource?: string[];
  Principal?: Record<string, string[]>;
  Condition?: Record<string, Record<string, string[]>>;
}

export interface Policy {
  Version: string;
  Statement: Statement[];
}

export function parsePolicy(json: unknown): Policy {
  return JSON.parse(json as string) as Policy;
}
