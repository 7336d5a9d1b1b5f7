// DynamoDB Streams and Time to Live through the AWS SDK for JavaScript v3: the streams client
// walks a table's shard and reads each change with its images; an expired item comes back as a
// REMOVE record whose userIdentity names the service.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand, DeleteItemCommand, DescribeTimeToLiveCommand, PutItemCommand,
  UpdateItemCommand, UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand,
  ListStreamsCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { clientFor, startEddy } from './eddy_server.js';

let server;
let client;
let streams;
let streamArn;
const TableName = 'js-streamed';

before(async () => {
  server = await startEddy(['-inMemory', '-sharedDb', '-ttlSweepInterval', '0']);
  client = clientFor(server, 'AKIDJSSTREAMS');
  streams = new DynamoDBStreamsClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDJSSTREAMS', secretAccessKey: 'secret' },
    maxAttempts: 1,
  });
  const created = await client.send(new CreateTableCommand({
    TableName,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  }));
  streamArn = created.TableDescription.LatestStreamArn;
});

after(async () => {
  client?.destroy();
  streams?.destroy();
  await server?.stop();
});

async function readShard(iteratorType = 'TRIM_HORIZON') {
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  let { ShardIterator } = await streams.send(new GetShardIteratorCommand({
    StreamArn: streamArn, ShardId: StreamDescription.Shards[0].ShardId, ShardIteratorType: iteratorType,
  }));
  const records = [];
  for (;;) {
    const page = await streams.send(new GetRecordsCommand({ ShardIterator }));
    records.push(...page.Records);
    if (page.Records.length === 0 || !page.NextShardIterator) return records;
    ShardIterator = page.NextShardIterator;
  }
}

async function admin(path, body) {
  const response = await fetch(server.endpoint + path, { method: 'POST', body: JSON.stringify(body ?? {}) });
  assert.equal(response.status, 200);
  return response.json();
}

test('the streams client lists the stream and reads every change in order', async () => {
  const { Streams } = await streams.send(new ListStreamsCommand({ TableName }));
  assert.deepEqual(Streams.map((s) => s.StreamArn), [streamArn]);
  await client.send(new PutItemCommand({ TableName, Item: { pk: { S: 'a' }, n: { N: '1' } } }));
  await client.send(new UpdateItemCommand({
    TableName, Key: { pk: { S: 'a' } }, UpdateExpression: 'SET n = :two',
    ExpressionAttributeValues: { ':two': { N: '2' } },
  }));
  await client.send(new DeleteItemCommand({ TableName, Key: { pk: { S: 'a' } } }));
  const records = await readShard();
  assert.deepEqual(records.map((r) => r.eventName), ['INSERT', 'MODIFY', 'REMOVE']);
  assert.deepEqual(records[1].dynamodb.OldImage, { pk: { S: 'a' }, n: { N: '1' } });
  assert.deepEqual(records[1].dynamodb.NewImage, { pk: { S: 'a' }, n: { N: '2' } });
  assert.ok(records[0].dynamodb.ApproximateCreationDateTime instanceof Date);
  const numbers = records.map((r) => BigInt(r.dynamodb.SequenceNumber));
  assert.ok(numbers[0] < numbers[1] && numbers[1] < numbers[2]);
});

test('an expired item is removed by the service, with a REMOVE record saying so', async () => {
  await client.send(new UpdateTimeToLiveCommand({
    TableName, TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' },
  }));
  const described = await client.send(new DescribeTimeToLiveCommand({ TableName }));
  assert.deepEqual(described.TimeToLiveDescription,
    { TimeToLiveStatus: 'ENABLED', AttributeName: 'expires' });
  const { now } = await (await fetch(`${server.endpoint}/_eddy/clock`)).json();
  await client.send(new PutItemCommand({
    TableName, Item: { pk: { S: 'short-lived' }, expires: { N: String(Math.floor(now) + 30) } },
  }));
  await admin('/_eddy/clock', { advanceSeconds: 60 });
  assert.deepEqual(await admin('/_eddy/ttl/sweep'), { deletedItems: 1 });
  const removal = (await readShard()).at(-1);
  assert.equal(removal.eventName, 'REMOVE');
  assert.deepEqual(removal.dynamodb.Keys, { pk: { S: 'short-lived' } });
  assert.deepEqual(removal.userIdentity, { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' });
});
