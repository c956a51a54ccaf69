// The AWS SDK conventions as this instrumentation applies them. Followed: the semantic-conventions
// repository at 384d661 (v1.44.0 and later), where every page used here is Development:
// docs/cloud-providers/aws-sdk.md, docs/object-stores/s3.md, docs/db/dynamodb.md,
// docs/messaging/sqs.md and docs/messaging/sns.md.
// - Span name `{rpc.service}.{rpc.method}` (`S3.GetObject`, `DynamoDB.Query`), kind CLIENT, status
//   by the recording-errors rule; rpc.system is `aws-api` (the pages still require the deprecated
//   rpc.system, not rpc.system.name), rpc.service the SDK's service id, rpc.method the operation.
// - cloud.region, aws.request_id, aws.extended_request_id (x-amz-id-2) from the response.
// - S3 (s3.md): aws.s3.bucket, key, copy_source, upload_id, part_number, delete.
// - DynamoDB (dynamodb.md): the aws.dynamodb.* attributes each operation's table lists (dynamodb.ts).
// - SQS and SNS (sqs.md, sns.md) refine the messaging spans: sends, receives and deletes go through
//   the messaging helper (instrumentations/messaging), named `{operation} {queue or topic}`, with the
//   attributes above as well; messaging.system is `aws_sqs` and `aws.sns` as the pages spell them.
// - http.response.status_code is not on these pages: it is set as the stable HTTP attribute, since a
//   failed AWS call's status is what users filter by (the HTTP client span beneath has it too).

export const ATTR_RPC_SYSTEM = 'rpc.system';
export const ATTR_RPC_SERVICE = 'rpc.service';
export const ATTR_RPC_METHOD = 'rpc.method';
export const RPC_SYSTEM_AWS_API = 'aws-api';

export const ATTR_CLOUD_REGION = 'cloud.region';
export const ATTR_AWS_REQUEST_ID = 'aws.request_id';
export const ATTR_AWS_EXTENDED_REQUEST_ID = 'aws.extended_request_id';

export const ATTR_AWS_S3_BUCKET = 'aws.s3.bucket';
export const ATTR_AWS_S3_KEY = 'aws.s3.key';
export const ATTR_AWS_S3_COPY_SOURCE = 'aws.s3.copy_source';
export const ATTR_AWS_S3_UPLOAD_ID = 'aws.s3.upload_id';
export const ATTR_AWS_S3_PART_NUMBER = 'aws.s3.part_number';
export const ATTR_AWS_S3_DELETE = 'aws.s3.delete';

export const ATTR_AWS_DYNAMODB_TABLE_NAMES = 'aws.dynamodb.table_names';
export const ATTR_AWS_DYNAMODB_CONSUMED_CAPACITY = 'aws.dynamodb.consumed_capacity';
export const ATTR_AWS_DYNAMODB_ITEM_COLLECTION_METRICS = 'aws.dynamodb.item_collection_metrics';
export const ATTR_AWS_DYNAMODB_CONSISTENT_READ = 'aws.dynamodb.consistent_read';
export const ATTR_AWS_DYNAMODB_PROJECTION = 'aws.dynamodb.projection';
export const ATTR_AWS_DYNAMODB_ATTRIBUTES_TO_GET = 'aws.dynamodb.attributes_to_get';
export const ATTR_AWS_DYNAMODB_INDEX_NAME = 'aws.dynamodb.index_name';
export const ATTR_AWS_DYNAMODB_LIMIT = 'aws.dynamodb.limit';
export const ATTR_AWS_DYNAMODB_SCAN_FORWARD = 'aws.dynamodb.scan_forward';
export const ATTR_AWS_DYNAMODB_SELECT = 'aws.dynamodb.select';
export const ATTR_AWS_DYNAMODB_SEGMENT = 'aws.dynamodb.segment';
export const ATTR_AWS_DYNAMODB_TOTAL_SEGMENTS = 'aws.dynamodb.total_segments';
export const ATTR_AWS_DYNAMODB_COUNT = 'aws.dynamodb.count';
export const ATTR_AWS_DYNAMODB_SCANNED_COUNT = 'aws.dynamodb.scanned_count';
export const ATTR_AWS_DYNAMODB_EXCLUSIVE_START_TABLE = 'aws.dynamodb.exclusive_start_table';
export const ATTR_AWS_DYNAMODB_TABLE_COUNT = 'aws.dynamodb.table_count';
export const ATTR_AWS_DYNAMODB_GLOBAL_SECONDARY_INDEXES = 'aws.dynamodb.global_secondary_indexes';
export const ATTR_AWS_DYNAMODB_LOCAL_SECONDARY_INDEXES = 'aws.dynamodb.local_secondary_indexes';
export const ATTR_AWS_DYNAMODB_PROVISIONED_READ_CAPACITY = 'aws.dynamodb.provisioned_read_capacity';
export const ATTR_AWS_DYNAMODB_PROVISIONED_WRITE_CAPACITY = 'aws.dynamodb.provisioned_write_capacity';
export const ATTR_AWS_DYNAMODB_ATTRIBUTE_DEFINITIONS = 'aws.dynamodb.attribute_definitions';
export const ATTR_AWS_DYNAMODB_GLOBAL_SECONDARY_INDEX_UPDATES = 'aws.dynamodb.global_secondary_index_updates';

export const ATTR_AWS_SQS_QUEUE_URL = 'aws.sqs.queue.url';
export const ATTR_AWS_SNS_TOPIC_ARN = 'aws.sns.topic.arn';
export const MESSAGING_SYSTEM_SQS = 'aws_sqs';
export const MESSAGING_SYSTEM_SNS = 'aws.sns';
