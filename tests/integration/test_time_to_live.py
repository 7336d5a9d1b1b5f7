"""Time to Live through boto3: UpdateTimeToLive/DescribeTimeToLive with DynamoDB's errors, and
expiry that really happens: the sweeper deletes expired items with their index rows and writes
REMOVE stream records marked as the service's. No test sleeps for an expiry: they move eddy's
clock and ask for a sweep through the local-only admin endpoints."""
import http.client
import socket
import time

import pytest
from botocore.exceptions import ClientError

from eddy_helpers import (EddyServer, N, S, assert_client_error, attr_defs, index_spec,
                          key_schema, unique_name)

HOUR = 3600


@pytest.fixture(scope="module")
def clocked():
    """A private eddy whose clock the tests move; it sweeps only when asked."""
    s = EddyServer(in_memory=True, shared_db=True, extra_args=["-ttlSweepInterval", "0"])
    try:
        s.start()
        yield s
    finally:
        s.cleanup()


@pytest.fixture(scope="module")
def client(clocked):
    return clocked.client()


@pytest.fixture(scope="module")
def unvalidated(clocked):
    return clocked.client(validate=False)


def new_table(client, *, stream=None, gsi=False, name=None):
    name = name or unique_name("ttl")
    spec = dict(TableName=name, BillingMode="PAY_PER_REQUEST",
                KeySchema=key_schema("pk"), AttributeDefinitions=attr_defs(pk="S"))
    if gsi:
        spec["AttributeDefinitions"] = attr_defs(pk="S", group="S")
        spec["GlobalSecondaryIndexes"] = [index_spec("by-group", "group")]
    if stream:
        spec["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": stream}
    description = client.create_table(**spec)["TableDescription"]
    return name, description.get("LatestStreamArn")


