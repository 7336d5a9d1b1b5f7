// The AWS SDK for JavaScript v3 against eddy: tables and items as an application uses them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand, DescribeTableCommand, ListTablesCommand,
  PutItemCommand, GetItemCommand, DeleteItemCommand, UpdateItemCommand, DeleteTableCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { clientFor, startEddy } from './eddy_server.js';

let server;
let client;

before(async () => {
  server = await startEddy();
  client = clientFor(server);
  await client.send(new CreateTableCommand({
    TableName: 'cruddur-messages',
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
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
    }],
    BillingMode: 'PROVISIONED',
    ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
  }));
});

after(async () => {
  client?.destroy();
  await server?.stop();
});

test('the seeds table is described as DynamoDB describes it', async () => {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: 'cruddur-messages' }));
  assert.equal(Table.TableStatus, 'ACTIVE');
  assert.match(Table.TableArn, /^arn:aws:dynamodb:us-east-1:\d{12}:table\/cruddur-messages$/);
  assert.ok(Table.CreationDateTime instanceof Date);
  assert.equal(Table.GlobalSecondaryIndexes[0].IndexName, 'message-group-sk-index');
  assert.equal(Table.ProvisionedThroughput.ReadCapacityUnits, 5);
  const { TableNames } = await client.send(new ListTablesCommand({}));
  assert.ok(TableNames.includes('cruddur-messages'));
});

test('items of every type round-trip through the low-level client', async () => {
  const item = {
    pk: { S: 'MSG#1' }, sk: { S: '2026-11-21T00:00:00Z' },
    s: { S: 'héllo' }, n: { N: '-12.500' }, b: { B: new Uint8Array([0, 1, 255]) },
    ss: { SS: ['a', 'b'] }, ns: { NS: ['1', '2.5'] }, bs: { BS: [new Uint8Array([7])] },
    m: { M: { nested: { L: [{ BOOL: true }, { NULL: true }] } } },
    empty: { S: '' },
  };
  await client.send(new PutItemCommand({ TableName: 'cruddur-messages', Item: item }));
  const { Item } = await client.send(new GetItemCommand({
    TableName: 'cruddur-messages', Key: { pk: item.pk, sk: item.sk }, ConsistentRead: true,
  }));
  assert.equal(Item.s.S, 'héllo');
  assert.equal(Item.n.N, '-12.5');
  assert.deepEqual([...Item.b.B], [0, 1, 255]);
  assert.deepEqual([...Item.ss.SS].sort(), ['a', 'b']);
  assert.deepEqual([...Item.ns.NS].sort(), ['1', '2.5']);
  assert.equal(Item.m.M.nested.L[0].BOOL, true);
  assert.equal(Item.empty.S, '');
});

test('the document client writes and reads plain objects', async () => {
  const doc = DynamoDBDocumentClient.from(client);
  await doc.send(new PutCommand({
    TableName: 'cruddur-messages',
    Item: { pk: 'GRP#u1', sk: '2026-11-21', message: 'hi', count: 3, tags: new Set(['x']) },
  }));
  const { Item } = await doc.send(new GetCommand({
    TableName: 'cruddur-messages', Key: { pk: 'GRP#u1', sk: '2026-11-21' },
  }));
  assert.equal(Item.message, 'hi');
  assert.equal(Item.count, 3);
  assert.deepEqual([...Item.tags], ['x']);
});

test('legacy AttributeUpdates ADD counts and ReturnValues come back', async () => {
  const key = { pk: { S: 'counter' }, sk: { S: 'c' } };
  for (let i = 0; i < 3; i++) {
    await client.send(new UpdateItemCommand({
      TableName: 'cruddur-messages', Key: key,
      AttributeUpdates: { hits: { Action: 'ADD', Value: { N: '1' } } },
    }));
  }
  const result = await client.send(new UpdateItemCommand({
    TableName: 'cruddur-messages', Key: key,
    AttributeUpdates: { hits: { Action: 'ADD', Value: { N: '1' } } }, ReturnValues: 'UPDATED_NEW',
  }));
  assert.deepEqual(result.Attributes, { hits: { N: '4' } });
  const deleted = await client.send(new DeleteItemCommand({
    TableName: 'cruddur-messages', Key: key, ReturnValues: 'ALL_OLD',
  }));
  assert.equal(deleted.Attributes.hits.N, '4');
});

test('errors carry DynamoDB names and messages', async () => {
  await assert.rejects(
    client.send(new GetItemCommand({ TableName: 'no-such-table', Key: { pk: { S: 'x' } } })),
    (error) => error.name === 'ResourceNotFoundException' &&
      error.message === 'Requested resource not found',
  );
  await assert.rejects(
    client.send(new PutItemCommand({ TableName: 'cruddur-messages', Item: { pk: { S: 'x' } } })),
    (error) => error.name === 'ValidationException' &&
      error.message === 'One or more parameter values were invalid: Missing the key sk in the item',
  );
  await assert.rejects(
    client.send(new GetItemCommand({
      TableName: 'cruddur-messages', Key: { pk: { N: '1' }, sk: { S: 'x' } },
    })),
    (error) => error.name === 'ValidationException' &&
      error.message === 'The provided key element does not match the schema',
  );
});

test('a deleted table is gone', async () => {
  await client.send(new CreateTableCommand({
    TableName: 'short-lived',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  }));
  const { TableDescription } = await client.send(new DeleteTableCommand({ TableName: 'short-lived' }));
  assert.equal(TableDescription.TableStatus, 'DELETING');
  await assert.rejects(client.send(new DescribeTableCommand({ TableName: 'short-lived' })),
    (error) => error.name === 'ResourceNotFoundException');
});
