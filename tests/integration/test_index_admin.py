"""Adding, changing and dropping global secondary indexes on a live table: UpdateTable's
GlobalSecondaryIndexUpdates (Create with its AttributeDefinitions, Update, Delete), the backfill of
a new index from the items already there, what DescribeTable says about every index (status,
Backfilling, ItemCount and IndexSizeBytes, IndexArn, throughput), -delayTransientStatuses, every
invalid update with DynamoDB's error, and index rows across restarts and kill -9.

Where the expected behaviour comes from:
* [RD] real DynamoDB, as recorded by people who probed it: the ack-api-quirks DynamoDB lab
  (findings DDB-TABLE-125, -133, -138, -148/149, -151, -159..-162, -165, -169, -174, -442 and its
  message catalogue), dynalite's records (validations/updateTable.js), the DynamoDB developer
  guide (GSI.OnlineOps.ViolationDetection: items whose index key has the wrong type, is empty or
  too long stay out of a backfilled index).
* [DDBL] Amazon's DynamoDB Local 1.25.1, run through this file with
  EDDY_BIN=/tmp/ddblocal-as-eddy. Where nothing recorded real DynamoDB, DynamoDB Local wins.
  Where the two disagree the test encodes real DynamoDB and says `# DynamoDB Local differs: ...`
  (those assertions fail on DynamoDB Local by design).

Bulk loads use PutItem over 4 keep-alive connections at once (eddy has no BatchWriteItem yet).
EDDY_INDEX_BACKFILL_ITEMS shrinks the 50 000-item test (marked slow).
"""
import concurrent.futures
import datetime
import decimal
import http.client
import json
import os
import time
import uuid

import pytest
from botocore.exceptions import ClientError

from eddy_helpers import (AMZ_DATE, AUTH_HEADER, TARGET_PREFIX as TARGET, assert_raw_error,
                          attr_defs, create_table, index_spec, key_schema, unique_name)

VE = "ValidationException"
NF = "ResourceNotFoundException"
LE = "LimitExceededException"
IU = "ResourceInUseException"
INVALID = "One or more parameter values were invalid: "
ONE_ONLINE = ("Subscriber limit exceeded: Only 1 online index can be created or deleted "
              "simultaneously per table")
PT = {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}


def S(x):
    return {"S": x}


def N(x):
    return {"N": str(x)}


gsi = index_spec  # a GlobalSecondaryIndexes entry


def create_gsi(name, hash_key, range_key=None, projection="ALL", non_key=None, pt=None, **types):
    return dict(AttributeDefinitions=attr_defs(**types), GlobalSecondaryIndexUpdates=[
        {"Create": gsi(name, hash_key, range_key, projection, non_key, pt)}])


def new_table(client, prefix, hash_key, range_key=None, gsis=(), lsis=(), provisioned=False,
              **types):
    """Creates a table (PAY_PER_REQUEST unless provisioned) and waits for it; returns its name."""
    name = unique_name(prefix)
    spec = dict(TableName=name, AttributeDefinitions=attr_defs(**types),
                KeySchema=key_schema(hash_key, range_key))
    if provisioned:
        spec["ProvisionedThroughput"] = PT
    else:
        spec["BillingMode"] = "PAY_PER_REQUEST"
    if gsis:
        spec["GlobalSecondaryIndexes"] = list(gsis)
    if lsis:
        spec["LocalSecondaryIndexes"] = list(lsis)
    create_table(client, spec)
    return name


def bulk_put(server, table, items, threads=4):
    """PutItem from `threads` keep-alive HTTP connections at once: plain requests (signed the
    way SDKs sign, which eddy does not check) cost the client a tenth of what boto3 does, so the
    load measures eddy rather than botocore."""
    headers = {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": TARGET + "PutItem",
               "Authorization": AUTH_HEADER, "X-Amz-Date": AMZ_DATE}

    def put(chunk):
        conn = http.client.HTTPConnection(server.host, server.port, timeout=60)
        try:
            for item in chunk:
                conn.request("POST", "/", body=json.dumps({"TableName": table, "Item": item}),
                             headers=headers)
                r = conn.getresponse()
                body = r.read()
                assert r.status == 200, body
        finally:
            conn.close()

    chunks = [items[i::threads] for i in range(threads)]
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        for f in [pool.submit(put, c) for c in chunks]:
            f.result()


def index_of(description, name):
    found = [g for g in description.get("GlobalSecondaryIndexes", []) if g["IndexName"] == name]
    return found[0] if found else None


def wait_index_active(ddb, table, name, timeout=300.0):
    """Polls DescribeTable until the index is ACTIVE; returns every (TableStatus, index) seen.
    Until then it must read CREATING with a Backfilling flag (true or false)."""
    seen, deadline = [], time.monotonic() + timeout
    while True:
        t = ddb.describe_table(TableName=table)["Table"]
        d = index_of(t, name)
        seen.append((t["TableStatus"], d))
        if d["IndexStatus"] == "ACTIVE":
            return seen
        assert d["IndexStatus"] == "CREATING", d
        assert isinstance(d["Backfilling"], bool), d
        assert time.monotonic() < deadline, "index %s not ACTIVE after %.0fs" % (name, timeout)
        time.sleep(0.05)


def wait_index_gone(ddb, table, name, timeout=60.0):
    deadline = time.monotonic() + timeout
    while True:
        t = ddb.describe_table(TableName=table)["Table"]
        d = index_of(t, name)
        if d is None:
            return t
        assert d["IndexStatus"] == "DELETING", d
        assert time.monotonic() < deadline, d
        time.sleep(0.05)


def query_all(ddb, **kw):
    items = []
    while True:
        r = ddb.query(**kw)
        items += r["Items"]
        if "LastEvaluatedKey" not in r:
            return items
        kw["ExclusiveStartKey"] = r["LastEvaluatedKey"]


# -- DynamoDB's item size, for the ItemCount / IndexSizeBytes model ---------------------------
def number_size(text):
    """Bytes a number takes: 1, plus one per two significant digits, plus one when an even
    number of digits starts at an even decimal exponent, plus one if negative; zero takes 1.
    Checked below against TableSizeBytes."""
    sign, digits, exponent = decimal.Decimal(text).normalize().as_tuple()
    if digits == (0,):
        return 1
    scientific = len(digits) + exponent - 1
    size = 1 + (len(digits) + 1) // 2
    if len(digits) % 2 == 0 and scientific % 2 == 0:
        size += 1
    return size + sign


