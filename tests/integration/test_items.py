"""Item API: PutItem/GetItem/DeleteItem/UpdateItem (legacy AttributeUpdates), every data
type, number normalisation, ReturnValues, ReturnConsumedCapacity, size limits, AWS CLI."""
import decimal
import json
import uuid

import pytest
from botocore.exceptions import ClientError

from eddy_helpers import (assert_client_error, create_table, hash_table_spec, unique_name)

GSI = "message-group-sk-index"
MAX_ITEM = 400 * 1024


@pytest.fixture(scope="module")
def num_table(server):
    c = server.client()
    name = unique_name("numkey")
    create_table(c, hash_table_spec(name, key_type="N"))
    return name


@pytest.fixture(scope="module")
def bin_table(server):
    c = server.client()
    name = unique_name("binkey")
    create_table(c, hash_table_spec(name, key_type="B"))
    return name


def uid():
    return uuid.uuid4().hex


def canon(v):
    """Makes attribute values comparable: sets are unordered."""
    if isinstance(v, dict):
        out = {}
        for k, x in v.items():
            if k in ("SS", "NS", "BS"):
                out[k] = sorted(x)
            else:
                out[k] = canon(x)
        return out
    if isinstance(v, list):
        return [canon(x) for x in v]
    return v


def get(ddb, table, key, **kw):
    return ddb.get_item(TableName=table, Key=key, ConsistentRead=True, **kw)


# -- data types ------------------------------------------------------------------------------

def every_type_item(pk, sk):
    return {
        "pk": {"S": pk},
        "sk": {"S": sk},
        "message_group_uuid": {"S": "5ae290ed-55d1-47a0-bc6d-fe2bc2700399"},
        "s": {"S": "héllo wörld ✓ 𝄞"},
        "n": {"N": "-56.789"},
        "b": {"B": b"\x00\x01\x02\xff"},
        "ss": {"SS": ["a", "b", "c"]},
        "ns": {"NS": ["1", "-2.5", "300"]},
        "bs": {"BS": [b"\x01", b"\x02\x03"]},
        "t": {"BOOL": True},
        "f": {"BOOL": False},
        "null": {"NULL": True},
        "l": {"L": [{"S": "a"}, {"N": "1"}, {"B": b"\x07"}, {"BOOL": False}, {"NULL": True},
                    {"SS": ["x"]}, {"NS": ["2"]}, {"BS": [b"\x08"]}, {"L": []}, {"M": {}}]},
        "m": {"M": {
            "s": {"S": "nested"},
            "n": {"N": "42"},
            "deep": {"M": {"list": {"L": [{"M": {"k": {"S": "v"}}}, {"L": [{"N": "7"}]}]}}},
            "empty_map": {"M": {}},
            "empty_list": {"L": []},
        }},
    }


def test_put_get_every_type(ddb, messages_table):
    item = every_type_item(uid(), "2026-01-01T00:00:00Z")
    r = ddb.put_item(TableName=messages_table, Item=item)
    assert "Attributes" not in r
    assert "ConsumedCapacity" not in r
    got = get(ddb, messages_table, {"pk": item["pk"], "sk": item["sk"]})
    assert canon(got["Item"]) == canon(item)


def test_put_replaces_whole_item(ddb, hash_table):
    key = {"pk": {"S": uid()}}
    ddb.put_item(TableName=hash_table, Item=dict(key, a={"S": "1"}, b={"S": "2"}))
    ddb.put_item(TableName=hash_table, Item=dict(key, c={"S": "3"}))
    assert get(ddb, hash_table, key)["Item"] == dict(key, c={"S": "3"})


def test_range_key_distinguishes_items(ddb, messages_table):
    pk = uid()
    for sk in ("a", "b"):
        ddb.put_item(TableName=messages_table,
                     Item={"pk": {"S": pk}, "sk": {"S": sk}, "v": {"S": "val-" + sk}})
    for sk in ("a", "b"):
        got = get(ddb, messages_table, {"pk": {"S": pk}, "sk": {"S": sk}})["Item"]
        assert got["v"] == {"S": "val-" + sk}


def test_get_missing_item_has_no_item_field(ddb, messages_table):
    r = ddb.get_item(TableName=messages_table, Key={"pk": {"S": uid()}, "sk": {"S": "x"}})
    assert "Item" not in r
    r = get(ddb, messages_table, {"pk": {"S": uid()}, "sk": {"S": "x"}})
    assert "Item" not in r


