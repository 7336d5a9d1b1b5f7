// Batches and transactions through the AWS SDK for JavaScript v3: the seeds' new-conversation
// BatchWriteItem, BatchGetItem, and TransactWriteItems whose cancellation the SDK surfaces as a
// TransactionCanceledException carrying CancellationReasons.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTableCommand, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient, GetCommand, TransactGetCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { clientFor, startEddy } from './eddy_server.js';

let server;
let client;
let documents;
const TableName = 'cruddur-messages';

before(async () => {
  server = await startEddy();
  client = clientFor(server, 'AKIDJSBATCH');
  documents = DynamoDBDocumentClient.from(client);
  await client.send(new CreateTableCommand({
    TableName,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    BillingMode: 'PAY_PER_REQUEST',
  }));
});

after(async () => {
  client?.destroy();
  await server?.stop();
});

test('a new conversation is one BatchWriteItem of two group rows and the message', async () => {
  const created = '2026-11-21T10:00:00+00:00';
  const written = await documents.send(new BatchWriteCommand({
    RequestItems: {
      [TableName]: [
        { PutRequest: { Item: { pk: 'GRP#andrew', sk: created, message_group_uuid: 'g-1' } } },
        { PutRequest: { Item: { pk: 'GRP#bayko', sk: created, message_group_uuid: 'g-1' } } },
        { PutRequest: { Item: { pk: 'MSG#g-1', sk: created, message: 'hello' } } },
      ],
    },
  }));
  assert.deepEqual(written.UnprocessedItems, {});
  const read = await documents.send(new BatchGetCommand({
    RequestItems: {
      [TableName]: {
        Keys: [{ pk: 'GRP#andrew', sk: created }, { pk: 'MSG#g-1', sk: created },
          { pk: 'GRP#nobody', sk: created }],
        ProjectionExpression: 'pk, message',
      },
    },
  }));
  assert.deepEqual(read.UnprocessedKeys, {});
  const rows = read.Responses[TableName].map((item) => item.pk).sort();
  assert.deepEqual(rows, ['GRP#andrew', 'MSG#g-1']);
});

test('a cancelled transaction applies nothing and says why, action by action', async () => {
  await documents.send(new TransactWriteCommand({
    TransactItems: [
      { Put: { TableName, Item: { pk: 'acct#a', sk: 'balance', amount: 100 } } },
      { Put: { TableName, Item: { pk: 'acct#b', sk: 'balance', amount: 0 } } },
    ],
  }));
  const transfer = (amount) => new TransactWriteCommand({
    TransactItems: [
      {
        Update: {
          TableName, Key: { pk: 'acct#a', sk: 'balance' },
          UpdateExpression: 'SET amount = amount - :n', ConditionExpression: 'amount >= :n',
          ExpressionAttributeValues: { ':n': amount },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      {
        Update: {
          TableName, Key: { pk: 'acct#b', sk: 'balance' },
          UpdateExpression: 'SET amount = amount + :n', ExpressionAttributeValues: { ':n': amount },
        },
      },
    ],
  });
  await documents.send(transfer(60));
  await assert.rejects(documents.send(transfer(60)), (error) => {
    assert.ok(error instanceof TransactionCanceledException);
    assert.match(error.message, /\[ConditionalCheckFailed, None\]$/);
    assert.equal(error.CancellationReasons[0].Code, 'ConditionalCheckFailed');
    assert.deepEqual(error.CancellationReasons[0].Item.amount, { N: '40' });
    assert.equal(error.CancellationReasons[1].Code, 'None');
    return true;
  });
  const balances = await documents.send(new TransactGetCommand({
    TransactItems: [
      { Get: { TableName, Key: { pk: 'acct#a', sk: 'balance' } } },
      { Get: { TableName, Key: { pk: 'acct#b', sk: 'balance' } } },
    ],
  }));
  assert.deepEqual(balances.Responses.map((r) => r.Item.amount), [40, 60]);
  const b = await documents.send(new GetCommand({ TableName, Key: { pk: 'acct#b', sk: 'balance' } }));
  assert.equal(b.Item.amount, 60);
});