def item_size(item):
    total = 0
    for name, value in item.items():
        (kind, v), = value.items()
        total += len(name.encode())
        if kind == "S":
            total += len(v.encode())
        elif kind == "N":
            total += number_size(v)
        else:
            raise AssertionError("item_size models S and N only")
    return total


def projected(item, keys, non_key=None):
    """The item as an index keeps it: every key attribute (table and index), plus the named
    non-key attributes (INCLUDE), or everything (non_key is None and keys is None: ALL)."""
    if keys is None:
        return dict(item)
    return {k: v for k, v in item.items() if k in keys or (non_key and k in non_key)}


def model_totals(items, index_keys, types, keys, non_key=None, max_bytes=(2048, 1024)):
    """(ItemCount, IndexSizeBytes) of an index over `items`: an item is in it when it has every
    index key attribute with the declared type, not empty, not longer than a key may be; its size
    is the size of the item as the index projects it.
    DynamoDB Local differs: its IndexSizeBytes adds up whole items, whatever the projection (and
    it indexes items whose key has the wrong type), so the totals asserted below fail on it."""
    count = size = 0
    for it in items:
        ok = True
        for n, (name, t) in enumerate(zip(index_keys, types)):
            v = it.get(name)
            if v is None or list(v) != [t]:
                ok = False
            elif t == "S" and (v["S"] == "" or len(v["S"].encode()) > max_bytes[n]):
                ok = False
        if ok:
            count += 1
            size += item_size(projected(it, keys, non_key))
    return count, size


# =============================================================================================
# Create: backfill, description, maintenance afterwards
# =============================================================================================

def test_create_gsi_backfills_existing_items(server, ddb):
    table = new_table(ddb, "backfill", "pk", pk="S")
    items = []
    for i in range(2000):
        it = {"pk": S("k%05d" % i), "note": S("note %d" % i), "other": S("o" * (i % 13))}
        if i % 4 == 1:
            it["cat"] = S("c%d" % (i % 7))
            it["when"] = S("2026-01-%02d" % (1 + i % 28))
        elif i % 4 == 2:
            it["cat"] = S("c%d" % (i % 7))          # no sort key: stays out (sparse index)
        elif i % 4 == 3 and i % 8 == 3:
            it["cat"] = N(i)                        # wrong type: a key violation, stays out
            it["when"] = S("2026-02-01")
        if i in (5, 9):
            it["cat"] = S("")                       # empty key value: a violation too
        if i == 13:
            it["when"] = S("w" * 1025)              # sort key longer than 1024 bytes
        items.append(it)
    bulk_put(server, table, items)

    r = ddb.update_table(TableName=table, **create_gsi(
        "by-cat", "cat", "when", "INCLUDE", ["note"], cat="S", when="S"))
    td = r["TableDescription"]
    # [RD] DDB-TABLE-148/165: the answer shows the index CREATING, not yet backfilling, empty
    assert td["TableStatus"] in ("UPDATING", "ACTIVE")    # [RD] UPDATING; [DDBL] and eddy ACTIVE
    g = index_of(td, "by-cat")
    assert g["IndexStatus"] == "CREATING" and g["Backfilling"] is False
    assert g["IndexArn"] == td["TableArn"] + "/index/by-cat"
    assert g["KeySchema"] == key_schema("cat", "when")
    assert g["Projection"] == {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["note"]}
    # DynamoDB Local differs: it leaves out IndexSizeBytes/ItemCount while the index is created
    assert (g["IndexSizeBytes"], g["ItemCount"]) == (0, 0)
    # [RD] PAY_PER_REQUEST indexes report 0/0 throughput with NumberOfDecreasesToday
    # DynamoDB Local differs: no NumberOfDecreasesToday
    assert g["ProvisionedThroughput"] == {"NumberOfDecreasesToday": 0, "ReadCapacityUnits": 0,
                                          "WriteCapacityUnits": 0}
    assert sorted(a["AttributeName"] for a in td["AttributeDefinitions"]) == ["cat", "pk", "when"]

    seen = wait_index_active(ddb, table, "by-cat")
    t = ddb.describe_table(TableName=table)["Table"]
    assert t["TableStatus"] == "ACTIVE"
    g = index_of(t, "by-cat")
    assert g["IndexStatus"] == "ACTIVE" and "Backfilling" not in g    # [RD] DDB-TABLE-138
    keys = {"pk", "cat", "when"}
    want = model_totals(items, ("cat", "when"), ("S", "S"), keys, ["note"])
    assert want[0] == 2000 // 4 - 2 - 1
    # DynamoDB Local differs: it indexes the items whose key has the wrong type
    assert (g["ItemCount"], g["IndexSizeBytes"]) == want
    assert t["ItemCount"] == 2000
    print("index ACTIVE after %d polls" % len(seen))

    # the backfilled rows answer queries, in sort key order, projected as asked
    r = query_all(ddb, TableName=table, IndexName="by-cat", KeyConditionExpression="cat = :c",
                  ExpressionAttributeValues={":c": S("c3")})
    expected = [projected(it, keys, ["note"]) for it in items
                if it.get("cat") == S("c3") and "when" in it and len(it["when"]["S"]) < 100]
    assert sorted(r, key=lambda i: i["pk"]["S"]) == sorted(expected, key=lambda i: i["pk"]["S"])
    assert [i["when"]["S"] for i in r] == sorted(i["when"]["S"] for i in expected)

    # later writes keep it current, and its totals with it
    extra = {"pk": S("new"), "cat": S("c3"), "when": S("2025-12-31"), "note": S("x"),
             "other": S("y")}
    ddb.put_item(TableName=table, Item=extra)
    gone = next(it for it in items if it.get("cat") == S("c1") and "when" in it)
    ddb.delete_item(TableName=table, Key={"pk": gone["pk"]})
    g = index_of(ddb.describe_table(TableName=table)["Table"], "by-cat")
    assert g["ItemCount"] == want[0]
    assert g["IndexSizeBytes"] == (want[1] + item_size(projected(extra, keys, ["note"]))
                                   - item_size(projected(gone, keys, ["note"])))
    r = ddb.query(TableName=table, IndexName="by-cat", KeyConditionExpression="cat = :c",
                  ExpressionAttributeValues={":c": S("c3")}, Limit=1)
    assert r["Items"] == [projected(extra, keys, ["note"])]
    # and writes now check the new key's type
    with pytest.raises(ClientError) as e:
        ddb.put_item(TableName=table, Item={"pk": S("bad"), "cat": N(1)})
    assert e.value.response["Error"]["Message"] == (
        INVALID + "Type mismatch for Index Key cat Expected: S Actual: N IndexName: by-cat")