def test_eventually_consistent_get_sees_write(ddb, hash_table):
    key = {"pk": {"S": uid()}}
    ddb.put_item(TableName=hash_table, Item=dict(key, v={"N": "1"}))
    assert ddb.get_item(TableName=hash_table, Key=key)["Item"] == dict(key, v={"N": "1"})


NUMBERS = [
    ("1.50", "1.5"),
    ("1e3", "1000"),
    ("100", "100"),
    ("0.000", "0"),
    ("12.3400e-2", "0.1234"),
    ("-0015.789e6", "-15789000"),
    ("12345678901234567890123456789012345678", "12345678901234567890123456789012345678"),
    ("0000012345678901234567890123456789012345678", "12345678901234567890123456789012345678"),
    ("-00001.23456789012345678901234567890123456780000",
     "-1.2345678901234567890123456789012345678"),
    ("0009.99999999999999999999999999999999999990000e125", "9" * 38 + "0" * 88),
    ("-0009.99999999999999999999999999999999999990000e125", "-" + "9" * 38 + "0" * 88),
    ("0001.000e-130", "0." + "0" * 129 + "1"),
    ("-0001.000e-130", "-0." + "0" * 129 + "1"),
]


@pytest.mark.parametrize("given,stored", NUMBERS, ids=[n[0][:20] for n in NUMBERS])
def test_number_normalisation(ddb, hash_table, given, stored):
    key = {"pk": {"S": uid()}}
    ddb.put_item(TableName=hash_table, Item=dict(key, n={"N": given}, l={"L": [{"N": given}]},
                                                 m={"M": {"x": {"N": given}}}))
    item = get(ddb, hash_table, key)["Item"]
    assert item["n"] == {"N": stored}
    assert item["l"] == {"L": [{"N": stored}]}
    assert item["m"] == {"M": {"x": {"N": stored}}}


def test_number_set_normalisation(ddb, hash_table):
    key = {"pk": {"S": uid()}}
    ddb.put_item(TableName=hash_table, Item=dict(key, ns={"NS": ["1.50", "2e0", "-0.10", "1e3"]}))
    assert sorted(get(ddb, hash_table, key)["Item"]["ns"]["NS"]) == sorted(
        ["1.5", "2", "-0.1", "1000"])


def test_number_keys_compare_numerically(ddb, num_table):
    ddb.put_item(TableName=num_table, Item={"pk": {"N": "10"}, "v": {"S": "ten"}})
    got = get(ddb, num_table, {"pk": {"N": "1e1"}})
    assert got["Item"] == {"pk": {"N": "10"}, "v": {"S": "ten"}}
    r = ddb.put_item(TableName=num_table, Item={"pk": {"N": "10.00"}, "v": {"S": "again"}},
                     ReturnValues="ALL_OLD")
    assert r["Attributes"] == {"pk": {"N": "10"}, "v": {"S": "ten"}}
    ddb.delete_item(TableName=num_table, Key={"pk": {"N": "100e-1"}})
    assert "Item" not in get(ddb, num_table, {"pk": {"N": "10"}})


def test_binary_keys(ddb, bin_table):
    for k in (b"\x00", b"\x00\x00", b"\xff\xfe", b"plain"):
        ddb.put_item(TableName=bin_table, Item={"pk": {"B": k}, "v": {"B": k + b"!"}})
    for k in (b"\x00", b"\x00\x00", b"\xff\xfe", b"plain"):
        assert get(ddb, bin_table, {"pk": {"B": k}})["Item"] == {"pk": {"B": k},
                                                                 "v": {"B": k + b"!"}}


