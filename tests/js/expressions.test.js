// Expressions through the AWS SDK for JavaScript v3, the way an application writes them with the
// document client: conditional writes, counters, nested updates, projections.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand, ConditionalCheckFailedException,
} from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient, PutCommand, GetCommand, UpdateCommand, DeleteCommand,
} from '@aws-sdk/lib-dynamodb';
import { clientFor, startEddy } from './eddy_server.js';

let server;
let client;
let documents;
const TableName = 'expressions';

before(async () => {
  server = await startEddy();
  client = clientFor(server);
  documents = DynamoDBDocumentClient.from(client);
  await client.send(new CreateTableCommand({
    TableName,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  }));
});

after(async () => {
  client?.destroy();
  await server?.stop();
});

test('attribute_not_exists makes a second put fail, returning the item on request', async () => {
  const put = {
    TableName,
    Item: { pk: 'user#andrew', handle: 'andrewbrown' },
    ConditionExpression: 'attribute_not_exists(pk)',
  };
  await documents.send(new PutCommand(put));
  await assert.rejects(
    documents.send(new PutCommand({ ...put, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })),
    (error) => {
      assert.ok(error instanceof ConditionalCheckFailedException);
      assert.equal(error.message, 'The conditional request failed');
      assert.deepEqual(error.Item, { pk: { S: 'user#andrew' }, handle: { S: 'andrewbrown' } });
      return true;
    });
});

test('a counter, a nested document and every ReturnValues', async () => {
  const Key = { pk: 'cart#1' };
  await documents.send(new PutCommand({
    TableName, Item: { ...Key, cart: { entries: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 2 }] } },
  }));
  const bumped = await documents.send(new UpdateCommand({
    TableName, Key,
    UpdateExpression: 'SET cart.entries[1].qty = cart.entries[1].qty + :n, #v = if_not_exists(#v, :z) + :n',
    ExpressionAttributeNames: { '#v': 'version' },
    ExpressionAttributeValues: { ':n': 3, ':z': 0 },
    ReturnValues: 'UPDATED_NEW',
  }));
  assert.deepEqual(bumped.Attributes, { cart: { entries: [{ qty: 5 }] }, version: 3 });
  const appended = await documents.send(new UpdateCommand({
    TableName, Key,
    UpdateExpression: 'SET cart.entries = list_append(cart.entries, :more) REMOVE version',
    ExpressionAttributeValues: { ':more': [{ sku: 'c', qty: 1 }] },
    ReturnValues: 'ALL_NEW',
  }));
  assert.deepEqual(appended.Attributes.cart.entries.map((item) => item.sku), ['a', 'b', 'c']);
  assert.equal(appended.Attributes.version, undefined);
  const projected = await documents.send(new GetCommand({
    TableName, Key, ProjectionExpression: 'cart.entries[2].sku, cart.entries[0].qty',
  }));
  assert.deepEqual(projected.Item, { cart: { entries: [{ qty: 1 }, { sku: 'c' }] } });
});

test('a bad expression gets DynamoDB\'s message', async () => {
  await assert.rejects(
    documents.send(new DeleteCommand({
      TableName, Key: { pk: 'x' }, ConditionExpression: 'a = = :v',
      ExpressionAttributeValues: { ':v': 1 },
    })),
    (error) => {
      assert.equal(error.name, 'ValidationException');
      assert.equal(error.message,
        'Invalid ConditionExpression: Syntax error; token: "=", near: "= = :v"');
      return true;
    });
});