def test_create_gsi_keyed_on_table_attributes(ddb):
    """A new index may reuse the table's key attributes; only its new key attribute needs a
    definition, and definitions nobody uses are not kept. [RD] DDB-TABLE-162, DDB-TABLE-125"""
    table = new_table(ddb, "reuse", "pk", "sk", pk="S", sk="N")
    for i in range(30):
        ddb.put_item(TableName=table, Item={"pk": S("p%d" % (i % 3)), "sk": N(i),
                                            "g": S("G%d" % (i % 2))})
    r = ddb.update_table(TableName=table, **create_gsi("by-g", "g", "sk", "KEYS_ONLY",
                                                       g="S", unused="S"))
    defs = sorted((a["AttributeName"], a["AttributeType"])
                  for a in r["TableDescription"]["AttributeDefinitions"])
    # DynamoDB Local differs: it keeps the unused definition
    assert defs == [("g", "S"), ("pk", "S"), ("sk", "N")]
    wait_index_active(ddb, table, "by-g")
    r = query_all(ddb, TableName=table, IndexName="by-g", KeyConditionExpression="g = :g",
                  ExpressionAttributeValues={":g": S("G1")})
    assert [int(i["sk"]["N"]) for i in r] == list(range(1, 30, 2))
    assert all(set(i) == {"pk", "sk", "g"} for i in r)


def test_describe_index_totals_and_shapes(ddb):
    """Every index reports exact ItemCount and IndexSizeBytes; GSIs their status, ARN and
    throughput; LSIs neither status nor throughput. [RD] DDB-TABLE-133, -138; [DDBL]"""
    name = unique_name("shapes")
    create_table(ddb, dict(
        TableName=name, AttributeDefinitions=attr_defs(pk="S", sk="S", g="S", l="N"),
        KeySchema=key_schema("pk", "sk"), ProvisionedThroughput={"ReadCapacityUnits": 5,
                                                                 "WriteCapacityUnits": 6},
        GlobalSecondaryIndexes=[gsi("g-all", "g", None, "ALL", pt=(2, 3)),
                                gsi("g-keys", "g", "sk", "KEYS_ONLY", pt=(1, 1))],
        LocalSecondaryIndexes=[gsi("l-inc", "pk", "l", "INCLUDE", ["x"])]))
    items = []
    for i in range(40):
        it = {"pk": S("p%d" % (i % 4)), "sk": S("s%03d" % i), "x": S("x" * i), "y": S("y")}
        if i % 2:
            it["g"] = S("G%d" % (i % 5))
        if i % 3:
            it["l"] = N(i * 7)
        items.append(it)
        ddb.put_item(TableName=name, Item=it)
    t = ddb.describe_table(TableName=name)["Table"]
    assert t["ItemCount"] == 40 and t["TableSizeBytes"] == sum(item_size(i) for i in items)
    g_all, g_keys = t["GlobalSecondaryIndexes"]
    assert (g_all["ItemCount"], g_all["IndexSizeBytes"]) == model_totals(
        items, ("g",), ("S",), None)
    assert (g_keys["ItemCount"], g_keys["IndexSizeBytes"]) == model_totals(
        items, ("g", "sk"), ("S", "S"), {"pk", "sk", "g"})
    for g in (g_all, g_keys):
        assert g["IndexStatus"] == "ACTIVE" and "Backfilling" not in g
        assert g["IndexArn"] == t["TableArn"] + "/index/" + g["IndexName"]
    assert g_all["ProvisionedThroughput"] == {"NumberOfDecreasesToday": 0,
                                              "ReadCapacityUnits": 2, "WriteCapacityUnits": 3}
    lsi, = t["LocalSecondaryIndexes"]
    assert (lsi["ItemCount"], lsi["IndexSizeBytes"]) == model_totals(
        items, ("pk", "l"), ("S", "N"), {"pk", "sk", "l"}, ["x"])
    assert lsi["IndexArn"] == t["TableArn"] + "/index/l-inc"
    assert "IndexStatus" not in lsi and "ProvisionedThroughput" not in lsi
    # updates and deletes move the totals
    ddb.update_item(TableName=name, Key={"pk": S("p1"), "sk": S("s001")},
                    UpdateExpression="SET x = :x REMOVE g", ExpressionAttributeValues={
                        ":x": S("longer value")})
    ddb.delete_item(TableName=name, Key={"pk": S("p3"), "sk": S("s003")})
    items[1]["x"] = S("longer value")
    del items[1]["g"]
    del items[3]
    t = ddb.describe_table(TableName=name)["Table"]
    g_all, g_keys = t["GlobalSecondaryIndexes"]
    assert (g_all["ItemCount"], g_all["IndexSizeBytes"]) == model_totals(
        items, ("g",), ("S",), None)
    lsi, = t["LocalSecondaryIndexes"]
    assert (lsi["ItemCount"], lsi["IndexSizeBytes"]) == model_totals(
        items, ("pk", "l"), ("S", "N"), {"pk", "sk", "l"}, ["x"])
    # DeleteTable describes the indexes with their totals too
    d = ddb.delete_table(TableName=name)["TableDescription"]
    assert d["TableStatus"] == "DELETING"
    assert [g["ItemCount"] for g in d["GlobalSecondaryIndexes"]] == [
        g_all["ItemCount"], g_keys["ItemCount"]]


# =============================================================================================
# Delete and Update
# =============================================================================================