def enable_ttl(client, name, attribute="expires"):
    return client.update_time_to_live(
        TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": attribute})


def ttl_description(client, name):
    return client.describe_time_to_live(TableName=name)["TimeToLiveDescription"]


def all_records(streams, arn):
    records = []
    for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
        it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                        ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        while it:
            page = streams.get_records(ShardIterator=it, Limit=1000)
            records += page["Records"]
            if not page["Records"]:
                break
            it = page.get("NextShardIterator")
    return records


def test_enable_describe_and_the_errors_dynamodb_gives(clocked, client):
    name, _ = new_table(client)
    assert ttl_description(client, name) == {"TimeToLiveStatus": "DISABLED"}
    with pytest.raises(ClientError) as e:
        client.update_time_to_live(
            TableName=name, TimeToLiveSpecification={"Enabled": False, "AttributeName": "x"})
    assert_client_error(e, "ValidationException", "TimeToLive is already disabled")

    answer = enable_ttl(client, name)
    assert answer["TimeToLiveSpecification"] == {"Enabled": True, "AttributeName": "expires"}
    assert ttl_description(client, name) == {"TimeToLiveStatus": "ENABLED",
                                             "AttributeName": "expires"}
    # one TTL attribute per table
    with pytest.raises(ClientError) as e:
        enable_ttl(client, name)
    assert_client_error(e, "ValidationException", "TimeToLive is already enabled")
    with pytest.raises(ClientError) as e:
        enable_ttl(client, name, "other")
    assert_client_error(e, "ValidationException", "TimeToLive is active on a different "
                        "AttributeName: current AttributeName is expires")
    # changing it again within the hour DynamoDB takes to apply a change
    with pytest.raises(ClientError) as e:
        client.update_time_to_live(
            TableName=name, TimeToLiveSpecification={"Enabled": False, "AttributeName": "expires"})
    assert_client_error(e, "ValidationException",
                        "Time to live has been modified multiple times within a fixed interval")
    clocked.advance_clock(HOUR + 1)
    client.update_time_to_live(
        TableName=name, TimeToLiveSpecification={"Enabled": False, "AttributeName": "expires"})
    assert ttl_description(client, name) == {"TimeToLiveStatus": "DISABLED"}


def test_request_validation_and_unknown_table(client, unvalidated):
    name, _ = new_table(client)
    with pytest.raises(ClientError) as e:
        unvalidated.update_time_to_live(
            TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": ""})
    assert_client_error(e, "ValidationException", [
        "Value '' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1"])
    with pytest.raises(ClientError) as e:
        unvalidated.update_time_to_live(TableName=name, TimeToLiveSpecification={"Enabled": True})
    assert_client_error(e, "ValidationException", [
        "Value null at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: "
        "Member must not be null"])
    with pytest.raises(ClientError) as e:
        unvalidated.update_time_to_live(TableName=name)
    assert_client_error(e, "ValidationException", [
        "Value null at 'timeToLiveSpecification' failed to satisfy constraint: "
        "Member must not be null"])
    for call in (lambda: client.describe_time_to_live(TableName="no-such-table"),
                 lambda: enable_ttl(client, "no-such-table")):
        with pytest.raises(ClientError) as e:
            call()
        assert e.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_a_thousand_expired_items_go_with_their_index_rows_and_remove_records(clocked, client):
    name, arn = new_table(client, stream="NEW_AND_OLD_IMAGES", gsi=True)
    enable_ttl(client, name)
    now = clocked.now()
    expiring = ["exp-%04d" % i for i in range(1000)]
    for start in range(0, 1000, 25):
        client.batch_write_item(RequestItems={name: [
            {"PutRequest": {"Item": {"pk": S(pk), "group": S("g%d" % (i % 4)),
                                     "expires": N(int(now) + 60 + i % 7)}}}
            for i, pk in enumerate(expiring[start:start + 25], start)]})
    survivors = {
        "no-ttl": {},
        "string-ttl": {"expires": S(str(int(now) - 100))},
        "set-ttl": {"expires": {"NS": [str(int(now) - 100)]}},
        "nested-ttl": {"expires": {"M": {"at": N(int(now) - 100)}}},
        "six-years-past": {"expires": N(int(now) - 6 * 365 * 24 * HOUR)},
        "milliseconds": {"expires": N(int(now * 1000))},
        "tomorrow": {"expires": N(int(now) + 24 * HOUR)},
    }
    for pk, extra in survivors.items():
        client.put_item(TableName=name, Item={"pk": S(pk), "group": S("g0"), **extra})

    assert clocked.sweep_ttl() == 0            # nothing has expired yet
    assert client.describe_table(TableName=name)["Table"]["ItemCount"] == 1007
    clocked.advance_clock(120)
    assert clocked.sweep_ttl() == 1000
    assert clocked.sweep_ttl() == 0            # each item is deleted once

    left = client.scan(TableName=name, ConsistentRead=True)["Items"]
    assert sorted(item["pk"]["S"] for item in left) == sorted(survivors)
    indexed = []
    for group in ("g0", "g1", "g2", "g3"):
        indexed += client.query(TableName=name, IndexName="by-group",
                                KeyConditionExpression="#g = :g",
                                ExpressionAttributeNames={"#g": "group"},
                                ExpressionAttributeValues={":g": S(group)})["Items"]
    assert sorted(item["pk"]["S"] for item in indexed) == sorted(survivors)
    table = client.describe_table(TableName=name)["Table"]
    assert table["ItemCount"] == len(survivors)
    assert table["GlobalSecondaryIndexes"][0]["ItemCount"] == len(survivors)

    removes = [r for r in all_records(clocked.streams(), arn) if r["eventName"] == "REMOVE"]
    assert sorted(r["dynamodb"]["Keys"]["pk"]["S"] for r in removes) == expiring
    for record in removes:
        assert record["userIdentity"] == {"Type": "Service",
                                          "PrincipalId": "dynamodb.amazonaws.com"}
        assert record["dynamodb"]["OldImage"]["pk"] == record["dynamodb"]["Keys"]["pk"]
        assert "NewImage" not in record["dynamodb"]


def test_items_written_before_ttl_was_enabled_expire_too(clocked, client):
    name, _ = new_table(client)
    now = clocked.now()
    client.put_item(TableName=name, Item={"pk": S("old"), "expires": N(int(now) - 10)})
    assert clocked.sweep_ttl() == 0            # TTL is not on yet
    enable_ttl(client, name)
    assert clocked.sweep_ttl() == 1
    assert "Item" not in client.get_item(TableName=name, Key={"pk": S("old")},
                                         ConsistentRead=True)


def test_updating_or_removing_the_attribute_moves_the_expiry(clocked, client):
    name, _ = new_table(client)
    enable_ttl(client, name)
    now = clocked.now()
    for pk in ("extended", "unset", "shortened"):
        client.put_item(TableName=name, Item={"pk": S(pk), "expires": N(int(now) + 60)})
    client.update_item(TableName=name, Key={"pk": S("extended")},
                       UpdateExpression="SET expires = :later",
                       ExpressionAttributeValues={":later": N(int(now) + 10 * HOUR)})
    client.update_item(TableName=name, Key={"pk": S("unset")}, UpdateExpression="REMOVE expires")
    client.update_item(TableName=name, Key={"pk": S("shortened")},
                       UpdateExpression="SET expires = :past",
                       ExpressionAttributeValues={":past": N(int(now) - 1)})
    assert clocked.sweep_ttl() == 1
    clocked.advance_clock(2 * HOUR)
    assert clocked.sweep_ttl() == 0
    left = client.scan(TableName=name, ConsistentRead=True)["Items"]
    assert sorted(item["pk"]["S"] for item in left) == ["extended", "unset"]


def test_disabling_ttl_stops_expiry(clocked, client):
    name, _ = new_table(client)
    enable_ttl(client, name)
    clocked.advance_clock(HOUR + 1)
    client.update_time_to_live(
        TableName=name, TimeToLiveSpecification={"Enabled": False, "AttributeName": "expires"})
    client.put_item(TableName=name, Item={"pk": S("kept"), "expires": N(int(clocked.now()) - 5)})
    assert clocked.sweep_ttl() == 0
    assert "Item" in client.get_item(TableName=name, Key={"pk": S("kept")})


def test_the_background_sweeper_runs_on_its_own(make_server):
    server = make_server(in_memory=True, extra_args=["-ttlSweepInterval", "0.05"])
    server.start()
    client = server.client()
    name, _ = new_table(client)
    enable_ttl(client, name)
    client.put_item(TableName=name, Item={"pk": S("gone"), "expires": N(int(server.now()) - 1)})
    deadline = time.monotonic() + 10
    while "Item" in client.get_item(TableName=name, Key={"pk": S("gone")}, ConsistentRead=True):
        assert time.monotonic() < deadline, "the sweeper did not delete an expired item in 10 s"
        time.sleep(0.02)


def test_enabling_shows_enabling_with_delayed_statuses(make_server):
    server = make_server(in_memory=True,
                         extra_args=["-delayTransientStatuses", "-ttlSweepInterval", "0"])
    server.start()
    client = server.client()
    name, _ = new_table(client)
    deadline = time.monotonic() + 10
    while client.describe_table(TableName=name)["Table"]["TableStatus"] != "ACTIVE":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    enable_ttl(client, name)
    assert ttl_description(client, name) == {"TimeToLiveStatus": "ENABLING",
                                             "AttributeName": "expires"}
    server.advance_clock(5)
    assert ttl_description(client, name)["TimeToLiveStatus"] == "ENABLED"


def test_expiry_survives_a_restart(make_server, tmp_path):
    db = tmp_path / "db"
    db.mkdir()
    server = make_server(db_path=db, extra_args=["-ttlSweepInterval", "0"])
    server.start()
    client = server.client()
    name, _ = new_table(client)
    enable_ttl(client, name)
    client.put_item(TableName=name, Item={"pk": S("a"), "expires": N(int(server.now()) + 30)})
    server.stop()
    server.start()
    server.advance_clock(60)
    assert server.sweep_ttl() == 1
    assert ttl_description(client, name)["TimeToLiveStatus"] == "ENABLED"


def non_loopback_address():
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))    # no packet is sent for a UDP connect
            address = probe.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") else address


