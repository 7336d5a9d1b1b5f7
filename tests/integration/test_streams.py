"""DynamoDB Streams through boto3's dynamodbstreams client: records written with their changes,
in commit order, with the images each view type promises, for every kind of write. Consumers
running alongside writers are in test_stream_consumers.py; hours and days (rollover, iterator
expiry, trimming) in test_stream_lifecycle.py."""
import threading

import boto3
import pytest
from botocore.exceptions import ClientError

from eddy_helpers import (ACCESS_KEY, REGION, S, SECRET_KEY, assert_client_error,
                          create_streamed_table)


@pytest.fixture(scope="module")
def streams(server):
    return boto3.client("dynamodbstreams", endpoint_url=server.endpoint, region_name=REGION,
                        aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY)


def create_streamed(ddb, view_type, name=None):
    return create_streamed_table(ddb, view_type, name=name)


def read_all(streams, arn, iterator_type="TRIM_HORIZON"):
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][-1]
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                    ShardIteratorType=iterator_type)["ShardIterator"]
    records = []
    while True:
        page = streams.get_records(ShardIterator=it, Limit=100)
        records += page["Records"]
        if not page["Records"] or "NextShardIterator" not in page:
            return records, page.get("NextShardIterator")
        it = page["NextShardIterator"]


@pytest.mark.parametrize("view_type", ["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE",
                                       "NEW_AND_OLD_IMAGES"])
def test_each_view_type_carries_its_images(ddb, streams, view_type):
    name, arn = create_streamed(ddb, view_type)
    ddb.put_item(TableName=name, Item={"pk": S("a"), "v": {"N": "1"}})
    ddb.update_item(TableName=name, Key={"pk": S("a")}, UpdateExpression="SET v = :two",
                    ExpressionAttributeValues={":two": {"N": "2"}})
    ddb.delete_item(TableName=name, Key={"pk": S("a")})
    records, _ = read_all(streams, arn)
    assert [r["eventName"] for r in records] == ["INSERT", "MODIFY", "REMOVE"]
    v1 = {"pk": S("a"), "v": {"N": "1"}}
    v2 = {"pk": S("a"), "v": {"N": "2"}}
    wants_new = view_type in ("NEW_IMAGE", "NEW_AND_OLD_IMAGES")
    wants_old = view_type in ("OLD_IMAGE", "NEW_AND_OLD_IMAGES")
    expected = [(None, v1), (v1, v2), (v2, None)]
    for record, (old, new) in zip(records, expected):
        d = record["dynamodb"]
        assert d["Keys"] == {"pk": S("a")}
        assert d["StreamViewType"] == view_type
        assert d.get("NewImage") == (new if wants_new else None)
        assert d.get("OldImage") == (old if wants_old else None)
        assert record["eventSource"] == "aws:dynamodb"
        assert record["eventVersion"] == "1.1"
        assert record["awsRegion"] == REGION
        assert 21 <= len(d["SequenceNumber"]) <= 40 and d["SizeBytes"] > 0
    numbers = [int(r["dynamodb"]["SequenceNumber"]) for r in records]
    assert numbers == sorted(numbers) and len(set(numbers)) == 3


def test_no_record_for_a_write_that_changes_nothing(ddb, streams):
    name, arn = create_streamed(ddb, "NEW_AND_OLD_IMAGES")
    ddb.put_item(TableName=name, Item={"pk": S("a"), "v": S("x")})
    ddb.put_item(TableName=name, Item={"pk": S("a"), "v": S("x")})
    ddb.update_item(TableName=name, Key={"pk": S("a")}, UpdateExpression="SET v = :x",
                    ExpressionAttributeValues={":x": S("x")})
    ddb.delete_item(TableName=name, Key={"pk": S("never-there")})
    with pytest.raises(ClientError):
        ddb.put_item(TableName=name, Item={"pk": S("a")},
                     ConditionExpression="attribute_not_exists(pk)")
    records, _ = read_all(streams, arn)
    assert [r["eventName"] for r in records] == ["INSERT"]


def test_batches_and_transactions_write_records(ddb, streams):
    name, arn = create_streamed(ddb, "NEW_IMAGE")
    ddb.batch_write_item(RequestItems={name: [
        {"PutRequest": {"Item": {"pk": S("b%d" % i)}}} for i in range(3)]})
    ddb.transact_write_items(TransactItems=[
        {"Put": {"TableName": name, "Item": {"pk": S("t1")}}},
        {"Delete": {"TableName": name, "Key": {"pk": S("b0")}}}])
    with pytest.raises(ClientError):   # cancelled: no records
        ddb.transact_write_items(TransactItems=[
            {"Put": {"TableName": name, "Item": {"pk": S("t2")}}},
            {"ConditionCheck": {"TableName": name, "Key": {"pk": S("absent")},
                                "ConditionExpression": "attribute_exists(pk)"}}])
    records, _ = read_all(streams, arn)
    assert [(r["eventName"], r["dynamodb"]["Keys"]["pk"]["S"]) for r in records] == [
        ("INSERT", "b0"), ("INSERT", "b1"), ("INSERT", "b2"), ("INSERT", "t1"),
        ("REMOVE", "b0")]