def test_delete_gsi_and_create_it_again(ddb):
    table = new_table(ddb, "dropidx", "pk", pk="S", g="S", h="N",
                      gsis=[gsi("doomed", "h", None, "KEYS_ONLY"), gsi("kept", "g")])
    for i in range(50):
        ddb.put_item(TableName=table, Item={"pk": S("k%d" % i), "g": S("G%d" % (i % 3)),
                                            "h": N(i % 5)})
    before = ddb.describe_table(TableName=table)["Table"]
    r = ddb.update_table(TableName=table,
                         GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "doomed"}}])
    td = r["TableDescription"]
    # [RD] DDB-TABLE-148/165: the answer shows the index DELETING
    assert [(g["IndexName"], g["IndexStatus"]) for g in td["GlobalSecondaryIndexes"]] == [
        ("doomed", "DELETING"), ("kept", "ACTIVE")]
    t = wait_index_gone(ddb, table, "doomed")
    assert [g["IndexName"] for g in t["GlobalSecondaryIndexes"]] == ["kept"]
    # [RD] DDB-TABLE-151, [DDBL]: the definition only that index used is dropped
    assert sorted(a["AttributeName"] for a in t["AttributeDefinitions"]) == ["g", "pk"]
    assert index_of(t, "kept") == index_of(before, "kept")
    with pytest.raises(ClientError) as e:
        ddb.query(TableName=table, IndexName="doomed", KeyConditionExpression="h = :h",
                  ExpressionAttributeValues={":h": N(1)})
    assert e.value.response["Error"]["Message"] == (
        "The table does not have the specified index: doomed")
    # writes go on without it (h may now hold any type)
    ddb.put_item(TableName=table, Item={"pk": S("k0"), "g": S("G0"), "h": S("text now")})
    # the name is free again; the new index is built from the items as they are now
    ddb.update_table(TableName=table, **create_gsi("doomed", "h", None, "KEYS_ONLY", h="N"))
    wait_index_active(ddb, table, "doomed")
    g = index_of(ddb.describe_table(TableName=table)["Table"], "doomed")
    # k0's h is a string now: left out. DynamoDB Local differs: it indexes k0 anyway
    assert g["ItemCount"] == 49
    r = query_all(ddb, TableName=table, IndexName="doomed", KeyConditionExpression="h = :h",
                  ExpressionAttributeValues={":h": N(1)})
    assert sorted(i["pk"]["S"] for i in r) == sorted("k%d" % i for i in range(1, 50, 5))


