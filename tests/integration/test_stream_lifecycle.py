"""A stream over hours and days, without waiting for them: shards roll over every four hours
with parent/child lineage, iterators expire after 15 minutes, records are trimmed after 24 hours
and a deleted table's stream goes with its last records. eddy's clock is moved through its
local-only admin endpoint, on a private server."""
import pytest
from botocore.exceptions import ClientError

from eddy_helpers import S, assert_client_error, create_streamed_table
from stream_poller import StreamPoller

HOUR = 3600


@pytest.fixture
def clocked(make_server):
    server = make_server(in_memory=True, extra_args=["-ttlSweepInterval", "0"])
    server.start()
    return server


def streamed_table(client, view_type="NEW_IMAGE"):
    return create_streamed_table(client, view_type, prefix="aging")


def shard_keys(streams, arn, shard_id, iterator_type="TRIM_HORIZON"):
    """The keys of a shard's records, and whether the shard ended (no NextShardIterator)."""
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard_id,
                                    ShardIteratorType=iterator_type)["ShardIterator"]
    keys = []
    while it:
        page = streams.get_records(ShardIterator=it)
        keys += [r["dynamodb"]["Keys"]["pk"]["S"] for r in page["Records"]]
        if not page["Records"]:
            return keys, "NextShardIterator" not in page
        it = page.get("NextShardIterator")
    return keys, True


def test_shards_roll_over_with_lineage(clocked):
    client, streams = clocked.client(), clocked.streams()
    name, arn = streamed_table(client)
    client.put_item(TableName=name, Item={"pk": S("first")})
    clocked.advance_clock(4 * HOUR + 1)
    client.put_item(TableName=name, Item={"pk": S("second")})
    clocked.advance_clock(4 * HOUR + 1)
    client.put_item(TableName=name, Item={"pk": S("third")})

    shards = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
    assert len(shards) == 3
    assert "ParentShardId" not in shards[0]
    assert shards[1]["ParentShardId"] == shards[0]["ShardId"]
    assert shards[2]["ParentShardId"] == shards[1]["ShardId"]
    for closed in shards[:2]:
        assert "EndingSequenceNumber" in closed["SequenceNumberRange"]
    assert "EndingSequenceNumber" not in shards[2]["SequenceNumberRange"]
    ranges = [(int(s["SequenceNumberRange"]["StartingSequenceNumber"]),
               int(s["SequenceNumberRange"].get("EndingSequenceNumber", 10 ** 30)))
              for s in shards]
    assert ranges == sorted(ranges) and all(a[1] < b[0] for a, b in zip(ranges, ranges[1:]))

    # Closed shards are read to their end and say so; the open one keeps its iterator.
    assert shard_keys(streams, arn, shards[0]["ShardId"]) == (["first"], True)
    assert shard_keys(streams, arn, shards[1]["ShardId"]) == (["second"], True)
    assert shard_keys(streams, arn, shards[2]["ShardId"]) == (["third"], False)
    # Paging through the shards
    page = streams.describe_stream(StreamArn=arn, Limit=2)["StreamDescription"]
    assert [s["ShardId"] for s in page["Shards"]] == [s["ShardId"] for s in shards[:2]]
    rest = streams.describe_stream(StreamArn=arn, ExclusiveStartShardId=page[
        "LastEvaluatedShardId"])["StreamDescription"]
    assert [s["ShardId"] for s in rest["Shards"]] == [shards[2]["ShardId"]]


def test_a_poller_follows_rollover_without_losing_or_repeating(clocked):
    client, streams = clocked.client(), clocked.streams()
    name, arn = streamed_table(client)
    poller = StreamPoller(streams, arn)
    seen = []
    written = []
    for hour in range(14):
        for i in range(3):
            key = "h%02d-%d" % (hour, i)
            client.put_item(TableName=name, Item={"pk": S(key)})
            written.append(key)
        if hour % 3 == 0:
            poller.poll(lambda records: seen.extend(
                r["dynamodb"]["Keys"]["pk"]["S"] for r in records))
        clocked.advance_clock(HOUR)   # also lets held iterators expire: the poller renews them
    while poller.poll(lambda records: seen.extend(
            r["dynamodb"]["Keys"]["pk"]["S"] for r in records)):
        pass
    assert seen == written
    assert len(poller.shards()) == 4


