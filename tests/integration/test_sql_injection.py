"""No SQL injection path: table, index and attribute names and every value are data to eddy,
never SQL text. Hostile names and values round-trip unchanged, and the database file's schema
is the same fixed set of tables before and after."""
import os
import sqlite3

import botocore.exceptions
import pytest

from eddy_helpers import S

HOSTILE = [
    "'; DROP TABLE items; --",
    "\" OR 1=1 --",
    "x') UNION SELECT * FROM tables --",
    "]]; DELETE FROM items WHERE 1=1; [[",
    "%_\\*?",
    "a\x00b",
    "Robert'); DROP TABLE Students;--",
]


def schema_of(db_path):
    db = sqlite3.connect(os.path.join(db_path, "shared-local-instance.db"))
    try:
        return sorted(db.execute("SELECT type, name, sql FROM sqlite_master").fetchall())
    finally:
        db.close()


def test_hostile_names_and_values_are_only_data(disk_server, tmp_path):
    disk_server.client().create_table(
        TableName="baseline", BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
    disk_server.stop()  # eddy holds its file exclusively while it runs
    before = schema_of(str(tmp_path / "db"))
    disk_server.start()
    client = disk_server.client()
    table = "t_--DROP.TABLE-items"  # SQL comment and keywords within DynamoDB's alphabet
    index = "i--DELETE.FROM-items"
    client.create_table(
        TableName=table, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": HOSTILE[0], "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": HOSTILE[0], "AttributeType": "S"},
                              {"AttributeName": HOSTILE[1], "AttributeType": "S"}],
        GlobalSecondaryIndexes=[{"IndexName": index, "Projection": {"ProjectionType": "ALL"},
                                 "KeySchema": [{"AttributeName": HOSTILE[1],
                                                "KeyType": "HASH"}]}])
    for value in HOSTILE:
        item = {HOSTILE[0]: S(value), HOSTILE[1]: S(value)}
        item.update({name: S(value) for name in HOSTILE[2:]})
        client.put_item(TableName=table, Item=item)
    # Names in expressions, values in keys and conditions.
    names = {"#%d" % i: name for i, name in enumerate(HOSTILE)}
    for value in HOSTILE:
        got = client.get_item(TableName=table, Key={HOSTILE[0]: S(value)},
                              ProjectionExpression=", ".join(names),
                              ExpressionAttributeNames=names, ConsistentRead=True)["Item"]
        assert got == {name: S(value) for name in HOSTILE}
        found = client.query(TableName=table, IndexName=index,
                             KeyConditionExpression="#1 = :v",
                             ExpressionAttributeNames={"#1": HOSTILE[1]},
                             ExpressionAttributeValues={":v": S(value)})["Items"]
        assert [i[HOSTILE[0]] for i in found] == [S(value)]
        client.update_item(TableName=table, Key={HOSTILE[0]: S(value)},
                           UpdateExpression="SET #2 = :v",
                           ConditionExpression="#3 = :v AND begins_with(#4, :v)",
                           ExpressionAttributeNames={"#2": HOSTILE[2], "#3": HOSTILE[3],
                                                     "#4": HOSTILE[4]},
                           ExpressionAttributeValues={":v": S(value)})
    scanned = client.scan(TableName=table, FilterExpression="contains(#0, :q)",
                          ExpressionAttributeNames={"#0": HOSTILE[0]},
                          ExpressionAttributeValues={":q": S("DROP")})["Items"]
    assert sorted(i[HOSTILE[0]]["S"] for i in scanned) == sorted(
        v for v in HOSTILE if "DROP" in v)
    assert client.scan(TableName=table, Select="COUNT")["Count"] == len(HOSTILE)
    # Table names outside DynamoDB's alphabet never get as far as the database.
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        disk_server.client(validate=False).describe_table(TableName="x' OR '1'='1")
    assert refused.value.response["Error"]["Code"] == "ValidationException"
    assert client.list_tables()["TableNames"] == ["baseline", table]

    disk_server.stop()
    after = schema_of(str(tmp_path / "db"))
    assert before == after
    schema_text = " ".join(str(row) for row in after)
    for name in HOSTILE + [table, index]:
        assert name not in schema_text  # no per-table SQL objects named after user input
    disk_server.start()
    assert disk_server.client().scan(TableName=table, Select="COUNT")["Count"] == len(HOSTILE)
