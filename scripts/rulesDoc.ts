// Writes docs/rules.md from the security rules (npm run docs:rules).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SECURITY_RULES } from '../src/analysers/rules';
import { rulesDocument } from '../src/analysers/rules/rulesDoc';

fs.writeFileSync(path.join(__dirname, '..', 'docs', 'rules.md'), rulesDocument(SECURITY_RULES));
