/**
 * A managed policy's document is model data for the analysers: the stacks
 * attach the policy by ARN and never emit its document.
 */
import * as path from 'node:path';
import type { AccessModel } from '../../src/model/accessModel';
import { compile } from '../../src/pipeline/compile';
import { readTree, removeSynthesizedDirs, synthesizeToTempDir } from './synthesized';

afterAll(removeSynthesizedDirs);

function withoutDocuments(model: AccessModel): AccessModel {
  const strip = <T extends AccessModel['users'][number] | AccessModel['roles'][number]>(principal: T): T => {
    const { permissionsBoundaryDocument: _boundary, ...rest } = principal;
    return { ...rest, managedPolicies: principal.managedPolicies.map(({ document: _document, ...attachment }) => attachment) } as unknown as T;
  };
  return { ...model, users: model.users.map(strip), roles: model.roles.map(strip) };
}

test('the example stacks are the same bytes with and without the managed policies documents', async () => {
  const result = await compile('config', { cwd: path.resolve(__dirname, '../..') });
  const model = result.model!;
  expect(model.roles.filter((r) => r.managedPolicies.some((m) => m.document !== undefined)).map((r) => r.name)).toEqual(['ingest-lambda', 's3-reader']);
  const withDocuments = readTree(synthesizeToTempDir(model).outdir);
  const stripped = readTree(synthesizeToTempDir(withoutDocuments(model)).outdir);
  expect([...withDocuments.keys()].sort()).toEqual([...stripped.keys()].sort());
  for (const [file, bytes] of withDocuments) expect({ file, text: stripped.get(file)?.toString('utf8') }).toEqual({ file, text: bytes.toString('utf8') });
  // Nothing of a document's content leaks into a stack: s3-object-lambda:Get* is only in AmazonS3ReadOnlyAccess.
  expect([...withDocuments.values()].some((b) => b.toString('utf8').includes('s3-object-lambda'))).toBe(false);
});
