// DynamoDB (db/dynamodb.md): the aws.dynamodb.* attributes the page lists for each operation. Request
// parameters are read wherever the request has them (they mean the same in every operation that
// takes them); the response's Count, ScannedCount and table count only where the page lists them
// (Scan, ListTables). Structured values are JSON-serialized, one string per item, as the page says.
// Every call is measured in db.client.operation.duration, as the page asks ("according to the general
// database client metrics", db.system.name `aws.dynamodb`): db.operation.name is the operation, and
// db.collection.name the table when the call names exactly one.

import type { Attributes, Span } from '@opentelemetry/api';
import { ATTR_DB_COLLECTION_NAME, ATTR_DB_OPERATION_NAME, ATTR_DB_SYSTEM_NAME } from '../db/semconv.js';
import type { AwsTelemetry } from './aws-call.js';
import type { Fields, ServiceRules } from './services.js';
import {
  ATTR_AWS_DYNAMODB_ATTRIBUTE_DEFINITIONS,
  ATTR_AWS_DYNAMODB_ATTRIBUTES_TO_GET,
  ATTR_AWS_DYNAMODB_CONSISTENT_READ,
  ATTR_AWS_DYNAMODB_CONSUMED_CAPACITY,
  ATTR_AWS_DYNAMODB_COUNT,
  ATTR_AWS_DYNAMODB_EXCLUSIVE_START_TABLE,
  ATTR_AWS_DYNAMODB_GLOBAL_SECONDARY_INDEX_UPDATES,
  ATTR_AWS_DYNAMODB_GLOBAL_SECONDARY_INDEXES,
  ATTR_AWS_DYNAMODB_INDEX_NAME,
  ATTR_AWS_DYNAMODB_ITEM_COLLECTION_METRICS,
  ATTR_AWS_DYNAMODB_LIMIT,
  ATTR_AWS_DYNAMODB_LOCAL_SECONDARY_INDEXES,
  ATTR_AWS_DYNAMODB_PROJECTION,
  ATTR_AWS_DYNAMODB_PROVISIONED_READ_CAPACITY,
  ATTR_AWS_DYNAMODB_PROVISIONED_WRITE_CAPACITY,
  ATTR_AWS_DYNAMODB_SCAN_FORWARD,
  ATTR_AWS_DYNAMODB_SCANNED_COUNT,
  ATTR_AWS_DYNAMODB_SEGMENT,
  ATTR_AWS_DYNAMODB_SELECT,
  ATTR_AWS_DYNAMODB_TABLE_COUNT,
  ATTR_AWS_DYNAMODB_TABLE_NAMES,
  ATTR_AWS_DYNAMODB_TOTAL_SEGMENTS,
} from './semconv.js';

