// Query and Scan through the AWS SDK for JavaScript v3: the seeds' list-conversations pattern
// (newest first, 20 at a time, begins_with on the sort key), the GSI query of the stream Lambda,
// and the SDK's own paginators walking LastEvaluatedKey to the end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient, PutCommand, QueryCommand, paginateQuery, paginateScan,
} from '@aws-sdk/lib-dynamodb';
import { clientFor, startEddy } from './eddy_server.js';

let server;
let client;
let documents;
const TableName = 'cruddur-messages';
const group = 'GRP#5ae290ed';

before(async () => {
  server = await startEddy();
  client = clientFor(server, 'AKIDJSQUERY');
  documents = DynamoDBDocumentClient.from(client);
  await client.send(new CreateTableCommand({
    TableName,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'message_group_uuid', AttributeType: 'S' },
    ],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    GlobalSecondaryIndexes: [{
      IndexName: 'message-group-sk-index',
      KeySchema: [
        { AttributeName: 'message_group_uuid', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    }],
    BillingMode: 'PAY_PER_REQUEST',
  }));
  for (let day = 1; day <= 25; day += 1) {
    const sk = `2023-03-${String(day).padStart(2, '0')}T12:00:00+00:00`;
    await documents.send(new PutCommand({
      TableName,
      Item: { pk: group, sk, message_group_uuid: 'uuid-1', message: `hello ${day}` },
    }));
  }
  await documents.send(new PutCommand({
    TableName, Item: { pk: group, sk: '2022-12-31T12:00:00+00:00', message_group_uuid: 'uuid-1' },
  }));
});

after(async () => {
  client?.destroy();
  await server?.stop();
});

test('list-conversations: newest first, 20 at a time, this year only', async () => {
  const page = await documents.send(new QueryCommand({
    TableName,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :year)',
    ExpressionAttributeValues: { ':pk': group, ':year': '2023' },
    ScanIndexForward: false,
    Limit: 20,
    ReturnConsumedCapacity: 'TOTAL',
  }));
  assert.equal(page.Count, 20);
  assert.equal(page.Items[0].message, 'hello 25');
  assert.equal(page.Items[19].message, 'hello 6');
  assert.deepEqual(page.LastEvaluatedKey, { pk: group, sk: '2023-03-06T12:00:00+00:00' });
  assert.equal(page.ConsumedCapacity.TableName, TableName);
});

test('the paginator walks every page of the GSI, and a Scan sees every item', async () => {
  const seen = [];
  const pages = paginateQuery({ client: documents, pageSize: 7 }, {
    TableName,
    IndexName: 'message-group-sk-index',
    KeyConditionExpression: 'message_group_uuid = :uuid',
    ExpressionAttributeValues: { ':uuid': 'uuid-1' },
    ProjectionExpression: 'sk',
  });
  for await (const page of pages) seen.push(...page.Items.map((item) => item.sk));
  assert.equal(seen.length, 26);
  assert.deepEqual(seen, [...seen].sort());
  let scanned = 0;
  for await (const page of paginateScan({ client: documents, pageSize: 10 }, { TableName })) {
    scanned += page.Count;
  }
  assert.equal(scanned, 26);
});