def test_decimals_through_resource_api(ddb_resource, hash_table):
    table = ddb_resource.Table(hash_table)
    pk = uid()
    big = decimal.Decimal("12345678901234567890123456789012345678")
    table.put_item(Item={"pk": pk, "price": decimal.Decimal("1.50"), "big": big,
                         "neg": decimal.Decimal("-0.001"), "exp": decimal.Decimal("1E+3"),
                         "tags": {"a", "b"}, "nums": {decimal.Decimal("1"), decimal.Decimal("2")},
                         "nested": {"qty": 3, "items": ["x", decimal.Decimal("2.50")]}})
    item = table.get_item(Key={"pk": pk}, ConsistentRead=True)["Item"]
    assert item["price"] == decimal.Decimal("1.5") and str(item["price"]) == "1.5"
    assert item["big"] == big and str(item["big"]) == str(big)
    assert str(item["neg"]) == "-0.001"
    assert str(item["exp"]) == "1000"
    assert item["tags"] == {"a", "b"}
    assert item["nums"] == {decimal.Decimal("1"), decimal.Decimal("2")}
    assert item["nested"] == {"qty": decimal.Decimal("3"), "items": ["x", decimal.Decimal("2.5")]}
    assert str(item["nested"]["items"][1]) == "2.5"


def test_empty_strings_and_binaries_in_non_key_attributes(ddb, hash_table):
    key = {"pk": {"S": uid()}}
    item = dict(key, s={"S": ""}, b={"B": b""}, ss={"SS": [""]}, bs={"BS": [b""]},
                m={"M": {"e": {"S": ""}, "eb": {"B": b""}}}, l={"L": [{"S": ""}, {"B": b""}]})
    ddb.put_item(TableName=hash_table, Item=item)
    assert canon(get(ddb, hash_table, key)["Item"]) == canon(item)


def test_update_with_empty_string_value(ddb, hash_table):
    key = {"pk": {"S": uid()}}
    r = ddb.update_item(TableName=hash_table, Key=key,
                        AttributeUpdates={"s": {"Action": "PUT", "Value": {"S": ""}}},
                        ReturnValues="ALL_NEW")
    assert r["Attributes"] == dict(key, s={"S": ""})


# -- ReturnValues ---------------------------------------------------------------------------

def test_put_return_values_all_old(ddb, hash_table):
    key = {"pk": {"S": uid()}}
    r = ddb.put_item(TableName=hash_table, Item=dict(key, v={"S": "one"}), ReturnValues="ALL_OLD")
    assert "Attributes" not in r
    r = ddb.put_item(TableName=hash_table, Item=dict(key, v={"S": "two"}, n={"N": "-0015.789e6"}),
                     ReturnValues="ALL_OLD")
    assert r["Attributes"] == dict(key, v={"S": "one"})
    r = ddb.put_item(TableName=hash_table, Item=dict(key, v={"S": "three"}),
                     ReturnValues="ALL_OLD")
    assert r["Attributes"] == dict(key, v={"S": "two"}, n={"N": "-15789000"})
    r = ddb.put_item(TableName=hash_table, Item=dict(key, v={"S": "four"}), ReturnValues="NONE")
    assert "Attributes" not in r


def test_delete_item_and_return_values(ddb, messages_table):
    key = {"pk": {"S": uid()}, "sk": {"S": "s"}}
    r = ddb.delete_item(TableName=messages_table, Key=key, ReturnValues="ALL_OLD")
    assert "Attributes" not in r                     # nothing was there
    item = dict(key, v={"SS": ["x", "y"]})
    ddb.put_item(TableName=messages_table, Item=item)
    r = ddb.delete_item(TableName=messages_table, Key=key, ReturnValues="ALL_OLD")
    assert canon(r["Attributes"]) == canon(item)
    assert "Item" not in get(ddb, messages_table, key)
    ddb.put_item(TableName=messages_table, Item=item)
    r = ddb.delete_item(TableName=messages_table, Key=key)
    assert "Attributes" not in r
    assert "Item" not in get(ddb, messages_table, key)


# -- UpdateItem with legacy AttributeUpdates ---------------------------------------------

def test_update_without_actions_creates_key_only_item(ddb, messages_table):
    key = {"pk": {"S": uid()}, "sk": {"S": "k"}}
    r = ddb.update_item(TableName=messages_table, Key=key)
    assert "Attributes" not in r
    assert get(ddb, messages_table, key)["Item"] == key
    r = ddb.update_item(TableName=messages_table, Key={"pk": {"S": uid()}, "sk": {"S": "k"}},
                        ReturnValues="ALL_OLD")
    assert "Attributes" not in r