def test_admin_endpoints_answer_only_on_this_machine(make_server):
    address = non_loopback_address()
    if address is None:
        pytest.skip("this machine has no non-loopback IPv4 address")
    server = make_server(in_memory=True, host="0.0.0.0")
    server.start()
    conn = http.client.HTTPConnection(address, server.port, timeout=10)
    conn.request("POST", "/_eddy/clock", body='{"advanceSeconds": 100}')
    response = conn.getresponse()
    assert response.status == 403
    assert b"only on this machine" in response.read()
    conn.close()
    assert server.admin("/_eddy/clock", method="GET")["offsetSeconds"] == 0


def test_the_clock_endpoint_rejects_nonsense_and_caps_huge_steps(make_server):
    server = make_server(in_memory=True, extra_args=["-ttlSweepInterval", "0"])
    server.start()
    for body in ('{"advanceSeconds": -5}', '{"advanceSeconds": "x"}', "not json", "{}"):
        conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
        conn.request("POST", "/_eddy/clock", body=body)
        response = conn.getresponse()
        assert response.status == 400, body
        assert b"advanceSeconds" in response.read()
        conn.close()
    before = server.now()
    after = server.advance_clock(1e300)            # capped at a century, no overflow
    assert 99 * 365 * 24 * HOUR < after - before < 101 * 365 * 24 * HOUR
    assert server.client().list_tables()["TableNames"] == []