def test_iterators_expire_after_fifteen_minutes(clocked):
    client, streams = clocked.client(), clocked.streams()
    name, arn = streamed_table(client)
    client.put_item(TableName=name, Item={"pk": S("a")})
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                    ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    clocked.advance_clock(14 * 60)
    page = streams.get_records(ShardIterator=it)
    assert len(page["Records"]) == 1
    clocked.advance_clock(60 + 1)
    with pytest.raises(ClientError) as e:
        streams.get_records(ShardIterator=it)
    assert_client_error(e, "ExpiredIteratorException", ...)
    # the iterator handed out a moment ago is still good
    page = streams.get_records(ShardIterator=page["NextShardIterator"])
    assert page["Records"] == []


def test_records_are_trimmed_after_24_hours(clocked):
    client, streams = clocked.client(), clocked.streams()
    name, arn = streamed_table(client)
    client.put_item(TableName=name, Item={"pk": S("old")})
    shard_id = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0][
        "ShardId"]
    old_number = shard_keys_numbers(streams, arn, shard_id)[0]
    clocked.advance_clock(3 * HOUR)
    client.put_item(TableName=name, Item={"pk": S("recent")})
    clocked.advance_clock(22 * HOUR)   # "old" is 25 hours old, "recent" 22
    clocked.sweep_ttl()                # the sweep also trims the streams
    assert shard_keys(streams, arn, shard_id)[0] == ["recent"]
    with pytest.raises(ClientError) as e:
        streams.get_shard_iterator(StreamArn=arn, ShardId=shard_id,
                                   ShardIteratorType="AT_SEQUENCE_NUMBER",
                                   SequenceNumber=old_number)
    assert_client_error(e, "TrimmedDataAccessException", ...)
    # Once its last records are gone, a closed shard is no longer listed.
    clocked.advance_clock(6 * HOUR)
    clocked.sweep_ttl()
    listed = [s["ShardId"] for s in
              streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]]
    assert shard_id not in listed and listed


def shard_keys_numbers(streams, arn, shard_id):
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard_id,
                                    ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    return [r["dynamodb"]["SequenceNumber"]
            for r in streams.get_records(ShardIterator=it)["Records"]]


def test_a_deleted_tables_stream_goes_after_retention(clocked):
    client, streams = clocked.client(), clocked.streams()
    name, arn = streamed_table(client)
    client.put_item(TableName=name, Item={"pk": S("last words")})
    client.delete_table(TableName=name)
    clocked.advance_clock(23 * HOUR)
    clocked.sweep_ttl()
    assert streams.describe_stream(StreamArn=arn)["StreamDescription"]["StreamStatus"] == \
        "DISABLED"
    assert [s["StreamArn"] for s in streams.list_streams(TableName=name)["Streams"]] == [arn]
    clocked.advance_clock(2 * HOUR)
    clocked.sweep_ttl()
    with pytest.raises(ClientError) as e:
        streams.describe_stream(StreamArn=arn)
    assert e.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert streams.list_streams(TableName=name)["Streams"] == []


def test_records_survive_a_kill(disk_server):
    """A record is committed with its change: after a restart it is still there, once."""
    server = disk_server
    client = server.client()
    name, arn = streamed_table(client)
    for i in range(20):
        client.put_item(TableName=name, Item={"pk": S("k%d" % i)})
    server.kill()
    server.start()
    streams = server.streams()
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]
    assert shard_keys(streams, arn, shard["ShardId"])[0] == ["k%d" % i for i in range(20)]


def test_stream_statuses_pass_through_enabling_and_disabling_when_delayed(make_server):
    server = make_server(in_memory=True,
                         extra_args=["-delayTransientStatuses", "-ttlSweepInterval", "0"])
    server.start()
    client, streams = server.client(), server.streams()
    name, arn = streamed_table(client)
    assert streams.describe_stream(StreamArn=arn)["StreamDescription"]["StreamStatus"] == \
        "ENABLING"
    server.advance_clock(5)
    assert streams.describe_stream(StreamArn=arn)["StreamDescription"]["StreamStatus"] == \
        "ENABLED"
    client.update_table(TableName=name, StreamSpecification={"StreamEnabled": False})
    assert streams.describe_stream(StreamArn=arn)["StreamDescription"]["StreamStatus"] == \
        "DISABLING"
    server.advance_clock(5)
    assert streams.describe_stream(StreamArn=arn)["StreamDescription"]["StreamStatus"] == \
        "DISABLED"