def test_update_return_values_sequence(ddb, hash_table):
    key = {"pk": {"S": uid()}}
    t = hash_table
    r = ddb.update_item(TableName=t, Key=key, ReturnValues="ALL_NEW", AttributeUpdates={
        "b": {"Action": "PUT", "Value": {"S": "a"}},
        "c": {"Value": {"N": "1"}},                       # Action defaults to PUT
        "s": {"Action": "PUT", "Value": {"SS": ["x", "y"]}},
        "keep": {"Action": "PUT", "Value": {"S": "same"}},
    })
    assert canon(r["Attributes"]) == canon(dict(key, b={"S": "a"}, c={"N": "1"},
                                                s={"SS": ["x", "y"]}, keep={"S": "same"}))

    r = ddb.update_item(TableName=t, Key=key, ReturnValues="UPDATED_OLD", AttributeUpdates={
        "b": {"Action": "PUT", "Value": {"S": "b"}},
        "c": {"Action": "ADD", "Value": {"N": "2.5"}},
        "s": {"Action": "DELETE", "Value": {"SS": ["x"]}},
        "gone": {"Action": "DELETE"},                      # absent attribute: no-op
    })
    assert canon(r["Attributes"]) == canon({"b": {"S": "a"}, "c": {"N": "1"},
                                            "s": {"SS": ["x", "y"]}})

    r = ddb.update_item(TableName=t, Key=key, ReturnValues="UPDATED_NEW", AttributeUpdates={
        "c": {"Action": "ADD", "Value": {"N": "-0.5"}},
        "new": {"Action": "PUT", "Value": {"L": [{"S": "z"}]}},
    })
    assert r["Attributes"] == {"c": {"N": "3"}, "new": {"L": [{"S": "z"}]}}

    r = ddb.update_item(TableName=t, Key=key, ReturnValues="ALL_OLD", AttributeUpdates={
        "b": {"Action": "DELETE"},
    })
    assert canon(r["Attributes"]) == canon(dict(key, b={"S": "b"}, c={"N": "3"},
                                                s={"SS": ["y"]}, keep={"S": "same"},
                                                new={"L": [{"S": "z"}]}))

    r = ddb.update_item(TableName=t, Key=key, ReturnValues="NONE", AttributeUpdates={
        "keep": {"Action": "PUT", "Value": {"S": "changed"}},
    })
    assert "Attributes" not in r
    assert canon(get(ddb, t, key)["Item"]) == canon(dict(key, c={"N": "3"}, s={"SS": ["y"]},
                                                         keep={"S": "changed"},
                                                         new={"L": [{"S": "z"}]}))


def test_update_add_to_sets_and_numbers(ddb, hash_table):
    key = {"pk": {"S": uid()}}
    ddb.update_item(TableName=hash_table, Key=key, AttributeUpdates={
        "ss": {"Value": {"SS": ["a", "b"]}},
        "ns": {"Value": {"NS": ["1", "2"]}},
        "bs": {"Value": {"BS": [b"\x01", b"\x02"]}},
        "n": {"Value": {"N": "10"}},
    })
    r = ddb.update_item(TableName=hash_table, Key=key, ReturnValues="UPDATED_NEW",
                        AttributeUpdates={
                            "ss": {"Action": "ADD", "Value": {"SS": ["b", "c", "d"]}},
                            "ns": {"Action": "ADD", "Value": {"NS": ["2", "3.0"]}},
                            "bs": {"Action": "ADD", "Value": {"BS": [b"\x02", b"\x03"]}},
                            "n": {"Action": "ADD", "Value": {"N": "-10.25"}},
                            "fresh": {"Action": "ADD", "Value": {"N": "5"}},
                            "fresh_set": {"Action": "ADD", "Value": {"SS": ["q"]}},
                        })
    assert canon(r["Attributes"]) == canon({
        "ss": {"SS": ["a", "b", "c", "d"]}, "ns": {"NS": ["1", "2", "3"]},
        "bs": {"BS": [b"\x01", b"\x02", b"\x03"]}, "n": {"N": "-0.25"},
        "fresh": {"N": "5"}, "fresh_set": {"SS": ["q"]}})