def test_update_gsi_throughput(ddb):
    table = new_table(ddb, "idxpt", "pk", provisioned=True, pk="S", g="S",
                      gsis=[gsi("by-g", "g", pt=(5, 5)), gsi("other", "g", pt=(1, 1))])
    r = ddb.update_table(TableName=table, GlobalSecondaryIndexUpdates=[
        {"Update": {"IndexName": "by-g",
                    "ProvisionedThroughput": {"ReadCapacityUnits": 9, "WriteCapacityUnits": 9}}},
        {"Update": {"IndexName": "other",
                    "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 2}}}])
    assert r["TableDescription"]["TableStatus"] in ("ACTIVE", "UPDATING")
    t = ddb.describe_table(TableName=table)["Table"]
    pt = index_of(t, "by-g")["ProvisionedThroughput"]
    assert (pt["ReadCapacityUnits"], pt["WriteCapacityUnits"]) == (9, 9)
    # DynamoDB Local differs: it keeps no increase/decrease history for indexes
    assert isinstance(pt["LastIncreaseDateTime"], datetime.datetime)
    assert "LastDecreaseDateTime" not in pt and pt["NumberOfDecreasesToday"] == 0
    assert index_of(t, "other")["ProvisionedThroughput"]["WriteCapacityUnits"] == 2
    assert t["ProvisionedThroughput"]["ReadCapacityUnits"] == 5        # the table's own
    ddb.update_table(TableName=table, GlobalSecondaryIndexUpdates=[{"Update": {
        "IndexName": "by-g", "ProvisionedThroughput": {"ReadCapacityUnits": 3,
                                                       "WriteCapacityUnits": 9}}}])
    pt = index_of(ddb.describe_table(TableName=table)["Table"], "by-g")["ProvisionedThroughput"]
    assert pt["ReadCapacityUnits"] == 3 and pt["NumberOfDecreasesToday"] == 1
    assert isinstance(pt["LastDecreaseDateTime"], datetime.datetime)
    # the same values again: [RD] DDB-TABLE-164 (its message completed like the table's)
    with pytest.raises(ClientError) as e:
        ddb.update_table(TableName=table, GlobalSecondaryIndexUpdates=[{"Update": {
            "IndexName": "by-g", "ProvisionedThroughput": {"ReadCapacityUnits": 3,
                                                           "WriteCapacityUnits": 9}}}])
    # DynamoDB Local differs: "The requested throughput value equals the current value"
    assert e.value.response["Error"]["Message"] == (
        "The provisioned throughput for the index by-g will not change. The requested value "
        "equals the current value. Current ReadCapacityUnits provisioned for index by-g: 3. "
        "Requested ReadCapacityUnits: 3. Current WriteCapacityUnits provisioned for index by-g: "
        "9. Requested WriteCapacityUnits: 9. Refer to the Amazon DynamoDB Developer Guide for "
        "current limits and how to request higher limits.")


def test_billing_switches_and_index_throughput(ddb):
    """Leaving PAY_PER_REQUEST needs every index's throughput in the same request [RD]
    DDB-TABLE-152; a Create may share its request with Updates of other indexes and with a
    switch to PAY_PER_REQUEST [RD] DDB-TABLE-174."""
    table = new_table(ddb, "switch", "pk", pk="S", g="S", gsis=[gsi("by-g", "g")])
    ddb.put_item(TableName=table, Item={"pk": S("a"), "g": S("G"), "h": S("H"), "i": S("I")})
    with pytest.raises(ClientError) as e:
        ddb.update_table(TableName=table, BillingMode="PROVISIONED", ProvisionedThroughput=PT)
    # DynamoDB Local differs: it accepts the switch and gives the index nothing
    assert e.value.response["Error"]["Message"] == (
        INVALID + "ProvisionedThroughput must be specified for index: by-g")
    ddb.update_table(TableName=table, BillingMode="PROVISIONED", ProvisionedThroughput=PT,
                     GlobalSecondaryIndexUpdates=[{"Update": {
                         "IndexName": "by-g", "ProvisionedThroughput": {
                             "ReadCapacityUnits": 4, "WriteCapacityUnits": 4}}}])
    t = ddb.describe_table(TableName=table)["Table"]
    assert t["BillingModeSummary"]["BillingMode"] == "PROVISIONED"
    assert index_of(t, "by-g")["ProvisionedThroughput"]["ReadCapacityUnits"] == 4
    # a Create next to an Update of another index
    r = ddb.update_table(TableName=table, AttributeDefinitions=attr_defs(h="S"),
                         GlobalSecondaryIndexUpdates=[
                             {"Update": {"IndexName": "by-g", "ProvisionedThroughput": {
                                 "ReadCapacityUnits": 6, "WriteCapacityUnits": 6}}},
                             {"Create": gsi("by-h", "h", pt=(2, 2))}])
    assert index_of(r["TableDescription"], "by-h")["IndexStatus"] == "CREATING"
    wait_index_active(ddb, table, "by-h")
    t = ddb.describe_table(TableName=table)["Table"]
    assert index_of(t, "by-g")["ProvisionedThroughput"]["ReadCapacityUnits"] == 6
    assert index_of(t, "by-h")["ProvisionedThroughput"]["ReadCapacityUnits"] == 2
    assert index_of(t, "by-h")["ItemCount"] == 1
    # a Create next to the switch back: the new index has no throughput of its own either
    ddb.update_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=attr_defs(i="S"),
                     GlobalSecondaryIndexUpdates=[{"Create": gsi("by-i", "i")}])
    wait_index_active(ddb, table, "by-i")
    t = ddb.describe_table(TableName=table)["Table"]
    assert t["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert {g["ProvisionedThroughput"]["ReadCapacityUnits"]
            for g in t["GlobalSecondaryIndexes"]} == {0}
    assert index_of(t, "by-i")["ItemCount"] == 1


def test_index_limit_is_twenty(ddb):
    names = ["a%02d" % i for i in range(20)]
    table = new_table(ddb, "twenty", "pk", pk="S", gsis=[gsi("i-" + n, n) for n in names],
                      **{n: "S" for n in names})
    with pytest.raises(ClientError) as e:
        ddb.update_table(TableName=table, **create_gsi("i-21", "b21", b21="S"))
    # [RD] DDB-TABLE-169. DynamoDB Local differs: it creates a 21st index
    assert (e.value.response["Error"]["Code"], e.value.response["Error"]["Message"]) == (
        LE, "Subscriber limit exceeded: Number of global secondary indexes exceeds per-table "
            "limit of 20")
    ddb.update_table(TableName=table, GlobalSecondaryIndexUpdates=[
        {"Delete": {"IndexName": "i-a00"}}])
    ddb.update_table(TableName=table, **create_gsi("i-21", "b21", b21="S"))
    wait_index_active(ddb, table, "i-21")


# =============================================================================================
# Invalid updates
# =============================================================================================

def C(name="newi", hash_key="h", range_key=None, projection="ALL", non_key=None, pt=None, **kw):
    d = gsi(name, hash_key, range_key, projection, non_key, pt)
    d.update(kw)
    return {"Create": d}


def AD(**types):
    return attr_defs(**(types or {"h": "S"}))


def constraint(value, path, rule):
    shown = "null" if value is None else "'%s'" % value
    return "1 validation error detected: Value %s at '%s' failed to satisfy constraint: %s" % (
        shown, path, rule)


U1 = "globalSecondaryIndexUpdates.1.member."
UPDATE_KEPT = {"Update": {"IndexName": "kept", "ProvisionedThroughput": {
    "ReadCapacityUnits": 7, "WriteCapacityUnits": 3}}}
AT_LEAST_ONE = ("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
                "GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required")

# (id, table kind, request, error code, message). Table kinds: "ppr" PAY_PER_REQUEST with GSIs
# "kept" and "other" on g; "prov" the same PROVISIONED; "lsi" PAY_PER_REQUEST with GSI "kept" and
# LSI "lsi1". Each group names its source. DynamoDB Local words almost every one of these its own
# way (constraint violations included: "Invalid table/index name...", "Indexes must have a
# projection specified", ...) or accepts the request; only the cases marked [DDBL] pass on it.
INVALID_CASES = [
    # -- nothing to do [RD] DDB-TABLE-015, -162, -359 (eddy's wording of the list is older)
    ("empty-list-alone", "ppr", dict(GlobalSecondaryIndexUpdates=[]), VE, AT_LEAST_ONE),
    ("definitions-alone", "ppr", dict(AttributeDefinitions=AD()), VE, AT_LEAST_ONE),
    ("empty-list-with-change", "ppr",
     dict(GlobalSecondaryIndexUpdates=[], DeletionProtectionEnabled=True), VE,
     INVALID + "List of GlobalSecondaryIndexUpdates is empty"),
    # -- entries [RD] DDB-TABLE-160 and the message catalogue (DDB-TABLE-442)
    ("empty-entry", "ppr", dict(GlobalSecondaryIndexUpdates=[{}]), VE,
     INVALID + "One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, "
               "GlobalSecondaryIndexUpdate.Delete must not be null"),
    ("two-actions-in-one-entry", "ppr", dict(
        AttributeDefinitions=AD(),
        GlobalSecondaryIndexUpdates=[{"Create": C()["Create"], "Delete": {"IndexName": "kept"}}]),
     VE,
     INVALID + "Only one global secondary index action is allowed per GlobalSecondaryIndexUpdate "
               "object"),
    ("same-index-twice", "prov", dict(GlobalSecondaryIndexUpdates=[UPDATE_KEPT, UPDATE_KEPT]), VE,
     INVALID + "Only one global secondary index update per index is allowed simultaneously. "
               "Index: kept"),
    ("delete-and-create-same-name", "ppr", dict(AttributeDefinitions=AD(g="S"),
                                                GlobalSecondaryIndexUpdates=[
        {"Delete": {"IndexName": "kept"}}, C("kept", "g")]), VE,
     INVALID + "Only one global secondary index update per index is allowed simultaneously. "
               "Index: kept"),
    # -- one Create or Delete at a time [RD] DDB-TABLE-159 [DDBL]
    ("two-creates", "ppr", dict(AttributeDefinitions=AD(h="S", i="S"), GlobalSecondaryIndexUpdates=[
        C("one", "h"), C("two", "i")]), LE, ONE_ONLINE),
    ("create-and-delete", "ppr", dict(AttributeDefinitions=AD(), GlobalSecondaryIndexUpdates=[
        C(), {"Delete": {"IndexName": "kept"}}]), LE, ONE_ONLINE),
    ("two-deletes", "ppr", dict(GlobalSecondaryIndexUpdates=[
        {"Delete": {"IndexName": "kept"}}, {"Delete": {"IndexName": "other"}}]), LE, ONE_ONLINE),
    # -- what a Create or Delete cannot share a request with [RD] DDB-TABLE-174
    ("create-with-table-throughput", "prov", dict(
        AttributeDefinitions=AD(), GlobalSecondaryIndexUpdates=[C(pt=(1, 1))],
        ProvisionedThroughput={"ReadCapacityUnits": 9, "WriteCapacityUnits": 9}), VE,
     INVALID + "You cannot create or delete index while updating table IOPS"),
    ("delete-with-table-throughput", "prov", dict(
        GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "kept"}}],
        ProvisionedThroughput={"ReadCapacityUnits": 9, "WriteCapacityUnits": 9}), VE,
     INVALID + "You cannot create or delete index while updating table IOPS"),
    ("create-with-stream", "ppr", dict(
        AttributeDefinitions=AD(), GlobalSecondaryIndexUpdates=[C()],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}), VE,
     INVALID + "You cannot create or delete index while changing stream status"),
    ("create-with-deletion-protection", "ppr", dict(
        AttributeDefinitions=AD(), GlobalSecondaryIndexUpdates=[C()],
        DeletionProtectionEnabled=True), VE,
     INVALID + "DeletionProtection modification must be the only operation in the request"),
    ("create-with-table-class", "ppr", dict(
        AttributeDefinitions=AD(), GlobalSecondaryIndexUpdates=[C()],
        TableClass="STANDARD_INFREQUENT_ACCESS"), VE,
     INVALID + "TableClass modification must be the only operation in the request"),
    # -- constraints, reported together before anything else [RD] DDB-TABLE-442, dynalite
    ("create-short-name", "ppr", dict(AttributeDefinitions=AD(),
                                      GlobalSecondaryIndexUpdates=[C("ab")]), VE,
     constraint("ab", U1 + "create.indexName",
                "Member must have length greater than or equal to 3")),
    ("create-without-projection", "ppr", dict(
        AttributeDefinitions=AD(),
        GlobalSecondaryIndexUpdates=[
            {"Create": {"IndexName": "newi", "KeySchema": key_schema("h")}}]), VE,
     constraint(None, U1 + "create.projection", "Member must not be null")),
    ("create-without-key-schema", "ppr", dict(
        AttributeDefinitions=AD(), GlobalSecondaryIndexUpdates=[
            {"Create": {"IndexName": "newi", "Projection": {"ProjectionType": "ALL"}}}]), VE,
     constraint(None, U1 + "create.keySchema", "Member must not be null")),
    ("create-bad-projection-type", "ppr", dict(AttributeDefinitions=AD(),
                                               GlobalSecondaryIndexUpdates=[C(projection="all")]),
     VE, constraint("all", U1 + "create.projection.projectionType",
                    "Member must satisfy enum value set: [ALL, KEYS_ONLY, INCLUDE]")),
    ("create-zero-throughput", "prov", dict(AttributeDefinitions=AD(),
                                            GlobalSecondaryIndexUpdates=[C(pt=(0, 1))]), VE,
     constraint("0", U1 + "create.provisionedThroughput.readCapacityUnits",
                "Member must have value greater than or equal to 1")),
    ("update-zero-throughput", "prov", dict(GlobalSecondaryIndexUpdates=[{"Update": {
        "IndexName": "kept", "ProvisionedThroughput": {"ReadCapacityUnits": 1,
                                                       "WriteCapacityUnits": 0}}}]), VE,
     constraint("0", U1 + "update.provisionedThroughput.writeCapacityUnits",
                "Member must have value greater than or equal to 1")),
    ("delete-without-name", "ppr", dict(GlobalSecondaryIndexUpdates=[{"Delete": {}}]), VE,
     constraint(None, U1 + "delete.indexName", "Member must not be null")),
    ("bad-attribute-type", "ppr", dict(AttributeDefinitions=AD(h="BOOL"),
                                       GlobalSecondaryIndexUpdates=[C()]), VE,
     constraint("BOOL", "attributeDefinitions.1.member.attributeType",
                "Member must satisfy enum value set: [B, N, S]")),
    ("too-many-non-key-attributes", "ppr", dict(
        AttributeDefinitions=AD(), GlobalSecondaryIndexUpdates=[
            C(projection="INCLUDE", non_key=["a%d" % i for i in range(21)])]), VE,
     constraint("[%s]" % ", ".join("a%d" % i for i in range(21)),
                U1 + "create.projection.nonKeyAttributes",
                "Member must have length less than or equal to 20")),
    # -- Create against the table: an existing name [RD] catalogue [DDBL]
    ("create-existing-gsi", "ppr", dict(AttributeDefinitions=AD(g="S"),
                                        GlobalSecondaryIndexUpdates=[C("kept", "g")]), VE,
     "Attempting to create an index which already exists"),
    ("create-existing-lsi", "lsi", dict(AttributeDefinitions=AD(),
                                        GlobalSecondaryIndexUpdates=[C("lsi1")]), VE,
     "Attempting to create an index which already exists"),
    # [RD] catalogue. DynamoDB Local differs: "No Attribute Schema Defined"
    ("create-without-definitions", "ppr", dict(GlobalSecondaryIndexUpdates=[C("newi", "g")]), VE,
     INVALID + "AttributeDefinitions is not specified for index: newi"),
    # nothing recorded real DynamoDB here: [DDBL]
    ("create-hash-not-defined", "ppr", dict(AttributeDefinitions=AD(x="S"),
                                            GlobalSecondaryIndexUpdates=[C()]), VE,
     "Global Secondary Index hash key not specified in Attribute Definitions.Type unknown."),
    ("create-range-not-defined", "ppr", dict(AttributeDefinitions=AD(),
                                             GlobalSecondaryIndexUpdates=[C(range_key="r")]), VE,
     "Global Secondary Index range key not specified in Attribute Definitions.Type unknown."),
    ("create-redefines-type", "ppr", dict(AttributeDefinitions=AD(g="N"),
                                          GlobalSecondaryIndexUpdates=[C("newi", "g")]), VE,
     "invalid attribute, SchemaElement redefined should be of same type as previously defined"),
    ("create-redefines-table-key", "ppr", dict(AttributeDefinitions=AD(h="S", pk="N"),
                                               GlobalSecondaryIndexUpdates=[C()]), VE,
     "invalid attribute, SchemaElement redefined should be of same type as previously defined"),
    # CreateTable's key schema rules [RD] DDB-TABLE-124
    ("create-range-first", "ppr", dict(AttributeDefinitions=AD(), GlobalSecondaryIndexUpdates=[
        C(KeySchema=[{"AttributeName": "h", "KeyType": "RANGE"}])]), VE,
     "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"),
    ("create-same-key-twice", "ppr", dict(AttributeDefinitions=AD(),
                                          GlobalSecondaryIndexUpdates=[C(range_key="h")]), VE,
     "Both the Hash Key and the Range Key element in the KeySchema have the same name"),
    # projection: CreateTable's rules [RD] DDB-TABLE-126 (DynamoDB Local differs: its own words)
    ("create-include-without-attributes", "ppr", dict(
        AttributeDefinitions=AD(), GlobalSecondaryIndexUpdates=[C(projection="INCLUDE")]), VE,
     INVALID + "ProjectionType is INCLUDE, but NonKeyAttributes is not specified"),
    ("create-keys-only-with-attributes", "ppr", dict(
        AttributeDefinitions=AD(), GlobalSecondaryIndexUpdates=[
            C(projection="KEYS_ONLY", non_key=["a"])]), VE,
     INVALID + "ProjectionType is KEYS_ONLY, but NonKeyAttributes is specified"),
    ("create-empty-projection", "ppr", dict(AttributeDefinitions=AD(), GlobalSecondaryIndexUpdates=[
        C(Projection={})]), VE, INVALID + "Unknown ProjectionType: null"),
    ("create-duplicate-non-key-attribute", "ppr", dict(
        AttributeDefinitions=AD(), GlobalSecondaryIndexUpdates=[
            C(projection="INCLUDE", non_key=["a", "a"])]), VE,
     INVALID + "Duplicate element in NonKeyAttributes: a"),
    # throughput [RD] message catalogue (DynamoDB Local differs: ignores it / fails internally)
    ("create-throughput-on-demand", "ppr", dict(AttributeDefinitions=AD(),
                                                GlobalSecondaryIndexUpdates=[C(pt=(1, 1))]), VE,
     INVALID + "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified for index: newi "
               "when BillingMode is PAY_PER_REQUEST"),
    ("create-no-throughput-provisioned", "prov", dict(AttributeDefinitions=AD(),
                                                      GlobalSecondaryIndexUpdates=[C()]), VE,
     INVALID + "Both ReadCapacityUnits and WriteCapacityUnits must be specified for index: newi"),
    # -- Delete and Update against the table [RD] DDB-TABLE-161, catalogue
    ("delete-unknown", "ppr", dict(GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "nope"}}]),
     NF, "Requested resource not found: Index nope for table @T@"),
    ("update-unknown", "prov", dict(GlobalSecondaryIndexUpdates=[{"Update": {
        "IndexName": "nope", "ProvisionedThroughput": PT}}]),
     NF, "Requested resource not found: Index nope for table @T@"),
    ("delete-lsi", "lsi", dict(GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "lsi1"}}]), VE,
     "Cannot delete an index that is not a GlobalSecondaryIndex: lsi1"),
    ("update-on-demand-index", "ppr", dict(GlobalSecondaryIndexUpdates=[UPDATE_KEPT]), VE,
     INVALID + "The only Updates for index: kept when TableThroughputMode is PAY_PER_REQUEST can "
               "be to OnDemandThroughput, WarmThroughput"),
    # nothing recorded real DynamoDB here: [DDBL]
    ("update-without-throughput", "prov", dict(GlobalSecondaryIndexUpdates=[
        {"Update": {"IndexName": "kept"}}]), VE,
     "No provisioned throughput specified for the global secondary index"),
    # a valid entry next to an invalid one is not applied
    ("valid-update-then-unknown-delete", "prov", dict(GlobalSecondaryIndexUpdates=[
        UPDATE_KEPT, {"Delete": {"IndexName": "nope"}}]),
     NF, "Requested resource not found: Index nope for table @T@"),
]


