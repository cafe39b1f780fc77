import { splitRawUrl } from './raw-url.ts';

/** S3 API operation names the emulator tells apart; anything else is counted as `Unknown`. */
export type S3Operation =
  | 'HeadObject'
  | 'GetObject'
  | 'PutObject'
  | 'DeleteObject'
  | 'CopyObject'
  | 'ListObjectsV2'
  | 'ListObjects'
  | 'HeadBucket'
  | 'ListBuckets'
  | 'CreateBucket'
  | 'DeleteObjects'
  | 'Unknown';

export interface ClassifiableRequest {
  readonly method: string;
  /** The request target as received (`req.url`): path-style `/<bucket>/<key>?<query>`. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/**
 * Query parameters that select a sub-resource (ACL, tagging, multipart upload, bucket configuration…).
 * Their presence turns a plain GET/PUT/DELETE into another S3 operation, which we count as `Unknown`.
 * `versionId`, `partNumber`, `x-id` and the `response-*` overrides do not change the operation.
 */
const SUB_RESOURCES = new Set([
  'accelerate', 'acl', 'analytics', 'attributes', 'cors', 'encryption', 'intelligent-tiering',
  'inventory', 'legal-hold', 'lifecycle', 'location', 'logging', 'metrics', 'notification',
  'object-lock', 'ownershipControls', 'policy', 'policyStatus', 'publicAccessBlock', 'replication',
  'requestPayment', 'restore', 'retention', 'select', 'tagging', 'torrent', 'uploadId', 'uploads',
  'versioning', 'versions', 'website', 'delete',
]);

/** Names the S3 operation of a path-style request from its method, path, query and headers. */
export function classifyS3Operation(request: ClassifiableRequest): S3Operation {
  const { path, query } = splitRawUrl(request.url);
  const method = request.method.toUpperCase();
  const names = new Set(query.map(([name]) => name));
  const subResources = [...names].filter((name) => SUB_RESOURCES.has(name));

  const [, bucket = '', ...keyParts] = path.split('/');
  const key = keyParts.join('/');

  if (bucket === '') {
    return method === 'GET' && subResources.length === 0 ? 'ListBuckets' : 'Unknown';
  }

  if (key === '') {
    if (method === 'POST') {
      return subResources.length === 1 && names.has('delete') ? 'DeleteObjects' : 'Unknown';
    }
    if (subResources.length > 0) return 'Unknown';
    switch (method) {
      case 'HEAD':
        return 'HeadBucket';
      case 'GET':
        return query.some(([name, value]) => name === 'list-type' && value === '2') ? 'ListObjectsV2' : 'ListObjects';
      case 'PUT':
        return 'CreateBucket';
      default:
        return 'Unknown';
    }
  }

  if (subResources.length > 0) return 'Unknown';
  switch (method) {
    case 'HEAD':
      return 'HeadObject';
    case 'GET':
      return 'GetObject';
    case 'PUT':
      // A presigned CopyObject carries the header hoisted into the query string.
      return request.headers['x-amz-copy-source'] !== undefined || names.has('x-amz-copy-source')
        ? 'CopyObject'
        : 'PutObject';
    case 'DELETE':
      return 'DeleteObject';
    default:
      return 'Unknown';
  }
}