def test_update_add_to_list_appends(ddb, hash_table):
    key = {"pk": {"S": uid()}}
    ddb.update_item(TableName=hash_table, Key=key,
                    AttributeUpdates={"l": {"Value": {"L": [{"S": "a"}, {"N": "1"}]}}})
    r = ddb.update_item(TableName=hash_table, Key=key, ReturnValues="UPDATED_NEW",
                        AttributeUpdates={"l": {"Action": "ADD",
                                                "Value": {"L": [{"S": "b"}, {"N": "2"}]}}})
    assert r["Attributes"] == {"l": {"L": [{"S": "a"}, {"N": "1"}, {"S": "b"}, {"N": "2"}]}}


def test_update_delete_last_set_element_removes_attribute(ddb, hash_table):
    key = {"pk": {"S": uid()}}
    ddb.put_item(TableName=hash_table, Item=dict(key, ns={"NS": ["1", "2", "3"]}, c={"S": "a"}))
    r = ddb.update_item(TableName=hash_table, Key=key, ReturnValues="UPDATED_NEW",
                        AttributeUpdates={"ns": {"Action": "DELETE", "Value": {"NS": ["1", "4"]}}})
    assert sorted(r["Attributes"]["ns"]["NS"]) == ["2", "3"]
    r = ddb.update_item(TableName=hash_table, Key=key, ReturnValues="UPDATED_NEW",
                        AttributeUpdates={"ns": {"Action": "DELETE", "Value": {"NS": ["2", "3"]}}})
    assert "Attributes" not in r or "ns" not in r["Attributes"]
    assert get(ddb, hash_table, key)["Item"] == dict(key, c={"S": "a"})


def test_update_missing_item_applies_only_add_and_put(ddb, hash_table):
    key = {"pk": {"S": uid()}}
    r = ddb.update_item(TableName=hash_table, Key=key, ReturnValues="UPDATED_NEW",
                        AttributeUpdates={
                            "b": {"Action": "DELETE"},
                            "c": {"Action": "DELETE", "Value": {"SS": ["a", "b"]}},
                            "d": {"Action": "ADD", "Value": {"N": "5"}},
                            "e": {"Action": "ADD", "Value": {"SS": ["a", "b"]}},
                            "f": {"Action": "ADD", "Value": {"L": [{"S": "a"}, {"N": "1"}]}},
                        })
    expect = {"d": {"N": "5"}, "e": {"SS": ["a", "b"]}, "f": {"L": [{"S": "a"}, {"N": "1"}]}}
    assert canon(r["Attributes"]) == canon(expect)
    assert canon(get(ddb, hash_table, key)["Item"]) == canon(dict(key, **expect))


def test_update_type_mismatch_for_add(ddb, hash_table):
    key = {"pk": {"S": uid()}}
    ddb.put_item(TableName=hash_table, Item=dict(key, ss={"SS": ["1"]}, n={"N": "1"}))
    with pytest.raises(ClientError) as e:
        ddb.update_item(TableName=hash_table, Key=key,
                        AttributeUpdates={"ss": {"Action": "ADD", "Value": {"NS": ["1"]}}})
    assert_client_error(e, "ValidationException", "Type mismatch for attribute to update")
    with pytest.raises(ClientError) as e:
        ddb.update_item(TableName=hash_table, Key=key,
                        AttributeUpdates={"n": {"Action": "DELETE", "Value": {"NS": ["1"]}}})
    assert_client_error(e, "ValidationException", "Type mismatch for attribute to update")
    # a failed update changes nothing
    assert canon(get(ddb, hash_table, key)["Item"]) == canon(dict(key, ss={"SS": ["1"]},
                                                                  n={"N": "1"}))


def test_update_key_attribute_rejected(ddb, messages_table):
    key = {"pk": {"S": uid()}, "sk": {"S": "a"}}
    with pytest.raises(ClientError) as e:
        ddb.update_item(TableName=messages_table, Key=key,
                        AttributeUpdates={"sk": {"Action": "PUT", "Value": {"S": "b"}}})
    assert_client_error(e, "ValidationException", "One or more parameter values were invalid: "
                        "Cannot update attribute sk. This attribute is part of the key")
    assert "Item" not in get(ddb, messages_table, key)


# -- ReturnConsumedCapacity -----------------------------------------------------------------

def sized_item(total, name="b"):
    """An item {pk: S, <name>: S} whose DynamoDB size (attribute names + values, UTF-8) is
    exactly `total` bytes."""
    pk = "cap-" + uid()[:12]
    fixed = len("pk") + len(pk) + len(name)
    assert total >= fixed
    return {"pk": {"S": pk}, name: {"S": "x" * (total - fixed)}}