def test_concurrent_writers_each_change_seen_once_in_commit_order(ddb, streams, client_factory):
    name, arn = create_streamed(ddb, "NEW_IMAGE")
    per_writer = 60

    def writer(w):
        client = client_factory()
        for i in range(per_writer):
            client.update_item(TableName=name, Key={"pk": S("counter-%d" % (i % 3))},
                               UpdateExpression="ADD n :one SET writer_id = :w",
                               ExpressionAttributeValues={":one": {"N": "1"}, ":w": S(str(w))})

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    records, _ = read_all(streams, arn)
    assert len(records) == 4 * per_writer
    # replaying the NEW_IMAGEs in order gives each counter 1, 2, 3, ... with no gaps
    seen = {}
    for r in records:
        image = r["dynamodb"]["NewImage"]
        key = image["pk"]["S"]
        seen[key] = seen.get(key, 0) + 1
        assert int(image["n"]["N"]) == seen[key]
    assert sum(seen.values()) == 4 * per_writer


def test_latest_sees_only_later_changes(ddb, streams):
    name, arn = create_streamed(ddb, "KEYS_ONLY")
    ddb.put_item(TableName=name, Item={"pk": S("before")})
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                    ShardIteratorType="LATEST")["ShardIterator"]
    assert streams.get_records(ShardIterator=it)["Records"] == []
    ddb.put_item(TableName=name, Item={"pk": S("after")})
    page = streams.get_records(ShardIterator=it)
    assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in page["Records"]] == ["after"]
    # AT and AFTER a sequence number
    first = page["Records"][0]["dynamodb"]["SequenceNumber"]
    at = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                    ShardIteratorType="AT_SEQUENCE_NUMBER",
                                    SequenceNumber=first)["ShardIterator"]
    assert [r["dynamodb"]["SequenceNumber"]
            for r in streams.get_records(ShardIterator=at)["Records"]] == [first]
    after = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                       ShardIteratorType="AFTER_SEQUENCE_NUMBER",
                                       SequenceNumber=first)["ShardIterator"]
    assert streams.get_records(ShardIterator=after)["Records"] == []


def test_describe_and_list_streams(ddb, streams):
    name, arn = create_streamed(ddb, "NEW_AND_OLD_IMAGES")
    desc = streams.describe_stream(StreamArn=arn)["StreamDescription"]
    assert desc["StreamStatus"] == "ENABLED"
    assert desc["TableName"] == name
    assert desc["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"}]
    assert desc["StreamLabel"] == arn.split("/stream/")[1]
    (shard,) = desc["Shards"]
    assert shard["ShardId"].startswith("shardId-")
    assert "StartingSequenceNumber" in shard["SequenceNumberRange"]
    listed = streams.list_streams(TableName=name)["Streams"]
    assert listed == [{"StreamArn": arn, "TableName": name, "StreamLabel": desc["StreamLabel"]}]
    assert ddb.describe_table(TableName=name)["Table"]["LatestStreamArn"] == arn


def test_a_deleted_tables_stream_stays_readable(ddb, streams):
    name, arn = create_streamed(ddb, "NEW_IMAGE")
    ddb.put_item(TableName=name, Item={"pk": S("kept")})
    ddb.delete_table(TableName=name)
    desc = streams.describe_stream(StreamArn=arn)["StreamDescription"]
    assert desc["StreamStatus"] == "DISABLED"
    (shard,) = desc["Shards"]
    assert "EndingSequenceNumber" in shard["SequenceNumberRange"]
    records, next_iterator = read_all(streams, arn)
    assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in records] == ["kept"]
    assert next_iterator is None   # a closed shard read to its end


def test_disable_then_enable_makes_a_new_stream(ddb, streams):
    name, first = create_streamed(ddb, "KEYS_ONLY")
    ddb.update_table(TableName=name, StreamSpecification={"StreamEnabled": False})
    ddb.put_item(TableName=name, Item={"pk": S("unstreamed")})
    second = ddb.update_table(TableName=name, StreamSpecification={
        "StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})["TableDescription"][
        "LatestStreamArn"]
    assert second != first
    ddb.put_item(TableName=name, Item={"pk": S("streamed")})
    assert streams.describe_stream(StreamArn=first)["StreamDescription"]["StreamStatus"] == \
        "DISABLED"
    assert read_all(streams, first)[0] == []
    assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in read_all(streams, second)[0]] == [
        "streamed"]
    arns = {s["StreamArn"] for s in streams.list_streams(TableName=name)["Streams"]}
    assert arns == {first, second}


def test_unknown_stream_and_bad_iterator(ddb, streams):
    missing = "arn:aws:dynamodb:us-east-1:000000000000:table/none/stream/2026-01-01T00:00:00.000"
    with pytest.raises(ClientError) as e:
        streams.describe_stream(StreamArn=missing)
    assert_client_error(e, "ResourceNotFoundException",
                        "Requested resource not found: Stream: %s not found" % missing)
    with pytest.raises(ClientError) as e:
        streams.get_records(ShardIterator="not-an-iterator")
    assert e.value.response["Error"]["Code"] == "ValidationException"