@pytest.fixture(scope="module")
def error_tables(server):
    c = server.client()
    return {
        "ppr": lambda: new_table(c, "idxerr", "pk", pk="S", g="S",
                                 gsis=[gsi("kept", "g"), gsi("other", "g")]),
        "prov": lambda: new_table(c, "idxerr", "pk", provisioned=True, pk="S", g="S",
                                  gsis=[gsi("kept", "g", pt=(5, 5)), gsi("other", "g", pt=(5, 5))]),
        "lsi": lambda: new_table(c, "idxerr", "pk", "sk", pk="S", sk="S", g="S", l="N",
                                 gsis=[gsi("kept", "g")], lsis=[gsi("lsi1", "pk", "l")]),
    }


@pytest.mark.parametrize("case_id,kind,update,code,message", INVALID_CASES,
                         ids=[c[0] for c in INVALID_CASES])
def test_invalid_index_updates(server, ddb, error_tables, case_id, kind, update, code, message):
    table = error_tables[kind]()
    before = ddb.describe_table(TableName=table)["Table"]
    # raw HTTP: botocore would refuse some of these, and Debian's knows no DeletionProtection
    resp = server.raw("UpdateTable", dict(update, TableName=table))
    assert_raw_error(resp, code, message.replace("@T@", table))
    after = ddb.describe_table(TableName=table)["Table"]
    assert after == before                       # a rejected request changes nothing