def test_put_consumed_capacity_by_size(ddb, hash_table):
    for size, units in ((1, 1.0), (1024, 1.0), (1025, 2.0), (2048, 2.0), (2049, 3.0),
                        (10 * 1024, 10.0)):
        item = sized_item(max(size, 20))
        r = ddb.put_item(TableName=hash_table, Item=item, ReturnConsumedCapacity="TOTAL")
        cc = r["ConsumedCapacity"]
        assert cc["TableName"] == hash_table
        assert cc["CapacityUnits"] == units, (size, cc)
        assert "Table" not in cc
        ddb.delete_item(TableName=hash_table, Key={"pk": item["pk"]})
        r = ddb.put_item(TableName=hash_table, Item=item, ReturnConsumedCapacity="INDEXES")
        cc = r["ConsumedCapacity"]
        assert cc["TableName"] == hash_table
        assert cc["CapacityUnits"] == units, (size, cc)
        assert cc["Table"]["CapacityUnits"] == units
        assert "GlobalSecondaryIndexes" not in cc


def test_put_capacity_uses_larger_of_old_and_new_item(ddb, hash_table):
    big = sized_item(1025)
    ddb.put_item(TableName=hash_table, Item=big)
    small = {"pk": big["pk"]}
    r = ddb.put_item(TableName=hash_table, Item=small, ReturnConsumedCapacity="TOTAL")
    assert r["ConsumedCapacity"]["CapacityUnits"] == 2.0
    r = ddb.put_item(TableName=hash_table, Item=small, ReturnConsumedCapacity="TOTAL")
    assert r["ConsumedCapacity"]["CapacityUnits"] == 1.0


def test_return_consumed_capacity_none(ddb, hash_table):
    item = sized_item(100)
    r = ddb.put_item(TableName=hash_table, Item=item, ReturnConsumedCapacity="NONE")
    assert "ConsumedCapacity" not in r
    r = ddb.get_item(TableName=hash_table, Key={"pk": item["pk"]}, ReturnConsumedCapacity="NONE")
    assert "ConsumedCapacity" not in r


def test_get_consumed_capacity(ddb, hash_table):
    small, large = sized_item(4096), sized_item(4097)
    ddb.put_item(TableName=hash_table, Item=small)
    ddb.put_item(TableName=hash_table, Item=large)
    missing = {"pk": {"S": "cap-missing-" + uid()}}
    for key, eventual, strong in (({"pk": small["pk"]}, 0.5, 1.0),
                                  ({"pk": large["pk"]}, 1.0, 2.0),
                                  (missing, 0.5, 1.0)):
        r = ddb.get_item(TableName=hash_table, Key=key, ReturnConsumedCapacity="TOTAL")
        assert r["ConsumedCapacity"]["TableName"] == hash_table
        assert r["ConsumedCapacity"]["CapacityUnits"] == eventual, (key, r["ConsumedCapacity"])
        r = ddb.get_item(TableName=hash_table, Key=key, ReturnConsumedCapacity="INDEXES")
        assert r["ConsumedCapacity"]["CapacityUnits"] == eventual
        assert r["ConsumedCapacity"]["Table"]["CapacityUnits"] == eventual
        r = ddb.get_item(TableName=hash_table, Key=key, ReturnConsumedCapacity="TOTAL",
                         ConsistentRead=True)
        assert r["ConsumedCapacity"]["CapacityUnits"] == strong, (key, r["ConsumedCapacity"])
        r = ddb.get_item(TableName=hash_table, Key=key, ReturnConsumedCapacity="INDEXES",
                         ConsistentRead=True)
        assert r["ConsumedCapacity"]["CapacityUnits"] == strong
        assert r["ConsumedCapacity"]["Table"]["CapacityUnits"] == strong