function json(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

/** Each item JSON-serialized; a single object counts as one item (ConsumedCapacity is one or a list). */
function jsonItems(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const items = Array.isArray(value) ? value : [value];
  const texts: string[] = [];
  for (const item of items) {
    const text = json(item);
    if (text !== undefined) texts.push(text);
  }
  return texts.length === 0 ? undefined : texts;
}

function setItems(attributes: Attributes, key: string, value: unknown): void {
  const texts = jsonItems(value);
  if (texts !== undefined) attributes[key] = texts;
}

function tableNames(input: Fields): string[] | undefined {
  if (typeof input.TableName === 'string') return [input.TableName];
  const requestItems = input.RequestItems;
  if (requestItems !== null && typeof requestItems === 'object') {
    const names = Object.keys(requestItems);
    return names.length === 0 ? undefined : names;
  }
  return undefined;
}

const DB_SYSTEM_DYNAMODB = 'aws.dynamodb';

export const dynamodb: ServiceRules = {
  metricAttributes(method: string, input: Fields | undefined): Attributes {
    const attributes: Attributes = { [ATTR_DB_SYSTEM_NAME]: DB_SYSTEM_DYNAMODB, [ATTR_DB_OPERATION_NAME]: method };
    const tables = input === undefined ? undefined : tableNames(input);
    if (tables !== undefined && tables.length === 1) attributes[ATTR_DB_COLLECTION_NAME] = tables[0];
    return attributes;
  },

  requestAttributes(method: string, input: Fields, attributes: Attributes): void {
    const tables = tableNames(input);
    if (tables !== undefined) attributes[ATTR_AWS_DYNAMODB_TABLE_NAMES] = tables;
    if (typeof input.ConsistentRead === 'boolean') attributes[ATTR_AWS_DYNAMODB_CONSISTENT_READ] = input.ConsistentRead;
    if (typeof input.ProjectionExpression === 'string') attributes[ATTR_AWS_DYNAMODB_PROJECTION] = input.ProjectionExpression;
    if (Array.isArray(input.AttributesToGet)) attributes[ATTR_AWS_DYNAMODB_ATTRIBUTES_TO_GET] = input.AttributesToGet.filter((name): name is string => typeof name === 'string');
    if (typeof input.IndexName === 'string') attributes[ATTR_AWS_DYNAMODB_INDEX_NAME] = input.IndexName;
    if (typeof input.Limit === 'number') attributes[ATTR_AWS_DYNAMODB_LIMIT] = input.Limit;
    if (typeof input.ScanIndexForward === 'boolean') attributes[ATTR_AWS_DYNAMODB_SCAN_FORWARD] = input.ScanIndexForward;
    if (typeof input.Select === 'string') attributes[ATTR_AWS_DYNAMODB_SELECT] = input.Select;
    if (typeof input.Segment === 'number') attributes[ATTR_AWS_DYNAMODB_SEGMENT] = input.Segment;
    if (typeof input.TotalSegments === 'number') attributes[ATTR_AWS_DYNAMODB_TOTAL_SEGMENTS] = input.TotalSegments;
    if (typeof input.ExclusiveStartTableName === 'string') attributes[ATTR_AWS_DYNAMODB_EXCLUSIVE_START_TABLE] = input.ExclusiveStartTableName;
    setItems(attributes, ATTR_AWS_DYNAMODB_GLOBAL_SECONDARY_INDEXES, input.GlobalSecondaryIndexes);
    setItems(attributes, ATTR_AWS_DYNAMODB_LOCAL_SECONDARY_INDEXES, input.LocalSecondaryIndexes);
    setItems(attributes, ATTR_AWS_DYNAMODB_ATTRIBUTE_DEFINITIONS, method === 'UpdateTable' ? input.AttributeDefinitions : undefined);
    setItems(attributes, ATTR_AWS_DYNAMODB_GLOBAL_SECONDARY_INDEX_UPDATES, input.GlobalSecondaryIndexUpdates);
    const throughput = input.ProvisionedThroughput as { ReadCapacityUnits?: unknown; WriteCapacityUnits?: unknown } | undefined;
    if (throughput !== null && typeof throughput === 'object') {
      if (typeof throughput.ReadCapacityUnits === 'number') attributes[ATTR_AWS_DYNAMODB_PROVISIONED_READ_CAPACITY] = throughput.ReadCapacityUnits;
      if (typeof throughput.WriteCapacityUnits === 'number') attributes[ATTR_AWS_DYNAMODB_PROVISIONED_WRITE_CAPACITY] = throughput.WriteCapacityUnits;
    }
  },

  responseAttributes(_aws: AwsTelemetry, method: string, output: Fields, span: Span): void {
    if (!span.isRecording()) return;
    const attributes: Attributes = {};
    setItems(attributes, ATTR_AWS_DYNAMODB_CONSUMED_CAPACITY, output.ConsumedCapacity);
    if (output.ItemCollectionMetrics !== undefined && output.ItemCollectionMetrics !== null) {
      const text = json(output.ItemCollectionMetrics);
      if (text !== undefined) attributes[ATTR_AWS_DYNAMODB_ITEM_COLLECTION_METRICS] = text;
    }
    if (method === 'Scan') {
      if (typeof output.Count === 'number') attributes[ATTR_AWS_DYNAMODB_COUNT] = output.Count;
      if (typeof output.ScannedCount === 'number') attributes[ATTR_AWS_DYNAMODB_SCANNED_COUNT] = output.ScannedCount;
    }
    if (method === 'ListTables' && Array.isArray(output.TableNames)) attributes[ATTR_AWS_DYNAMODB_TABLE_COUNT] = output.TableNames.length;
    span.setAttributes(attributes);
  },
};
