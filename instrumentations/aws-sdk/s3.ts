// S3 (object-stores/s3.md): the bucket and key the request names, and the copy source, multipart
// upload id and part number, and the objects of a DeleteObjects request, as the S3 API's parameters give them.

import type { Attributes } from '@opentelemetry/api';
import type { Fields, ServiceRules } from './services.js';
import {
  ATTR_AWS_S3_BUCKET,
  ATTR_AWS_S3_COPY_SOURCE,
  ATTR_AWS_S3_DELETE,
  ATTR_AWS_S3_KEY,
  ATTR_AWS_S3_PART_NUMBER,
  ATTR_AWS_S3_UPLOAD_ID,
} from './semconv.js';

function setString(attributes: Attributes, key: string, value: unknown): void {
  if (typeof value === 'string' && value !== '') attributes[key] = value;
}

/** The `--delete` parameter in the S3 API's shorthand: `Objects=[{Key=a,VersionId=v},{Key=b}],Quiet=true`. */
function deleteShorthand(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const { Objects, Quiet } = value as { Objects?: unknown; Quiet?: unknown };
  if (!Array.isArray(Objects)) return undefined;
  const objects: string[] = [];
  for (const object of Objects) {
    if (object === null || typeof object !== 'object') continue;
    const { Key, VersionId } = object as { Key?: unknown; VersionId?: unknown };
    objects.push(VersionId === undefined ? `{Key=${String(Key)}}` : `{Key=${String(Key)},VersionId=${String(VersionId)}}`);
  }
  const text = `Objects=[${objects.join(',')}]`;
  return typeof Quiet === 'boolean' ? `${text},Quiet=${Quiet}` : text;
}

export const s3: ServiceRules = {
  requestAttributes(method: string, input: Fields, attributes: Attributes): void {
    setString(attributes, ATTR_AWS_S3_BUCKET, input.Bucket);
    setString(attributes, ATTR_AWS_S3_KEY, input.Key);
    setString(attributes, ATTR_AWS_S3_COPY_SOURCE, input.CopySource);
    setString(attributes, ATTR_AWS_S3_UPLOAD_ID, input.UploadId);
    if (typeof input.PartNumber === 'number') attributes[ATTR_AWS_S3_PART_NUMBER] = input.PartNumber;
    if (method === 'DeleteObjects') {
      const text = deleteShorthand(input.Delete);
      if (text !== undefined) attributes[ATTR_AWS_S3_DELETE] = text;
    }
  },
};