def test_delete_and_update_consumed_capacity(ddb, hash_table):
    r = ddb.delete_item(TableName=hash_table, Key={"pk": {"S": "nothing-" + uid()}},
                        ReturnConsumedCapacity="TOTAL")
    assert r["ConsumedCapacity"]["TableName"] == hash_table
    assert r["ConsumedCapacity"]["CapacityUnits"] == 1.0
    item = sized_item(1500)
    ddb.put_item(TableName=hash_table, Item=item)
    r = ddb.delete_item(TableName=hash_table, Key={"pk": item["pk"]},
                        ReturnConsumedCapacity="INDEXES")
    assert r["ConsumedCapacity"]["CapacityUnits"] == 2.0
    assert r["ConsumedCapacity"]["Table"]["CapacityUnits"] == 2.0
    key = {"pk": {"S": "upd-" + uid()}}
    r = ddb.update_item(TableName=hash_table, Key=key, ReturnConsumedCapacity="TOTAL",
                        AttributeUpdates={"v": {"Value": {"S": "x" * 2000}}})
    assert r["ConsumedCapacity"]["CapacityUnits"] == 2.0


def test_gsi_write_consumes_index_capacity(ddb, messages_table):
    item = {"pk": {"S": uid()}, "sk": {"S": "2026"}, "message_group_uuid": {"S": "g1"},
            "message": {"S": "hi"}}
    r = ddb.put_item(TableName=messages_table, Item=item, ReturnConsumedCapacity="INDEXES")
    cc = r["ConsumedCapacity"]
    assert cc["TableName"] == messages_table
    assert cc["Table"]["CapacityUnits"] == 1.0
    assert list(cc["GlobalSecondaryIndexes"]) == [GSI]
    assert cc["GlobalSecondaryIndexes"][GSI]["CapacityUnits"] == 1.0
    assert cc["CapacityUnits"] == 2.0

    item2 = dict(item, pk={"S": uid()})
    r = ddb.put_item(TableName=messages_table, Item=item2, ReturnConsumedCapacity="TOTAL")
    assert r["ConsumedCapacity"]["CapacityUnits"] == 2.0

    # no message_group_uuid: the item is not in the (sparse) index
    sparse = {"pk": {"S": uid()}, "sk": {"S": "2026"}}
    r = ddb.put_item(TableName=messages_table, Item=sparse, ReturnConsumedCapacity="INDEXES")
    cc = r["ConsumedCapacity"]
    assert cc["CapacityUnits"] == 1.0
    assert cc["Table"]["CapacityUnits"] == 1.0
    assert cc.get("GlobalSecondaryIndexes", {}).get(GSI, {"CapacityUnits": 0.0})[
        "CapacityUnits"] == 0.0


# -- size limits ------------------------------------------------------------------------------

def test_item_of_exactly_400kb_is_accepted_and_one_byte_more_rejected(ddb, hash_table):
    item = sized_item(MAX_ITEM)
    ddb.put_item(TableName=hash_table, Item=item)
    assert get(ddb, hash_table, {"pk": item["pk"]})["Item"] == item

    too_big = sized_item(MAX_ITEM + 1)
    with pytest.raises(ClientError) as e:
        ddb.put_item(TableName=hash_table, Item=too_big)
    assert_client_error(e, "ValidationException",
                        "Item size has exceeded the maximum allowed size")
    assert "Item" not in get(ddb, hash_table, {"pk": too_big["pk"]})

    # multi-byte characters count in UTF-8 bytes
    pk = "cap-" + uid()[:12]
    n = (MAX_ITEM - len("pk") - len(pk) - len("b")) // 2
    ddb.put_item(TableName=hash_table, Item={"pk": {"S": pk}, "b": {"S": "é" * n}})
    with pytest.raises(ClientError) as e:
        ddb.put_item(TableName=hash_table, Item={"pk": {"S": pk}, "b": {"S": "é" * (n + 1)}})
    assert_client_error(e, "ValidationException",
                        "Item size has exceeded the maximum allowed size")


def test_attribute_names_count_towards_item_size(ddb, hash_table):
    name = "a" * 100
    item = sized_item(MAX_ITEM, name=name)
    ddb.put_item(TableName=hash_table, Item=item)
    item = sized_item(MAX_ITEM + 1, name=name)
    with pytest.raises(ClientError) as e:
        ddb.put_item(TableName=hash_table, Item=item)
    assert_client_error(e, "ValidationException",
                        "Item size has exceeded the maximum allowed size")


