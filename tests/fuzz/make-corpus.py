#!/usr/bin/python3
"""Writes the fuzz targets' seed corpora (tests/fuzz/corpus/*) from real requests.

It starts eddy (EDDY_BIN, default build/bin/eddy), drives it with boto3 through a tour of every
operation, and records each request exactly as botocore sent it. The request corpus gets those
bodies; the others get the expressions, attribute values and key values found in them.

    EDDY_BIN=build/bin/eddy tests/fuzz/make-corpus.py
"""
import hashlib
import json
import os
import shutil
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "integration"))
from eddy_helpers import EddyServer, cruddur_messages_spec  # noqa: E402

EXPRESSION_KINDS = {"ConditionExpression": 0, "FilterExpression": 0, "UpdateExpression": 1,
                    "ProjectionExpression": 2, "KeyConditionExpression": 3}


def tour(client, streams):
    """Every operation at least once, with the shapes users send."""
    client.create_table(**cruddur_messages_spec("corpus-messages"))
    client.create_table(
        TableName="corpus-accounts", BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "N"},
                              {"AttributeName": "blob", "AttributeType": "B"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"},
                   {"AttributeName": "blob", "KeyType": "RANGE"}],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    client.list_tables(Limit=5)
    client.describe_table(TableName="corpus-messages")
    client.update_time_to_live(TableName="corpus-accounts", TimeToLiveSpecification={
        "Enabled": True, "AttributeName": "expires"})
    client.describe_time_to_live(TableName="corpus-accounts")
    client.put_item(TableName="corpus-messages", Item={
        "pk": {"S": "MSG#5ae290ed"}, "sk": {"S": "2026-11-21T12:00:00.000000+00:00"},
        "message_uuid": {"S": "0b1c"}, "message": {"S": "Hello, Londo ✓"},
        "user_uuid": {"S": "90ed"}, "user_handle": {"S": "andrewbrown"}},
        ConditionExpression="attribute_not_exists(pk)")
    client.put_item(TableName="corpus-accounts", Item={
        "id": {"N": "1"}, "blob": {"B": b"\x00\x01"}, "balance": {"N": "100.5"},
        "tags": {"SS": ["a", "b"]}, "scores": {"NS": ["1", "-2e10"]}, "photos": {"BS": [b"x"]},
        "profile": {"M": {"name": {"S": "Vir"}, "nested": {"L": [{"NULL": True},
                                                                  {"BOOL": False}]}}},
        "expires": {"N": "1900000000"}}, ReturnValues="ALL_OLD")
    client.get_item(TableName="corpus-accounts", Key={"id": {"N": "1"}, "blob": {"B": b"\0\1"}},
                    ProjectionExpression="#p.#n, tags, scores[0]",
                    ExpressionAttributeNames={"#p": "profile", "#n": "name"},
                    ConsistentRead=True)
    client.update_item(
        TableName="corpus-accounts", Key={"id": {"N": "1"}, "blob": {"B": b"\0\1"}},
        UpdateExpression="SET balance = balance - :amount, #p.visits = if_not_exists(#p.visits,"
                         " :zero) + :one, history = list_append(if_not_exists(history, :empty),"
                         " :entry) REMOVE scores ADD tags :more DELETE photos :gone",
        ConditionExpression="balance >= :amount AND attribute_type(tags, :ss) AND "
                            "(size(profile) > :zero OR NOT contains(tags, :x))",
        ExpressionAttributeNames={"#p": "profile"},
        ExpressionAttributeValues={":amount": {"N": "10"}, ":zero": {"N": "0"},
                                   ":one": {"N": "1"}, ":empty": {"L": []},
                                   ":entry": {"L": [{"S": "paid"}]}, ":more": {"SS": ["c"]},
                                   ":gone": {"BS": [b"x"]}, ":ss": {"S": "SS"},
                                   ":x": {"S": "x"}},
        ReturnValues="UPDATED_NEW", ReturnConsumedCapacity="TOTAL")
    client.update_item(TableName="corpus-accounts", Key={"id": {"N": "2"}, "blob": {"B": b"2"}},
                       AttributeUpdates={"balance": {"Action": "ADD", "Value": {"N": "5"}}},
                       Expected={"balance": {"ComparisonOperator": "NULL"}})
    client.query(TableName="corpus-messages",
                 KeyConditionExpression="pk = :pk AND begins_with(sk, :year)",
                 ExpressionAttributeValues={":pk": {"S": "MSG#5ae290ed"}, ":year": {"S": "2026"}},
                 ScanIndexForward=False, Limit=20, ReturnConsumedCapacity="INDEXES")
    client.query(TableName="corpus-messages", IndexName="message-group-sk-index",
                 KeyConditionExpression="message_group_uuid = :g AND sk BETWEEN :a AND :b",
                 ExpressionAttributeValues={":g": {"S": "5ae2"}, ":a": {"S": "2020"},
                                            ":b": {"S": "2030"}}, Select="COUNT")
    client.query(TableName="corpus-accounts", KeyConditions={
        "id": {"AttributeValueList": [{"N": "1"}], "ComparisonOperator": "EQ"}},
        QueryFilter={"balance": {"AttributeValueList": [{"N": "0"}],
                                 "ComparisonOperator": "GT"}})
    client.scan(TableName="corpus-accounts", FilterExpression="balance < :max OR #t IN (:a, :b)",
                ExpressionAttributeNames={"#t": "type"},
                ExpressionAttributeValues={":max": {"N": "1e3"}, ":a": {"S": "a"},
                                           ":b": {"S": "b"}},
                Segment=0, TotalSegments=2, Limit=10)
    client.batch_write_item(RequestItems={"corpus-messages": [
        {"PutRequest": {"Item": {"pk": {"S": "GRP#90ed"}, "sk": {"S": "2026-11-21T12:00"},
                                 "message_group_uuid": {"S": "5ae2"},
                                 "last_message": {"S": "hi"}}}},
        {"DeleteRequest": {"Key": {"pk": {"S": "GRP#old"}, "sk": {"S": "2020"}}}}]})
    client.batch_get_item(RequestItems={"corpus-messages": {
        "Keys": [{"pk": {"S": "GRP#90ed"}, "sk": {"S": "2026-11-21T12:00"}}],
        "ProjectionExpression": "pk, last_message"}})
    client.transact_write_items(TransactItems=[
        {"Put": {"TableName": "corpus-accounts",
                 "Item": {"id": {"N": "3"}, "blob": {"B": b"3"}, "balance": {"N": "0"}},
                 "ConditionExpression": "attribute_not_exists(id)"}},
        {"Update": {"TableName": "corpus-accounts", "Key": {"id": {"N": "1"}, "blob": {"B": b"\0\1"}},
                    "UpdateExpression": "SET balance = balance + :d",
                    "ExpressionAttributeValues": {":d": {"N": "-1"}}}},
        {"ConditionCheck": {"TableName": "corpus-messages",
                            "Key": {"pk": {"S": "GRP#90ed"}, "sk": {"S": "2026-11-21T12:00"}},
                            "ConditionExpression": "attribute_exists(pk)"}},
        {"Delete": {"TableName": "corpus-accounts",
                    "Key": {"id": {"N": "2"}, "blob": {"B": b"2"}}}}],
        ClientRequestToken="corpus-token-1")
    client.transact_get_items(TransactItems=[{"Get": {
        "TableName": "corpus-accounts", "Key": {"id": {"N": "1"}, "blob": {"B": b"\0\1"}}}}])
    client.delete_item(TableName="corpus-messages",
                       Key={"pk": {"S": "GRP#90ed"}, "sk": {"S": "2026-11-21T12:00"}},
                       ConditionExpression="last_message <> :m",
                       ExpressionAttributeValues={":m": {"S": "bye"}}, ReturnValues="ALL_OLD")
    arn = client.describe_table(TableName="corpus-accounts")["Table"]["TableArn"]
    client.tag_resource(ResourceArn=arn, Tags=[{"Key": "team", "Value": "cruddur"}])
    client.list_tags_of_resource(ResourceArn=arn)
    client.untag_resource(ResourceArn=arn, TagKeys=["team"])
    client.describe_limits()
    client.describe_endpoints()
    client.update_table(TableName="corpus-messages", GlobalSecondaryIndexUpdates=[{"Create": {
        "IndexName": "by-user", "KeySchema": [{"AttributeName": "user_uuid", "KeyType": "HASH"}],
        "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["message"]},
        "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}}}],
        AttributeDefinitions=[{"AttributeName": "user_uuid", "AttributeType": "S"}])
    stream_arn = streams.list_streams(TableName="corpus-accounts")["Streams"][0]["StreamArn"]
    shard = streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"][0]
    iterator = streams.get_shard_iterator(StreamArn=stream_arn, ShardId=shard["ShardId"],
                                          ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    streams.get_records(ShardIterator=iterator, Limit=100)
    client.delete_table(TableName="corpus-messages")


def keep(directory, data):
    os.makedirs(directory, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


def key_values(body):
    """Each key-shaped attribute map's scalar values, as (type, text) pairs."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            for name in ("Key", "Keys"):
                keys = node.get(name)
                for key in keys if isinstance(keys, list) else [keys]:
                    if not isinstance(key, dict):
                        continue  # a tag's Key
                    for value in key.values():
                        (kind, text), = value.items()
                        found.append((kind, text))
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)
    walk(body)
    return found


def attribute_maps(node):
    if isinstance(node, dict):
        for name, child in node.items():
            if name in ("Item", "Key", "ExpressionAttributeValues") and isinstance(child, dict):
                yield child
            yield from attribute_maps(child)
    elif isinstance(node, list):
        for child in node:
            yield from attribute_maps(child)


def expressions(node):
    if isinstance(node, dict):
        for name, child in node.items():
            if name in EXPRESSION_KINDS and isinstance(child, str):
                yield EXPRESSION_KINDS[name], child
            else:
                yield from expressions(child)
    elif isinstance(node, list):
        for child in node:
            yield from expressions(child)


def main():
    corpus = os.path.join(here, "corpus")
    for target in ("request", "expressions", "attribute_values", "key_encoding"):
        shutil.rmtree(os.path.join(corpus, target), ignore_errors=True)
    recorded = []

    def record(request, **_):
        target = request.headers.get("X-Amz-Target", b"")
        target = target.decode() if isinstance(target, bytes) else target
        operation = target.split(".", 1)[1]
        if target.startswith("DynamoDBStreams"):
            operation = "Streams." + operation
        body = request.body if isinstance(request.body, bytes) else request.body.encode()
        recorded.append((operation, body))

    server = EddyServer(in_memory=True, shared_db=True)
    try:
        server.start()
        client, streams = server.client(), server.streams()
        for c in (client, streams):
            c.meta.events.register("before-send", record)
        tour(client, streams)
    finally:
        server.cleanup()

    for operation, body in recorded:
        keep(os.path.join(corpus, "request"), operation.encode() + b"\n" + body)
        document = json.loads(body or b"{}")
        for kind, text in expressions(document):
            keep(os.path.join(corpus, "expressions"), bytes([kind]) + text.encode())
        for attributes in attribute_maps(document):
            keep(os.path.join(corpus, "attribute_values"), json.dumps(attributes).encode())
        pairs = key_values(document)
        for (kind, first), (_, second) in zip(pairs, pairs[1:] + pairs[:1]):
            type_byte = {"S": 0, "N": 1, "B": 2}[kind]
            keep(os.path.join(corpus, "key_encoding"),
                 bytes([type_byte]) + first.encode() + b"|" + second.encode())
    for target in sorted(os.listdir(corpus)):
        print(target, len(os.listdir(os.path.join(corpus, target))), "inputs")


if __name__ == "__main__":
    main()