def test_missing_table(ddb):
    # eddy's message for every table-level operation (test_errors.py); DynamoDB Local differs:
    # "Cannot do operations on a non-existent table"
    with pytest.raises(ClientError) as e:
        ddb.update_table(TableName="no-such-table-" + uuid.uuid4().hex[:8],
                         **create_gsi("newi", "h", h="S"))
    assert e.value.response["Error"]["Code"] == NF
    assert e.value.response["Error"]["Message"].startswith(
        "Requested resource not found: Table: no-such-table-")


# =============================================================================================
# -delayTransientStatuses: the index reads CREATING (backfilling) while the table reads UPDATING
# =============================================================================================

def test_delayed_statuses(make_server):
    """DynamoDB Local differs: its -delayTransientStatuses does not delay index creation (the
    table answers ACTIVE)."""
    s = make_server(in_memory=True, extra_args=["-delayTransientStatuses"])
    s.start()
    c = s.client()
    table = unique_name("delayed")
    c.create_table(TableName=table, AttributeDefinitions=attr_defs(pk="S"),
                   KeySchema=key_schema("pk"), BillingMode="PAY_PER_REQUEST")
    while c.describe_table(TableName=table)["Table"]["TableStatus"] != "ACTIVE":
        time.sleep(0.05)
    for i in range(20):
        c.put_item(TableName=table, Item={"pk": S("k%d" % i), "g": S("G%d" % (i % 2))})
    r = c.update_table(TableName=table, **create_gsi("by-g", "g", g="S"))
    td = r["TableDescription"]
    assert td["TableStatus"] == "UPDATING"
    g = index_of(td, "by-g")
    assert (g["IndexStatus"], g["Backfilling"]) == ("CREATING", False)
    t = c.describe_table(TableName=table)["Table"]
    g = index_of(t, "by-g")
    # [RD] DDB-TABLE-148: after the answer the index backfills
    assert (t["TableStatus"], g["IndexStatus"], g["Backfilling"]) == ("UPDATING", "CREATING", True)
    with pytest.raises(ClientError) as e:
        c.update_table(TableName=table, **create_gsi("by-h", "h", h="S"))
    assert e.value.response["Error"]["Code"] == IU
    # [RD] DDB-TABLE-150
    with pytest.raises(ClientError) as e:
        c.delete_table(TableName=table)
    assert (e.value.response["Error"]["Code"], e.value.response["Error"]["Message"]) == (
        IU, "Attempt to change a resource which is still in use: Cannot delete table while "
            "indexes are being created, updated, or deleted.")
    # items can be written meanwhile, and land in the index
    c.put_item(TableName=table, Item={"pk": S("late"), "g": S("G0")})
    seen = wait_index_active(c, table, "by-g", timeout=10)
    assert len(seen) > 1 and all(st == "UPDATING" for st, _ in seen[:-1])
    t = c.describe_table(TableName=table)["Table"]
    g = index_of(t, "by-g")
    assert t["TableStatus"] == "ACTIVE" and "Backfilling" not in g and g["ItemCount"] == 21
    # a later update, with a delay of its own, does not bring CREATING back
    c.update_table(TableName=table, StreamSpecification={"StreamEnabled": True,
                                                         "StreamViewType": "KEYS_ONLY"})
    t = c.describe_table(TableName=table)["Table"]
    assert (t["TableStatus"], index_of(t, "by-g")["IndexStatus"]) == ("UPDATING", "ACTIVE")
    assert "Backfilling" not in index_of(t, "by-g")
    while c.describe_table(TableName=table)["Table"]["TableStatus"] != "ACTIVE":
        time.sleep(0.05)
    # a dropped index answers DELETING, and is gone at once
    r = c.update_table(TableName=table,
                       GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "by-g"}}])
    assert r["TableDescription"]["TableStatus"] == "UPDATING"
    assert index_of(r["TableDescription"], "by-g")["IndexStatus"] == "DELETING"
    assert index_of(c.describe_table(TableName=table)["Table"], "by-g") is None