def test_update_item_beyond_400kb_rejected(ddb, hash_table):
    key = {"pk": {"S": uid()}}
    ddb.put_item(TableName=hash_table, Item=dict(key, a={"S": "x" * 300000}))
    with pytest.raises(ClientError) as e:
        ddb.update_item(TableName=hash_table, Key=key,
                        AttributeUpdates={"b": {"Value": {"S": "y" * 200000}}})
    assert_client_error(e, "ValidationException",
                        "Item size to update has exceeded the maximum allowed size")
    assert set(get(ddb, hash_table, key)["Item"]) == {"pk", "a"}


def test_partition_key_size_limit(ddb, messages_table):
    ok = {"pk": {"S": "p" * 2048}, "sk": {"S": "s"}}
    ddb.put_item(TableName=messages_table, Item=ok)
    assert get(ddb, messages_table, ok)["Item"] == ok
    ok_utf8 = {"pk": {"S": "é" * 1024}, "sk": {"S": "s"}}       # 2048 bytes
    ddb.put_item(TableName=messages_table, Item=ok_utf8)
    for bad in ({"pk": {"S": "p" * 2049}, "sk": {"S": "s"}},
                {"pk": {"S": "é" * 1024 + "p"}, "sk": {"S": "s"}}):
        with pytest.raises(ClientError) as e:
            ddb.put_item(TableName=messages_table, Item=bad)
        assert_client_error(e, "ValidationException",
                            "One or more parameter values were invalid: "
                            "Size of hashkey has exceeded the maximum size limit of2048 bytes")


def test_sort_key_size_limit(ddb, messages_table):
    ok = {"pk": {"S": uid()}, "sk": {"S": "s" * 1024}}
    ddb.put_item(TableName=messages_table, Item=ok)
    assert get(ddb, messages_table, ok)["Item"] == ok
    with pytest.raises(ClientError) as e:
        ddb.put_item(TableName=messages_table, Item={"pk": {"S": uid()}, "sk": {"S": "s" * 1025}})
    assert_client_error(e, "ValidationException",
                        "One or more parameter values were invalid: "
                        "Aggregated size of all range keys has exceeded the size limit of 1024 bytes")


def test_binary_partition_key_size_limit(ddb, bin_table):
    ddb.put_item(TableName=bin_table, Item={"pk": {"B": b"\x01" * 2048}})
    with pytest.raises(ClientError) as e:
        ddb.put_item(TableName=bin_table, Item={"pk": {"B": b"\x01" * 2049}})
    assert_client_error(e, "ValidationException",
                        "One or more parameter values were invalid: "
                        "Size of hashkey has exceeded the maximum size limit of2048 bytes")


# -- AWS CLI ----------------------------------------------------------------------------------

def test_cli_put_and_get_item(aws, messages_table):
    pk = uid()
    item = {"pk": {"S": pk}, "sk": {"S": "2026-01-01"}, "n": {"N": "1.50"},
            "m": {"M": {"l": {"L": [{"BOOL": True}, {"NULL": True}]}}}, "ss": {"SS": ["a"]}}
    rc, out, err = aws("dynamodb", "put-item", "--table-name", messages_table,
                       "--item", json.dumps(item), "--return-consumed-capacity", "TOTAL")
    assert rc == 0, err
    assert json.loads(out)["ConsumedCapacity"]["TableName"] == messages_table

    rc, out, err = aws("dynamodb", "get-item", "--table-name", messages_table, "--key",
                       json.dumps({"pk": {"S": pk}, "sk": {"S": "2026-01-01"}}),
                       "--consistent-read")
    assert rc == 0, err
    got = json.loads(out)["Item"]
    assert got == dict(item, n={"N": "1.5"})

    rc, out, err = aws("dynamodb", "get-item", "--table-name", messages_table, "--key",
                       json.dumps({"pk": {"S": "nope-" + pk}, "sk": {"S": "x"}}))
    assert rc == 0, err
    assert "Item" not in (json.loads(out) if out.strip() else {})


def test_cli_put_item_error_is_reported(aws, messages_table):
    rc, out, err = aws("dynamodb", "put-item", "--table-name", messages_table,
                       "--item", json.dumps({"pk": {"N": "1"}, "sk": {"S": "x"}}))
    assert rc != 0
    assert "ValidationException" in err
    assert ("One or more parameter values were invalid: Type mismatch for key pk expected: S "
            "actual: N") in err
