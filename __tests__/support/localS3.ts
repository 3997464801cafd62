/**
 * A local S3-compatible server for the S3 backend test: s3rver (path-style
 * requests, its own signature check with the keys S3RVER / S3RVER), behind a
 * thin front that adds what Terraform's lock file relies on and s3rver lacks,
 * S3's conditional write (`If-None-Match: *` on an existing object is 412
 * PreconditionFailed, as S3 has answered since 2024), and logs every request.
 * Beside it a stand-in for STS that answers AssumeRole with the server's own
 * keys and records which role was asked for.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The keys s3rver checks signatures against. */
export const LOCAL_S3_KEYS = { accessKey: 'S3RVER', secretKey: 'S3RVER' } as const;

export interface S3Request {
  readonly method: string;
  readonly bucket: string;
  /** The object key, decoded; '' for a request on the bucket. */
  readonly key: string;
  readonly status: number;
}

interface S3rverStore {
  existsObject(bucket: string, key: string): Promise<boolean>;
  getObject(bucket: string, key: string): Promise<{ content: NodeJS.ReadableStream } | null>;
  putObject(object: { bucket: string; key: string; content: Buffer; metadata: Record<string, string> }): Promise<unknown>;
  deleteObject(bucket: string, key: string): Promise<unknown>;
  listObjects(bucket: string, options: { maxKeys: number }): Promise<{ objects: { key: string }[] }>;
}

interface S3rverInstance {
  readonly store: S3rverStore;
  readonly logger: { exceptions: { unhandle(): void }; close(): void };
  configureBuckets(): Promise<void>;
  callback(): http.RequestListener;
}

type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;

export interface LocalS3 {
  /** `http://127.0.0.1:PORT`, for the backend's `endpoints.s3`. */
  readonly endpoint: string;
  /** The STS stand-in, for `endpoints.sts`. */
  readonly stsEndpoint: string;
  /** Every S3 request answered so far, in order. */
  readonly requests: readonly S3Request[];
  /** The RoleArn of every AssumeRole call so far, in order. */
  readonly assumedRoles: readonly string[];
  keys(bucket: string): Promise<string[]>;
  read(bucket: string, key: string): Promise<string | undefined>;
  put(bucket: string, key: string, text: string): Promise<void>;
  remove(bucket: string, key: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts the server on free ports, storing objects in `directory`, with `buckets` created. */
export async function startLocalS3(directory: string, buckets: readonly string[]): Promise<LocalS3> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const S3rver = require('s3rver') as S3rverClass;
  const s3rver = new S3rver({ directory, silent: true, configureBuckets: buckets.map((name) => ({ name, configs: [] })) });
  await s3rver.configureBuckets();
  const handle = s3rver.callback();
  const requests: S3Request[] = [];
  const assumedRoles: string[] = [];

  const s3 = http.createServer((req, res) => {
    const { bucket, key } = pathStyle(req.url ?? '/');
    res.on('finish', () => requests.push({ method: req.method ?? '', bucket, key, status: res.statusCode }));
    if (req.method === 'PUT' && req.headers['if-none-match'] === '*' && key !== '') {
      void s3rver.store.existsObject(bucket, key).then((exists) => {
        if (!exists) return handle(req, res);
        req.resume();
        req.on('end', () => {
          res.writeHead(412, { 'content-type': 'application/xml' });
          res.end('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message><Condition>If-None-Match</Condition></Error>');
        });
      });
      return;
    }
    handle(req, res);
  });
  const sts = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const params = new URLSearchParams(body);
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(stsAnswer(params, assumedRoles));
    });
  });

  const listen = (server: http.Server) =>
    new Promise<string>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
    });
  const endpoint = await listen(s3);
  const stsEndpoint = await listen(sts);

  return {
    endpoint,
    stsEndpoint,
    requests,
    assumedRoles,
    async keys(bucket) {
      const listed = await s3rver.store.listObjects(bucket, { maxKeys: 1000 });
      return listed.objects.map((o) => o.key).sort();
    },
    async read(bucket, key) {
      const object = await s3rver.store.getObject(bucket, key);
      if (!object) return undefined;
      let text = '';
      for await (const chunk of object.content) text += chunk.toString();
      return text;
    },
    async put(bucket, key, text) {
      await s3rver.store.putObject({ bucket, key, content: Buffer.from(text), metadata: { 'content-type': 'application/json' } });
    },
    async remove(bucket, key) {
      await s3rver.store.deleteObject(bucket, key);
    },
    async close() {
      const closing = (server: http.Server) => new Promise<void>((resolve) => server.close(() => resolve()));
      s3.closeAllConnections();
      sts.closeAllConnections();
      await Promise.all([closing(s3), closing(sts)]);
      s3rver.logger.exceptions.unhandle();
      s3rver.logger.close();
    },
  };
}

function pathStyle(url: string): { bucket: string; key: string } {
  const pathname = new URL(url, 'http://local').pathname;
  const [bucket = '', ...rest] = pathname.slice(1).split('/');
  return { bucket: decodeURIComponent(bucket), key: decodeURIComponent(rest.join('/')) };
}

/** STS's query-protocol answer: AssumeRole gets the local server's keys, GetCallerIdentity an identity. */
function stsAnswer(params: URLSearchParams, assumedRoles: string[]): string {
  const xmlns = 'https://sts.amazonaws.com/doc/2011-06-15/';
  const action = params.get('Action');
  if (action === 'AssumeRole') {
    const roleArn = params.get('RoleArn') ?? '';
    assumedRoles.push(roleArn);
    const account = roleArn.split(':')[4] ?? '000000000000';
    const role = roleArn.slice(roleArn.lastIndexOf('/') + 1);
    return `<AssumeRoleResponse xmlns="${xmlns}"><AssumeRoleResult><Credentials><AccessKeyId>${LOCAL_S3_KEYS.accessKey}</AccessKeyId><SecretAccessKey>${LOCAL_S3_KEYS.secretKey}</SecretAccessKey><SessionToken>local-session</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::${account}:assumed-role/${role}/local</Arn><AssumedRoleId>AROALOCAL:local</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>local</RequestId></ResponseMetadata></AssumeRoleResponse>`;
  }
  return `<GetCallerIdentityResponse xmlns="${xmlns}"><GetCallerIdentityResult><Arn>arn:aws:iam::000000000000:user/local</Arn><UserId>AIDALOCAL</UserId><Account>000000000000</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>local</RequestId></ResponseMetadata></GetCallerIdentityResponse>`;
}