# =============================================================================================
# Index rows on disk: restart and kill -9
# =============================================================================================

def test_index_rows_survive_restart_and_kill(disk_server):
    s = disk_server
    c = s.client()
    table = "persisted"
    create_table(c, dict(TableName=table, AttributeDefinitions=attr_defs(pk="S", sk="N"),
                         KeySchema=key_schema("pk", "sk"), BillingMode="PAY_PER_REQUEST"))
    items = [{"pk": S("p%d" % (i % 5)), "sk": N(i), "city": S("c%d" % (i % 4)),
              "v": S("v" * (i % 9))} for i in range(400)]
    bulk_put(s, table, items)
    c.update_table(TableName=table, **create_gsi("by-city", "city", "sk", "INCLUDE", ["v"],
                                                 city="S", sk="N"))
    wait_index_active(c, table, "by-city")
    keys = {"pk", "sk", "city"}
    want = model_totals(items, ("city", "sk"), ("S", "N"), keys, ["v"])

    def check(expected_items, expected_totals):
        t = c.describe_table(TableName=table)["Table"]
        g = index_of(t, "by-city")
        assert g["IndexStatus"] == "ACTIVE"
        assert (g["ItemCount"], g["IndexSizeBytes"]) == expected_totals
        got = query_all(c, TableName=table, IndexName="by-city",
                        KeyConditionExpression="city = :c",
                        ExpressionAttributeValues={":c": S("c1")})
        exp = sorted((projected(i, keys, ["v"]) for i in expected_items
                      if i.get("city") == S("c1")), key=lambda i: int(i["sk"]["N"]))
        assert got == exp

    check(items, want)
    s.restart()
    c = s.client()
    check(items, want)
    # writes after the restart keep the stored rows current
    extra = {"pk": S("p9"), "sk": N(1000), "city": S("c1"), "v": S("new")}
    c.put_item(TableName=table, Item=extra)
    items.append(extra)
    want = model_totals(items, ("city", "sk"), ("S", "N"), keys, ["v"])
    check(items, want)
    # an acknowledged index creation survives kill -9 with its rows
    c.update_table(TableName=table, **create_gsi("by-v", "v", None, "KEYS_ONLY", v="S"))
    s.kill()
    s.start()
    c = s.client()
    check(items, want)
    g = index_of(c.describe_table(TableName=table)["Table"], "by-v")
    assert g["IndexStatus"] == "ACTIVE"
    assert (g["ItemCount"], g["IndexSizeBytes"]) == model_totals(
        items, ("v",), ("S",), {"pk", "sk", "v"})
    # and so does a deletion
    c.update_table(TableName=table, GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "by-v"}}])
    s.restart()
    c = s.client()
    assert index_of(c.describe_table(TableName=table)["Table"], "by-v") is None
    check(items, want)


# =============================================================================================
# A large backfill
# =============================================================================================

BACKFILL_ITEMS = int(os.environ.get("EDDY_INDEX_BACKFILL_ITEMS", "50000"))


@pytest.mark.slow
def test_create_gsi_over_50000_items(server, ddb):
    n = BACKFILL_ITEMS
    table = new_table(ddb, "big-backfill", "pk", "sk", pk="S", sk="N")
    items = [{"pk": S("u%04d" % (i % 1000)), "sk": N(i), "city": S("city%02d" % (i % 37)),
              "age": N(18 + i % 60), "name": S("name %d" % i)} for i in range(n)]
    for i in range(0, n, 5):
        del items[i]["city"]                        # a fifth of them stay out of the index
    start = time.monotonic()
    bulk_put(server, table, items)
    loaded = time.monotonic() - start
    t = ddb.describe_table(TableName=table)["Table"]
    assert t["ItemCount"] == n and t["TableSizeBytes"] == sum(item_size(i) for i in items)

    start = time.monotonic()
    ddb.update_table(TableName=table, **create_gsi("by-city", "city", "age", "KEYS_ONLY",
                                                   city="S", age="N"))
    seen = wait_index_active(ddb, table, "by-city")
    built = time.monotonic() - start
    print("loaded %d items in %.1fs; index ACTIVE %.1fs after UpdateTable (%d polls)"
          % (n, loaded, built, len(seen)))
    g = seen[-1][1]
    keys = {"pk", "sk", "city", "age"}
    assert (g["ItemCount"], g["IndexSizeBytes"]) == model_totals(
        items, ("city", "age"), ("S", "N"), keys)
    assert g["ItemCount"] == n - n // 5
    for city in ("city00", "city36"):
        got = query_all(ddb, TableName=table, IndexName="by-city",
                        KeyConditionExpression="city = :c",
                        ExpressionAttributeValues={":c": S(city)})
        want = [i for i in items if i.get("city") == S(city)]
        assert sorted((i["pk"]["S"], int(i["sk"]["N"])) for i in got) == sorted(
            (i["pk"]["S"], int(i["sk"]["N"])) for i in want)
        assert [int(i["age"]["N"]) for i in got] == sorted(int(i["age"]["N"]) for i in want)
        assert set(got[0]) == keys
