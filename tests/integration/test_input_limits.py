"""Hostile and extreme input, swept: nesting at and past DynamoDB's 32 levels, JSON and
expressions nested thousands deep, sets of tens of thousands of members, numbers at the edges of
their range in keys and sets, and invalid UTF-8 wherever text goes. Each gets DynamoDB's answer;
after each, eddy still serves and nothing half-written is left."""
import decimal

import botocore.exceptions
import pytest

from eddy_helpers import all_items, assert_client_error, create_table, raw_request, unique_name

INVALID = "One or more parameter values were invalid: "
TOO_DEEP = ("Nesting Levels have exceeded supported limits: Attributes in the item have nested "
            "levels beyond supported limit")


def nested(containers, kind):
    """An attribute value `containers` lists or maps deep, with a string at the bottom."""
    value = {"S": "bottom"}
    for _ in range(containers):
        value = {"L": [value]} if kind == "L" else {"M": {"m": value}}
    return value


def bottom(value):
    depth = 0
    while "S" not in value:
        value = value["L"][0] if "L" in value else value["M"]["m"]
        depth += 1
    return depth, value["S"]


@pytest.fixture(scope="module")
def number_table(server, ddb):
    name = unique_name("numbers")
    create_table(ddb, {"TableName": name, "BillingMode": "PAY_PER_REQUEST",
                       "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                                {"AttributeName": "n", "AttributeType": "N"}],
                       "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                     {"AttributeName": "n", "KeyType": "RANGE"}]})
    return name


def still_serving(ddb, table):
    ddb.put_item(TableName=table, Item={"pk": {"S": "alive"}})
    assert ddb.get_item(TableName=table, Key={"pk": {"S": "alive"}})["Item"]


@pytest.mark.parametrize("kind", ["L", "M"])
def test_31_nested_containers_round_trip_and_32_are_refused(ddb, hash_table, kind):
    key = {"pk": {"S": "deep-" + kind}}
    ddb.put_item(TableName=hash_table, Item={**key, "d": nested(31, kind)})
    assert bottom(ddb.get_item(TableName=hash_table, Key=key)["Item"]["d"]) == (31, "bottom")
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        ddb.put_item(TableName=hash_table, Item={**key, "d": nested(32, kind)})
    assert_client_error(excinfo, "ValidationException", TOO_DEEP)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        ddb.update_item(TableName=hash_table, Key=key, UpdateExpression="SET e = :v",
                        ExpressionAttributeValues={":v": nested(32, kind)})
    assert_client_error(excinfo, "ValidationException",
                        "ExpressionAttributeValues contains invalid value: %s for key :v"
                        % TOO_DEEP)
    item = ddb.get_item(TableName=hash_table, Key=key)["Item"]
    assert set(item) == {"pk", "d"} and bottom(item["d"]) == (31, "bottom")


def test_json_nested_200_000_deep_is_answered(server, ddb, hash_table):
    depth = 200_000
    # An unknown member is ignored, however deep, as DynamoDB ignores it.
    response = raw_request(server.host, server.port, "ListTables",
                           '{"Junk":' + "[" * depth + "]" * depth + "}")
    assert response.status == 200, response
    item = ('{"TableName":"%s","Item":{"pk":{"S":"json-deep"},"d":' % hash_table +
            '{"L":[' * depth + ']}' * depth + "}}")
    response = raw_request(server.host, server.port, "PutItem", item)
    assert (response.status, response.json()["message"]) == (400, TOO_DEEP)
    assert "Item" not in ddb.get_item(TableName=hash_table, Key={"pk": {"S": "json-deep"}})
    still_serving(ddb, hash_table)


@pytest.mark.parametrize("member, expression, message", [
    ("ConditionExpression", "(" * 2000 + "attribute_exists(pk)" + ")" * 2000,
     "Invalid ConditionExpression: The expression has too many nesting levels; nesting levels: "
     "101"),
    ("ConditionExpression", "NOT " * 101 + "attribute_exists(pk)",
     "Invalid ConditionExpression: The expression has too many nesting levels; nesting levels: "
     "101"),
    ("ConditionExpression", "NOT " * 1200 + "attribute_exists(pk)",
     "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; "
     "expression size: 4820"),
    ("UpdateExpression", "SET a" + ".b" * 2000 + " = :v",
     "Invalid UpdateExpression: The document path has too many nesting levels; nesting levels: "
     "2001"),
    ("UpdateExpression", "SET a" + "[0]" * 1300 + " = :v",
     "Invalid UpdateExpression: The document path has too many nesting levels; nesting levels: "
     "1301"),
])
def test_expressions_nested_thousands_deep_are_refused(ddb_unvalidated, hash_table, member,
                                                       expression, message):
    request = {"TableName": hash_table, "Key": {"pk": {"S": "deep-expression"}},
               member: expression}
    if member == "UpdateExpression":
        request["ExpressionAttributeValues"] = {":v": {"S": "x"}}
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        ddb_unvalidated.update_item(**request)
    assert_client_error(excinfo, "ValidationException", message)
    assert "Item" not in ddb_unvalidated.get_item(TableName=hash_table,
                                                  Key={"pk": {"S": "deep-expression"}})


def test_a_set_of_50_000_strings_round_trips(ddb, hash_table):
    members = ["%05d" % i for i in range(50_000)]
    key = {"pk": {"S": "big-set"}}
    ddb.put_item(TableName=hash_table, Item={**key, "ss": {"SS": members}})
    stored = ddb.get_item(TableName=hash_table, Key=key)["Item"]["ss"]["SS"]
    assert sorted(stored) == members
    ddb.update_item(TableName=hash_table, Key=key, UpdateExpression="DELETE ss :gone ADD ns :n",
                    ExpressionAttributeValues={":gone": {"SS": members[:25_000]},
                                               ":n": {"NS": [str(i) for i in range(20_000)]}})
    item = ddb.get_item(TableName=hash_table, Key=key)["Item"]
    assert sorted(item["ss"]["SS"]) == members[25_000:]
    assert len(item["ns"]["NS"]) == 20_000


def test_a_set_past_400_kb_is_refused_whole(ddb, hash_table):
    key = {"pk": {"S": "too-big-set"}}
    members = ["%07d" % i for i in range(60_000)]  # 420 000 bytes
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        ddb.put_item(TableName=hash_table, Item={**key, "ss": {"SS": members}})
    assert_client_error(excinfo, "ValidationException",
                        "Item size has exceeded the maximum allowed size")
    ddb.put_item(TableName=hash_table, Item={**key, "ss": {"SS": members[:30_000]}})
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        ddb.update_item(TableName=hash_table, Key=key, UpdateExpression="ADD ss :more",
                        ExpressionAttributeValues={":more": {"SS": members[30_000:]}})
    assert_client_error(excinfo, "ValidationException",
                        "Item size to update has exceeded the maximum allowed size")
    assert len(ddb.get_item(TableName=hash_table, Key=key)["Item"]["ss"]["SS"]) == 30_000


EDGES = ["-9.9999999999999999999999999999999999999E+125", "-1E-130", "0", "1E-130",
         "12345678901234567890123456789012345678", "9.9999999999999999999999999999999999999E+125"]


def test_numbers_at_the_edges_of_the_range_sort_and_round_trip_as_keys(ddb, number_table):
    for text in reversed(EDGES):
        ddb.put_item(TableName=number_table, Item={"pk": {"S": "edges"}, "n": {"N": text},
                                                   "set": {"NS": EDGES}})
    items = all_items(ddb.query, TableName=number_table, KeyConditionExpression="pk = :p",
                      ExpressionAttributeValues={":p": {"S": "edges"}})
    assert [decimal.Decimal(i["n"]["N"]) for i in items] == [decimal.Decimal(e) for e in EDGES]
    assert sorted(map(decimal.Decimal, items[0]["set"]["NS"])) == \
        [decimal.Decimal(e) for e in EDGES]
    for past, message in [("1E+126", "Number overflow. Attempting to store a number with "
                                     "magnitude larger than supported range"),
                          ("1E-131", "Number underflow. Attempting to store a number with "
                                     "magnitude smaller than supported range"),
                          ("1" * 39, "Attempting to store more than 38 significant digits in "
                                     "a Number")]:
        with pytest.raises(botocore.exceptions.ClientError) as excinfo:
            ddb.put_item(TableName=number_table, Item={"pk": {"S": "edges"}, "n": {"N": past}})
        assert_client_error(excinfo, "ValidationException", message)
        with pytest.raises(botocore.exceptions.ClientError) as excinfo:
            ddb.put_item(TableName=number_table, Item={"pk": {"S": "past"}, "n": {"N": "1"},
                                                       "set": {"NS": ["1", past]}})
        assert_client_error(excinfo, "ValidationException", message)
    assert len(all_items(ddb.scan, TableName=number_table)) == len(EDGES)


BAD_UTF8 = {"lone-continuation": b"\x80", "invalid-byte": b"\xff", "overlong-slash": b"\xc0\xaf",
            "encoded-surrogate": b"\xed\xa0\x80", "truncated": b"\xe2\x82",
            "past-u10ffff": b"\xf4\x90\x80\x80"}
PLACES = {
    "string-value": b'{"TableName":"%(t)s","Item":{"pk":{"S":"utf8"},"v":{"S":"a%(x)s"}}}',
    "key-value": b'{"TableName":"%(t)s","Item":{"pk":{"S":"%(x)s"}}}',
    "attribute-name": b'{"TableName":"%(t)s","Item":{"pk":{"S":"utf8"},"%(x)s":{"S":"a"}}}',
    "table-name": b'{"TableName":"%(t)s%(x)s","Item":{"pk":{"S":"utf8"}}}',
    "set-member": b'{"TableName":"%(t)s","Item":{"pk":{"S":"utf8"},"v":{"SS":["%(x)s"]}}}',
    "expression": b'{"TableName":"%(t)s","Item":{"pk":{"S":"utf8"}},'
                  b'"ConditionExpression":"attribute_not_exists(%(x)s)"}',
}


@pytest.mark.parametrize("place", sorted(PLACES))
def test_invalid_utf8_anywhere_is_a_serialization_error(server, ddb, hash_table, place):
    for name, bad in BAD_UTF8.items():
        body = PLACES[place] % {b"t": hash_table.encode(), b"x": bad}
        response = raw_request(server.host, server.port, "PutItem", body)
        assert response.status == 400, (name, response)
        assert response.json() == {"__type": "com.amazon.coral.service#SerializationException"}
    escaped = PLACES[place] % {b"t": hash_table.encode(), b"x": b"\\ud800"}  # lone surrogate
    response = raw_request(server.host, server.port, "PutItem", escaped)
    assert response.json()["__type"] == "com.amazon.coral.service#SerializationException"
    assert "Item" not in ddb.get_item(TableName=hash_table, Key={"pk": {"S": "utf8"}})
    still_serving(ddb, hash_table)
