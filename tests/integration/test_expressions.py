"""DynamoDB's expression language on the item API: ConditionExpression (PutItem, UpdateItem,
DeleteItem), UpdateExpression, ProjectionExpression (GetItem), ExpressionAttributeNames/Values,
and the legacy Expected / ConditionalOperator / AttributeUpdates / AttributesToGet parameters.

Expected behaviour and messages come from tests/integration/expression_facts.md; each non-obvious
assertion names its source with a `# source:` comment (C = nubo-db/dynamodb-conformance, run
against AWS; DT = dynalite's test files, recorded against AWS; MOTO = moto's AWS-verified tests).
"""
import decimal
import concurrent.futures
import json
import re
import time
import uuid

import pytest
from botocore.exceptions import ClientError

from eddy_helpers import assert_client_error, assert_raw_error

GSI = "message-group-sk-index"
CCF = "ConditionalCheckFailedException"
CCF_MSG = "The conditional request failed"   # source: C tests/tier3/error-messages/conditionalCheck.test.ts
VE = "ValidationException"


def uid():
    return uuid.uuid4().hex


def plain_number(text):
    return format(decimal.Decimal(text).normalize(), "f")


def canon(v):
    """Makes attribute values comparable: sets are unordered, and numbers compare by value
    (DynamoDB returns 9.99E+125 written out in full)."""
    if isinstance(v, dict):
        out = {}
        for k, x in v.items():
            if k == "N":
                out[k] = plain_number(x)
            elif k == "NS":
                out[k] = sorted(plain_number(e) for e in x)
            elif k in ("SS", "BS"):
                out[k] = sorted(x)
            else:
                out[k] = canon(x)
        return out
    if isinstance(v, list):
        return [canon(x) for x in v]
    return v


def get(ddb, table, key, **kw):
    return ddb.get_item(TableName=table, Key=key, ConsistentRead=True, **kw)


def item_of(ddb, table, key):
    return get(ddb, table, key).get("Item")


def S(x):
    return {"S": x}


def N(x):
    return {"N": str(x)}


def L(*xs):
    return {"L": list(xs)}


def M(**kw):
    return {"M": kw}


def extended_client(server, extra):
    """boto3 1.26 (botocore 1.29) predates ReturnValuesOnConditionCheckFailure: this client adds
    `extra` to the JSON body of every PutItem/UpdateItem/DeleteItem, and copies the error body's
    "Item" into the parsed error so err.response.get("Item") shows it (wire format: S/N only)."""
    c = server.client()

    def add_fields(params, model, **_):
        if model.name in ("PutItem", "UpdateItem", "DeleteItem"):
            body = params.get("body") or b"{}"
            if isinstance(body, bytes):
                body = body.decode("utf-8")
            data = json.loads(body)
            data.update(extra)
            params["body"] = json.dumps(data).encode("utf-8")

    def keep_item(http_response, parsed, **_):
        if http_response.status_code >= 400:
            try:
                data = json.loads(http_response.content)
            except ValueError:
                return
            if isinstance(data, dict) and "Item" in data:
                parsed["Item"] = data["Item"]

    c.meta.events.register("before-call.dynamodb", add_fields)
    c.meta.events.register("after-call.dynamodb", keep_item)
    return c


# =============================================================================================
# Cruddur (the seeds): message groups and messages in cruddur-messages, pk/sk + GSI
# =============================================================================================

def _group_row(owner_uuid, group_uuid, last_at, message, other):
    return {
        "pk": S("GRP#" + owner_uuid),
        "sk": S(last_at),
        "message_group_uuid": S(group_uuid),
        "message": S(message),
        "user_uuid": S(other["uuid"]),
        "user_display_name": S(other["display_name"]),
        "user_handle": S(other["handle"]),
    }


def test_cruddur_message_groups_and_messages(ddb, messages_table):
    t = messages_table
    me = {"uuid": uid(), "display_name": "Andrew Brown", "handle": "andrewbrown"}
    other = {"uuid": uid(), "display_name": "Bayko", "handle": "bayko"}
    group = str(uuid.uuid4())
    at1 = "2023-03-20T10:00:00.000000+00:00"
    mine = _group_row(me["uuid"], group, at1, "first!", other)
    theirs = _group_row(other["uuid"], group, at1, "first!", me)

    # create_message_group: never overwrite an existing conversation row
    no_clobber = "attribute_not_exists(pk) AND attribute_not_exists(sk)"
    for row in (mine, theirs):
        assert "Attributes" not in ddb.put_item(TableName=t, Item=row,
                                                ConditionExpression=no_clobber)
    with pytest.raises(ClientError) as e:
        ddb.put_item(TableName=t, Item=dict(mine, message=S("overwrite")),
                     ConditionExpression=no_clobber)
    assert_client_error(e, CCF, CCF_MSG)
    assert item_of(ddb, t, {"pk": mine["pk"], "sk": mine["sk"]})["message"] == S("first!")

    # create_message: MSG#<group> / created_at, with a fresh uuid per message
    msg_key = {"pk": S("MSG#" + group), "sk": S("2023-03-20T10:05:00.000000+00:00")}
    msg = dict(msg_key, message_uuid=S(str(uuid.uuid4())), message=S("hello"),
               user_uuid=S(me["uuid"]), user_display_name=S(me["display_name"]),
               user_handle=S(me["handle"]))
    ddb.put_item(TableName=t, Item=msg, ConditionExpression="attribute_not_exists(sk)")
    with pytest.raises(ClientError) as e:
        ddb.put_item(TableName=t, Item=msg, ConditionExpression="attribute_not_exists(sk)")
    assert_client_error(e, CCF, CCF_MSG)

    # The message group's last message is updated in place only for the right group
    key = {"pk": mine["pk"], "sk": mine["sk"]}
    r = ddb.update_item(
        TableName=t, Key=key,
        UpdateExpression="SET message = :m, user_display_name = :n",
        ConditionExpression="message_group_uuid = :g AND attribute_exists(pk)",
        ExpressionAttributeValues={":m": S("hello"), ":n": S("Bayko B."), ":g": S(group)},
        ReturnValues="UPDATED_NEW")
    assert r["Attributes"] == {"message": S("hello"), "user_display_name": S("Bayko B.")}
    with pytest.raises(ClientError) as e:
        ddb.update_item(TableName=t, Key=key, UpdateExpression="SET message = :m",
                        ConditionExpression="message_group_uuid = :g",
                        ExpressionAttributeValues={":m": S("hijack"), ":g": S(str(uuid.uuid4()))})
    assert_client_error(e, CCF, CCF_MSG)

    # last_message_at is the sort key: it cannot be updated, the lambda deletes and re-puts
    with pytest.raises(ClientError) as e:
        ddb.update_item(TableName=t, Key=key, UpdateExpression="SET sk = :at",
                        ExpressionAttributeValues={":at": S("2023-03-20T10:05:00")})
    # source: DT test/updateItem.js "should return ValidationException if trying to update range key"
    assert_client_error(e, VE, "One or more parameter values were invalid: Cannot update attribute "
                               "sk. This attribute is part of the key")
    r = ddb.delete_item(TableName=t, Key=key, ConditionExpression="message_group_uuid = :g",
                        ExpressionAttributeValues={":g": S(group)}, ReturnValues="ALL_OLD")
    assert r["Attributes"] == dict(mine, message=S("hello"), user_display_name=S("Bayko B."))
    at2 = msg_key["sk"]["S"]
    ddb.put_item(TableName=t, Item=dict(r["Attributes"], sk=S(at2)),
                 ConditionExpression=no_clobber)
    got = get(ddb, t, {"pk": mine["pk"], "sk": S(at2)},
              ProjectionExpression="message, user_handle, message_group_uuid")["Item"]
    assert got == {"message": S("hello"), "user_handle": S("bayko"),
                   "message_group_uuid": S(group)}
    assert "Item" not in get(ddb, t, key)


def test_cruddur_group_uuid_must_stay_a_string_for_the_gsi(ddb, messages_table):
    key = {"pk": S("GRP#" + uid()), "sk": S("2023-03-21")}
    ddb.put_item(TableName=messages_table, Item=dict(key, message_group_uuid=S("g")))
    with pytest.raises(ClientError) as e:
        ddb.update_item(TableName=messages_table, Key=key,
                        UpdateExpression="SET message_group_uuid = :n",
                        ExpressionAttributeValues={":n": N(1)})
    # source: DT test/updateItem.js "Type mismatch for Index Key c Expected: S Actual: N IndexName: index\d"
    assert_client_error(e, VE, "One or more parameter values were invalid: Type mismatch for Index "
                               "Key message_group_uuid Expected: S Actual: N IndexName: " + GSI)
    assert item_of(ddb, messages_table, key)["message_group_uuid"] == S("g")


# =============================================================================================
# Uniqueness constraint with attribute_not_exists; ReturnValuesOnConditionCheckFailure
# =============================================================================================

def test_uniqueness_constraint_second_put_fails(ddb, hash_table):
    email = "ann-%s@example.com" % uid()
    first = {"pk": S("EMAIL#" + email), "user": S("ann")}
    ddb.put_item(TableName=hash_table, Item=first, ConditionExpression="attribute_not_exists(pk)")
    with pytest.raises(ClientError) as e:
        ddb.put_item(TableName=hash_table, Item={"pk": first["pk"], "user": S("mallory")},
                     ConditionExpression="attribute_not_exists(pk)")
    assert_client_error(e, CCF, CCF_MSG)
    assert "Item" not in e.value.response          # only with ReturnValuesOnConditionCheckFailure
    assert item_of(ddb, hash_table, {"pk": first["pk"]}) == first


def test_uniqueness_failure_returns_old_item_when_asked(server, ddb, hash_table):
    # source: C tests/tier3/error-messages/conditionalCheck.test.ts (ALL_OLD returns item in error)
    c = extended_client(server, {"ReturnValuesOnConditionCheckFailure": "ALL_OLD"})
    old = {"pk": S("u-" + uid()), "attr1": S("original-value"), "n": N(7)}
    ddb.put_item(TableName=hash_table, Item=old)
    with pytest.raises(ClientError) as e:
        c.put_item(TableName=hash_table, Item={"pk": old["pk"], "attr1": S("overwrite")},
                   ConditionExpression="attribute_not_exists(pk)")
    assert_client_error(e, CCF, CCF_MSG)
    assert e.value.response.get("Item") == old
    # ... and nothing when the failing condition concerns an item that does not exist
    with pytest.raises(ClientError) as e:
        c.put_item(TableName=hash_table, Item={"pk": S("u-" + uid())},
                   ConditionExpression="attribute_exists(pk)")
    assert_client_error(e, CCF, CCF_MSG)
    assert "Item" not in e.value.response
    # NONE: no item either
    c2 = extended_client(server, {"ReturnValuesOnConditionCheckFailure": "NONE"})
    with pytest.raises(ClientError) as e:
        c2.put_item(TableName=hash_table, Item={"pk": old["pk"]},
                    ConditionExpression="attribute_not_exists(pk)")
    assert "Item" not in e.value.response


def test_update_and_delete_failures_return_old_item(server, ddb, hash_table):
    # source: C tests/tier1/updateItem/conditions.test.ts (ReturnValuesOnConditionCheckFailure)
    c = extended_client(server, {"ReturnValuesOnConditionCheckFailure": "ALL_OLD"})
    old = {"pk": S("rv-" + uid()), "status_": S("locked"), "info": S("important")}
    ddb.put_item(TableName=hash_table, Item=old)
    with pytest.raises(ClientError) as e:
        c.update_item(TableName=hash_table, Key={"pk": old["pk"]}, UpdateExpression="SET info = :v",
                      ConditionExpression="status_ = :expected",
                      ExpressionAttributeValues={":v": S("changed"), ":expected": S("active")})
    assert_client_error(e, CCF, CCF_MSG)
    assert e.value.response.get("Item") == old
    with pytest.raises(ClientError) as e:
        c.delete_item(TableName=hash_table, Key={"pk": old["pk"]},
                      ConditionExpression="attribute_not_exists(info)")
    assert_client_error(e, CCF, CCF_MSG)
    assert e.value.response.get("Item") == old
    assert item_of(ddb, hash_table, {"pk": old["pk"]}) == old


def test_conditional_failure_on_the_wire(server, ddb, hash_table):
    old = {"pk": S("wire-" + uid()), "v": S("1")}
    ddb.put_item(TableName=hash_table, Item=old)
    r = server.raw("PutItem", {"TableName": hash_table, "Item": old,
                               "ConditionExpression": "attribute_not_exists(pk)",
                               "ReturnValuesOnConditionCheckFailure": "ALL_OLD"})
    payload = assert_raw_error(r, CCF, CCF_MSG)
    assert payload["__type"] == "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException"
    assert payload["Item"] == old


def test_failed_update_condition_creates_no_item(ddb, hash_table):
    # source: C tests/tier1/updateItem/conditions.test.ts ("no ghost item")
    key = {"pk": S("ghost-" + uid())}
    with pytest.raises(ClientError) as e:
        ddb.update_item(TableName=hash_table, Key=key, UpdateExpression="ADD hit_count :inc",
                        ConditionExpression="attribute_exists(pk)",
                        ExpressionAttributeValues={":inc": N(1)})
    assert_client_error(e, CCF, CCF_MSG)
    assert item_of(ddb, hash_table, key) is None


# =============================================================================================
# Atomic counter: 8 clients x 1000 increments
# =============================================================================================

def test_atomic_counter_8_threads_x_1000(server, ddb, hash_table):
    key = {"pk": S("counter-" + uid())}
    threads, per_thread = 8, 1000
    clients = [server.client() for _ in range(threads)]

    def work(i):
        c = clients[i]
        if i % 2 == 0:
            kw = dict(UpdateExpression="SET n = if_not_exists(n, :zero) + :one",
                      ExpressionAttributeValues={":zero": N(0), ":one": N(1)})
        else:
            kw = dict(UpdateExpression="ADD n :one", ExpressionAttributeValues={":one": N(1)})
        seen = []
        for _ in range(per_thread):
            r = c.update_item(TableName=hash_table, Key=key, ReturnValues="UPDATED_NEW", **kw)
            seen.append(int(r["Attributes"]["n"]["N"]))
        return seen

    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        results = list(pool.map(work, range(threads)))
    elapsed = time.monotonic() - start
    assert item_of(ddb, hash_table, key) == dict(key, n=N(threads * per_thread))
    # every increment saw a distinct value: no lost update, no duplicate read
    everything = sorted(v for seen in results for v in seen)
    assert everything == list(range(1, threads * per_thread + 1))
    for seen in results:                       # each client's own view only goes up
        assert seen == sorted(seen)
    assert elapsed < 120, "8000 updates took %.1fs" % elapsed   # sanitizer builds are slower


# =============================================================================================
# Shopping cart: a nested document updated by paths, with every ReturnValues
# =============================================================================================

APPLE = M(sku=S("apple"), qty=N(1))
PEAR = M(sku=S("pear"), qty=N(2))
PLUM = M(sku=S("plum"), qty=N(3))
KIWI = M(sku=S("kiwi"), qty=N(9))


def cart_item(pk):
    return {"pk": S(pk), "subtotal": N(6),
            "cart": M(buyer=S("ann"), coupon=S("SAVE10"), labels={"SS": ["fresh", "fruit"]},
                      entries=L(APPLE, PEAR, PLUM))}


@pytest.fixture
def cart(ddb, hash_table):
    item = cart_item("cart-" + uid())
    ddb.put_item(TableName=hash_table, Item=item)
    return item


def with_entries(item, *entries, **cart_changes):
    new = json.loads(json.dumps(item))
    new["cart"]["M"]["entries"] = L(*entries)
    for k, v in cart_changes.items():
        if v is None:
            new["cart"]["M"].pop(k, None)
        else:
            new["cart"]["M"][k] = v
    return new


INC_PEAR = dict(
    UpdateExpression="SET cart.entries[1].qty = cart.entries[1].qty + :n, subtotal = subtotal + :n",
    ExpressionAttributeValues={":n": N(4)})


def test_cart_increment_return_none(ddb, hash_table, cart):
    r = ddb.update_item(TableName=hash_table, Key={"pk": cart["pk"]}, ReturnValues="NONE",
                        **INC_PEAR)
    assert "Attributes" not in r
    new = with_entries(cart, APPLE, M(sku=S("pear"), qty=N(6)), PLUM)
    new["subtotal"] = N(10)
    assert canon(item_of(ddb, hash_table, {"pk": cart["pk"]})) == canon(new)


def test_cart_increment_return_all_old(ddb, hash_table, cart):
    r = ddb.update_item(TableName=hash_table, Key={"pk": cart["pk"]}, ReturnValues="ALL_OLD",
                        **INC_PEAR)
    assert canon(r["Attributes"]) == canon(cart)


def test_cart_increment_return_updated_old(ddb, hash_table, cart):
    r = ddb.update_item(TableName=hash_table, Key={"pk": cart["pk"]},
                        ReturnValues="UPDATED_OLD", **INC_PEAR)
    # only the updated leaves, nested as in the item
    assert r["Attributes"] == {"cart": M(entries=L(M(qty=N(2)))), "subtotal": N(6)}


def test_cart_increment_return_updated_new(ddb, hash_table, cart):
    r = ddb.update_item(TableName=hash_table, Key={"pk": cart["pk"]},
                        ReturnValues="UPDATED_NEW", **INC_PEAR)
    assert r["Attributes"] == {"cart": M(entries=L(M(qty=N(6)))), "subtotal": N(10)}


def test_cart_increment_return_all_new(ddb, hash_table, cart):
    r = ddb.update_item(TableName=hash_table, Key={"pk": cart["pk"]}, ReturnValues="ALL_NEW",
                        **INC_PEAR)
    new = with_entries(cart, APPLE, M(sku=S("pear"), qty=N(6)), PLUM)
    new["subtotal"] = N(10)
    assert canon(r["Attributes"]) == canon(new)
    # decrement below zero: numbers are signed decimals
    r = ddb.update_item(TableName=hash_table, Key={"pk": cart["pk"]}, ReturnValues="UPDATED_NEW",
                        UpdateExpression="SET cart.entries[0].qty = cart.entries[0].qty - :n",
                        ExpressionAttributeValues={":n": N("1.5")})
    assert r["Attributes"] == {"cart": M(entries=L(M(qty=N("-0.5"))))}


def test_cart_list_append_adds_entries(ddb, hash_table, cart):
    r = ddb.update_item(TableName=hash_table, Key={"pk": cart["pk"]}, ReturnValues="UPDATED_NEW",
                        UpdateExpression="SET cart.entries = list_append(cart.entries, :more)",
                        ExpressionAttributeValues={":more": L(KIWI)})
    assert r["Attributes"] == {"cart": M(entries=L(APPLE, PEAR, PLUM, KIWI))}
    # prepend: list_append(:new, path)   source: C tests/tier1/updateItem/basic.test.ts
    r = ddb.update_item(TableName=hash_table, Key={"pk": cart["pk"]}, ReturnValues="UPDATED_OLD",
                        UpdateExpression="SET cart.entries = list_append(:first, cart.entries)",
                        ExpressionAttributeValues={":first": L(KIWI)})
    assert r["Attributes"] == {"cart": M(entries=L(APPLE, PEAR, PLUM, KIWI))}
    got = item_of(ddb, hash_table, {"pk": cart["pk"]})
    assert got["cart"]["M"]["entries"] == L(KIWI, APPLE, PEAR, PLUM, KIWI)


def test_cart_remove_entry_and_map_key(ddb, hash_table, cart):
    r = ddb.update_item(TableName=hash_table, Key={"pk": cart["pk"]}, ReturnValues="UPDATED_OLD",
                        UpdateExpression="REMOVE cart.entries[0], cart.coupon")
    assert r["Attributes"] == {"cart": M(entries=L(APPLE), coupon=S("SAVE10"))}
    got = item_of(ddb, hash_table, {"pk": cart["pk"]})
    assert canon(got) == canon(with_entries(cart, PEAR, PLUM, coupon=None))


def test_cart_remove_several_indexes_uses_original_positions(ddb, hash_table, cart):
    # source: DOC Expressions.UpdateExpressions (REMOVE RelatedItems[1], RelatedItems[2])
    r = ddb.update_item(TableName=hash_table, Key={"pk": cart["pk"]}, ReturnValues="ALL_NEW",
                        UpdateExpression="REMOVE cart.entries[2], cart.entries[0]")
    assert r["Attributes"]["cart"]["M"]["entries"] == L(PEAR)


def test_cart_remove_out_of_range_is_a_no_op(ddb, hash_table, cart):
    r = ddb.update_item(TableName=hash_table, Key={"pk": cart["pk"]}, ReturnValues="ALL_NEW",
                        UpdateExpression="REMOVE cart.entries[7], cart.nothing_here")
    assert canon(r["Attributes"]) == canon(cart)


def test_cart_set_beyond_end_appends(ddb, hash_table, cart):
    # source: C tests/tier1/updateItem/paths.test.ts; DOC "SET appends the new element"
    r = ddb.update_item(TableName=hash_table, Key={"pk": cart["pk"]}, ReturnValues="ALL_NEW",
                        UpdateExpression="SET cart.entries[10] = :kiwi",
                        ExpressionAttributeValues={":kiwi": KIWI})
    assert r["Attributes"]["cart"]["M"]["entries"] == L(APPLE, PEAR, PLUM, KIWI)
    got = item_of(ddb, hash_table, {"pk": cart["pk"]})
    assert got["cart"]["M"]["entries"] == L(APPLE, PEAR, PLUM, KIWI)


def test_cart_updated_values_are_paths_projected_from_old_and_new(ddb, hash_table, cart):
    key = {"pk": cart["pk"]}
    upd = dict(UpdateExpression="SET cart.entries[10] = :kiwi, cart.buyer = :bob",
               ExpressionAttributeValues={":kiwi": KIWI, ":bob": S("bob")})
    r = ddb.update_item(TableName=hash_table, Key=key, ReturnValues="UPDATED_OLD", **upd)
    assert r["Attributes"] == {"cart": M(buyer=S("ann"))}      # entries[10] did not exist
    ddb.put_item(TableName=hash_table, Item=cart)
    r = ddb.update_item(TableName=hash_table, Key=key, ReturnValues="UPDATED_NEW", **upd)
    # source: DT test/updateItem.js "should update nested attributes": UPDATED_NEW projects the
    # updated paths onto the new item, so an element appended at index 3 is not at [10]
    assert r["Attributes"] == {"cart": M(buyer=S("bob"))}


def test_cart_several_appends_land_in_index_order(ddb, hash_table, cart):
    r = ddb.update_item(TableName=hash_table, Key={"pk": cart["pk"]}, ReturnValues="ALL_NEW",
                        UpdateExpression="SET cart.entries[9] = :b, cart.entries[5] = :a",
                        ExpressionAttributeValues={":a": S("first"), ":b": S("second")})
    assert r["Attributes"]["cart"]["M"]["entries"] == L(APPLE, PEAR, PLUM, S("first"),
                                                        S("second"))


def test_cart_new_attribute_is_absent_from_updated_old(ddb, hash_table, cart):
    r = ddb.update_item(TableName=hash_table, Key={"pk": cart["pk"]}, ReturnValues="UPDATED_OLD",
                        UpdateExpression="SET cart.note = :n, subtotal = subtotal + :one",
                        ExpressionAttributeValues={":n": S("leave at door"), ":one": N(1)})
    assert r["Attributes"] == {"subtotal": N(6)}


def test_cart_label_sets_add_and_delete(ddb, hash_table, cart):
    key = {"pk": cart["pk"]}
    r = ddb.update_item(TableName=hash_table, Key=key, ReturnValues="UPDATED_NEW",
                        UpdateExpression="ADD cart.labels :l",
                        ExpressionAttributeValues={":l": {"SS": ["fruit", "ripe"]}})
    assert canon(r["Attributes"]) == {"cart": M(labels={"SS": ["fresh", "fruit", "ripe"]})}
    r = ddb.update_item(TableName=hash_table, Key=key, ReturnValues="ALL_NEW",
                        UpdateExpression="DELETE cart.labels :l",
                        ExpressionAttributeValues={":l": {"SS": ["fresh", "fruit", "ripe"]}})
    # source: C tests/tier1/updateItem/basic.test.ts: emptying a set removes the attribute
    assert "labels" not in r["Attributes"]["cart"]["M"]


def test_cart_path_into_missing_map_is_invalid(ddb, hash_table, cart):
    with pytest.raises(ClientError) as e:
        ddb.update_item(TableName=hash_table, Key={"pk": cart["pk"]},
                        UpdateExpression="SET cart.gift.note = :v",
                        ExpressionAttributeValues={":v": S("x")})
    # source: DT test/updateItem.js; C tests/tier1/updateItem/paths.test.ts
    assert_client_error(e, VE,
                        "The document path provided in the update expression is invalid for update")
    assert canon(item_of(ddb, hash_table, {"pk": cart["pk"]})) == canon(cart)


def test_cart_projection(ddb, hash_table, cart):
    got = get(ddb, hash_table, {"pk": cart["pk"]},
              ProjectionExpression="cart.entries[2].sku, cart.entries[0].qty, cart.#b",
              ExpressionAttributeNames={"#b": "buyer"})["Item"]
    # source: C tests/tier1/getItem/projectionValidation.test.ts (compacted, index order)
    assert got == {"cart": M(buyer=S("ann"), entries=L(M(qty=N(1)), M(sku=S("plum"))))}


# =============================================================================================
# Condition operators and functions: true and false cases
# =============================================================================================

COND_ITEM = {
    "s": S("hello world"), "n": N(5), "neg": N(-3), "b": {"B": b"\x01\x02\x03"},
    "ss": {"SS": ["red", "green"]}, "ns": {"NS": ["1", "2", "3"]},
    "bs": {"BS": [b"\x01", b"\x02"]},
    "l": L(S("x"), N(1), M(k=S("v"))), "m": M(k=S("v"), deep=M(x=N(7))),
    "t": {"BOOL": True}, "z": {"NULL": True}, "e_l": L(), "a.b": S("dotted"),
}

VALUES = {
    ":zero": N(0), ":one": N(1), ":two": N(2), ":three": N(3), ":four": N(4), ":five": N(5),
    ":six": N(6), ":seven": N(7), ":ten": N(10), ":eleven": N(11), ":mfour": N(-4),
    ":fives": S("5"), ":fours": S("4"), ":sixs": S("6"), ":twos": S("2"),
    ":hw": S("hello world"), ":hello": S("hello"), ":world": S("world"), ":lowo": S("lo wo"),
    ":xyz": S("xyz"), ":a": S("a"), ":i": S("i"), ":x": S("x"), ":red": S("red"),
    ":blue": S("blue"), ":v": S("v"), ":dotted": S("dotted"),
    ":b12": {"B": b"\x01\x02"}, ":b13": {"B": b"\x01\x03"}, ":b1": {"B": b"\x01"},
    ":b9": {"B": b"\x09"},
    ":true": {"BOOL": True}, ":false": {"BOOL": False}, ":null": {"NULL": True},
    ":tS": S("S"), ":tN": S("N"), ":tB": S("B"), ":tSS": S("SS"), ":tNS": S("NS"),
    ":tBS": S("BS"), ":tBOOL": S("BOOL"), ":tNULL": S("NULL"), ":tL": S("L"), ":tM": S("M"),
    ":ss_rev": {"SS": ["green", "red"]}, ":l_same": L(S("x"), N(1), M(k=S("v"))),
    ":l_other": L(N(1), S("x"), M(k=S("v"))), ":deepmap": M(x=N(7)),
}
NAMES = {"#dot": "a.b", "#m": "m", "#k": "k", "#n": "n", "#s": "s"}

CONDITIONS = [
    # comparisons, same type
    ("n = :five", True), ("n = :six", False), ("n <> :six", True), ("n <> :five", False),
    ("n < :six", True), ("n < :five", False), ("n <= :five", True), ("n <= :four", False),
    ("n > :four", True), ("n > :five", False), ("n >= :five", True), ("n >= :six", False),
    ("n < :ten", True),                      # numeric, not "5" < "10" as strings
    ("neg < :zero", True), ("neg > :mfour", True),
    ("s < :i", True), ("s > :hello", True), ("s = :hw", True),
    ("b < :b13", True), ("b > :b12", True), ("b = :b12", False),
    ("t = :true", True), ("t = :false", False), ("z = :null", True),
    ("ss = :ss_rev", True),                  # sets are unordered
    ("l = :l_same", True), ("l = :l_other", False), ("m.deep = :deepmap", True),
    # comparisons across types are false, never errors   source: expression_facts.md section 6
    ("n = :fives", False), ("n <> :fives", True), ("n < :sixs", False), ("n > :fours", False),
    ("s > :five", False), ("t = :one", False),
    # a missing attribute   source: C tests/tier1/putItem/conditions.test.ts
    ("nope = :five", False), ("nope <> :five", True), ("nope < :five", False),
    ("NOT nope = :five", True),
    # BETWEEN (inclusive) and IN
    ("n BETWEEN :four AND :six", True), ("n BETWEEN :five AND :five", True),
    ("n BETWEEN :six AND :ten", False), ("s BETWEEN :a AND :i", True),
    ("n BETWEEN :fours AND :sixs", False), ("nope BETWEEN :one AND :ten", False),
    ("n IN (:four, :five)", True), ("n IN (:four, :six)", False), ("n IN (:fives)", False),
    ("s IN (:x, :hw)", True), ("nope IN (:five)", False),
    # attribute_exists / attribute_not_exists, nested paths included
    ("attribute_exists(n)", True), ("attribute_exists(nope)", False),
    ("attribute_not_exists(nope)", True), ("attribute_not_exists(n)", False),
    ("attribute_exists(m.deep.x)", True), ("attribute_exists(m.deep.y)", False),
    ("attribute_exists(l[2].k)", True), ("attribute_exists(l[5])", False),
    ("attribute_exists(z)", True), ("attribute_not_exists(m.k.x)", True),
    # attribute_type
    ("attribute_type(s, :tS)", True), ("attribute_type(n, :tN)", True),
    ("attribute_type(b, :tB)", True), ("attribute_type(ss, :tSS)", True),
    ("attribute_type(ns, :tNS)", True), ("attribute_type(bs, :tBS)", True),
    ("attribute_type(t, :tBOOL)", True), ("attribute_type(z, :tNULL)", True),
    ("attribute_type(l, :tL)", True), ("attribute_type(m, :tM)", True),
    ("attribute_type(l[2], :tM)", True), ("attribute_type(n, :tS)", False),
    ("attribute_type(ns, :tSS)", False), ("attribute_type(nope, :tS)", False),
    # begins_with
    ("begins_with(s, :hello)", True), ("begins_with(s, :world)", False),
    ("begins_with(b, :b12)", True), ("begins_with(b, :b13)", False),
    ("begins_with(n, :fives)", False), ("begins_with(nope, :hello)", False),
    # contains: substring, set member, list element
    ("contains(s, :lowo)", True), ("contains(s, :xyz)", False),
    ("contains(ss, :red)", True), ("contains(ss, :blue)", False),
    ("contains(ns, :two)", True), ("contains(ns, :ten)", False), ("contains(ns, :twos)", False),
    ("contains(bs, :b1)", True), ("contains(bs, :b9)", False),
    ("contains(l, :x)", True), ("contains(l, :one)", True), ("contains(l, :fives)", False),
    ("contains(nope, :x)", False),
    # size of every sized type
    ("size(s) = :eleven", True), ("size(s) > :ten", True), ("size(s) < :ten", False),
    ("size(b) = :three", True), ("size(ss) = :two", True), ("size(ns) = :three", True),
    ("size(bs) = :two", True), ("size(l) = :three", True), ("size(m) = :two", True),
    ("size(e_l) = :zero", True), ("size(m.deep) = :one", True), ("size(nope) = :zero", False),
    ("size(nope) < :one", False), ("size(l) BETWEEN :two AND :three", True),
    # logic and precedence: NOT > AND > OR   source: DOC Expressions.OperatorsAndFunctions
    ("NOT n = :six", True), ("NOT n = :five", False),
    ("n = :five AND s = :hw", True), ("n = :five AND s = :x", False),
    ("n = :six OR s = :hw", True), ("n = :six OR s = :x", False),
    ("n = :five OR n = :six AND s = :x", True),          # T OR (F AND F)
    ("(n = :five OR n = :six) AND s = :x", False),
    ("NOT n = :six AND n = :six", False),                # (NOT F) AND F
    ("NOT n = :five OR n = :five", True),                # (NOT T) OR T
    ("NOT (n = :five OR n = :six)", False),
    ("n = :six OR NOT s = :x AND attribute_exists(l)", True),
    ("(n = :five) AND (s = :hw)", True),
    # paths and names
    ("m.deep.x = :seven", True), ("l[1] = :one", True), ("l[2].k = :v", True),
    ("#m.#k = :v", True), ("#dot = :dotted", True), ("a.b = :dotted", False),
    ("#n BETWEEN :four AND :six AND begins_with(#s, :hello)", True),
]


@pytest.fixture(scope="module")
def cond_key(server, hash_table):
    key = {"pk": S("cond-" + uid())}
    server.client().put_item(TableName=hash_table, Item=dict(COND_ITEM, **key))
    return key


def used(pool, expr, sigil):
    return {k: v for k, v in pool.items()
            if re.search(re.escape(k) + r"(?![A-Za-z0-9_])", expr)} if sigil in expr else {}


@pytest.mark.parametrize("expr,expected", CONDITIONS, ids=[c[0] for c in CONDITIONS])
def test_condition(ddb, hash_table, cond_key, expr, expected):
    kw = dict(TableName=hash_table, Key=cond_key, ConditionExpression=expr,
              UpdateExpression="SET probe = :probe_v",
              ExpressionAttributeValues=dict(used(VALUES, expr, ":"), **{":probe_v": N(1)}))
    names = used(NAMES, expr, "#")
    if names:
        kw["ExpressionAttributeNames"] = names
    if expected:
        ddb.update_item(**kw)
    else:
        with pytest.raises(ClientError) as e:
            ddb.update_item(**kw)
        assert_client_error(e, CCF, CCF_MSG)


def test_condition_on_missing_item_uses_an_empty_item(ddb, hash_table):
    key = {"pk": S("nothing-" + uid())}
    # <> on a missing attribute is true: the put goes through   source: C putItem/conditions
    ddb.put_item(TableName=hash_table, Item=dict(key, st=S("idle")),
                 ConditionExpression="st <> :v OR updated < :t",
                 ExpressionAttributeValues={":v": S("working"), ":t": S("2099")})
    assert item_of(ddb, hash_table, key) == dict(key, st=S("idle"))
    key2 = {"pk": S("nothing-" + uid())}
    with pytest.raises(ClientError) as e:
        ddb.put_item(TableName=hash_table, Item=dict(key2, st=S("idle")),
                     ConditionExpression="st = :v", ExpressionAttributeValues={":v": S("working")})
    assert_client_error(e, CCF, CCF_MSG)
    assert item_of(ddb, hash_table, key2) is None


def test_delete_with_condition(ddb, hash_table):
    item = {"pk": S("del-" + uid()), "v": N(3)}
    ddb.put_item(TableName=hash_table, Item=item)
    with pytest.raises(ClientError) as e:
        ddb.delete_item(TableName=hash_table, Key={"pk": item["pk"]},
                        ConditionExpression="v > :n", ExpressionAttributeValues={":n": N(3)})
    assert_client_error(e, CCF, CCF_MSG)
    assert item_of(ddb, hash_table, {"pk": item["pk"]}) == item
    r = ddb.delete_item(TableName=hash_table, Key={"pk": item["pk"]}, ReturnValues="ALL_OLD",
                        ConditionExpression="v >= :n AND attribute_type(v, :t)",
                        ExpressionAttributeValues={":n": N(3), ":t": S("N")})
    assert r["Attributes"] == item
    assert item_of(ddb, hash_table, {"pk": item["pk"]}) is None


def test_in_accepts_exactly_100_operands(ddb, hash_table, cond_key):
    values = {":v%d" % i: N(100 + i) for i in range(99)}
    values[":five"] = N(5)
    ddb.update_item(TableName=hash_table, Key=cond_key, UpdateExpression="SET probe = :five",
                    ConditionExpression="n IN (%s)" % ", ".join(sorted(values)),
                    ExpressionAttributeValues=values)


def test_keywords_and_functions_case(ddb, hash_table, cond_key):
    # keywords are case-insensitive; function names are not (see the invalid cases)
    ddb.update_item(TableName=hash_table, Key=cond_key, UpdateExpression="set probe = :one",
                    ConditionExpression="n between :four and :six and not n in (:one) or n = :one",
                    ExpressionAttributeValues={":four": N(4), ":six": N(6), ":one": N(1)})


# =============================================================================================
# Update semantics
# =============================================================================================

def test_update_reads_the_item_as_it_was(ddb, hash_table):
    # source: C tests/tier1/updateItem/basic.test.ts "SET evaluation semantics"
    key = {"pk": S("snap-" + uid())}
    ddb.put_item(TableName=hash_table, Item=dict(key, a=S("OLD"), c=N(10), v=N(10)))
    r = ddb.update_item(TableName=hash_table, Key=key, ReturnValues="ALL_NEW",
                        UpdateExpression="SET a = :v, b = a, c = (c - :three), "
                                         "v = if_not_exists(v, :d) - :three",
                        ExpressionAttributeValues={":v": S("NEW"), ":three": N(3), ":d": N(0)})
    assert r["Attributes"] == dict(key, a=S("NEW"), b=S("OLD"), c=N(7), v=N(7))


def test_update_upserts_with_if_not_exists(ddb, hash_table):
    # source: C tests/tier1/updateItem/basic.test.ts (upsert; list_append(if_not_exists(...)))
    key = {"pk": S("ups-" + uid())}
    upd = dict(UpdateExpression="SET lst = list_append(if_not_exists(lst, :empty), :more), "
                                "cnt = if_not_exists(cnt, :zero) + :one",
               ExpressionAttributeValues={":empty": L(), ":more": L(S("x")), ":zero": N(0),
                                          ":one": N(1)})
    r = ddb.update_item(TableName=hash_table, Key=key, ReturnValues="ALL_NEW", **upd)
    assert r["Attributes"] == dict(key, lst=L(S("x")), cnt=N(1))
    r = ddb.update_item(TableName=hash_table, Key=key, ReturnValues="ALL_NEW", **upd)
    assert r["Attributes"] == dict(key, lst=L(S("x"), S("x")), cnt=N(2))
    # a right-hand path missing from the item (as it was before the update) is an error
    with pytest.raises(ClientError) as e:
        ddb.update_item(TableName=hash_table, Key={"pk": S("ups-" + uid())},
                        UpdateExpression="SET myval = :o, copy_ = myval",
                        ExpressionAttributeValues={":o": S("original")})
    # source: DT test/updateItem.js; MOTO test_non_existing_attribute_should_raise_exception
    assert_client_error(e, VE, NO_ATTR)


def test_if_not_exists_falls_back_to_another_path(ddb, hash_table):
    # source: C tests/tier1/updateItem/basic.test.ts "if_not_exists with cross-attribute reference"
    key = {"pk": S("ine-" + uid())}
    ddb.put_item(TableName=hash_table, Item=dict(key, myval=S("original"), keep=S("keep-me")))
    r = ddb.update_item(TableName=hash_table, Key=key, ReturnValues="UPDATED_NEW",
                        UpdateExpression="SET #bk = if_not_exists(#bk, #mv), keep = if_not_exists(keep, :d)",
                        ExpressionAttributeNames={"#bk": "backup", "#mv": "myval"},
                        ExpressionAttributeValues={":d": S("default")})
    assert r["Attributes"] == {"backup": S("original"), "keep": S("keep-me")}


def test_add_and_delete_actions(ddb, hash_table):
    key = {"pk": S("add-" + uid())}
    r = ddb.update_item(TableName=hash_table, Key=key, ReturnValues="UPDATED_NEW",
                        UpdateExpression="ADD cnt :ten, tags :t, nums :ns",
                        ExpressionAttributeValues={":ten": N(10), ":t": {"SS": ["a", "b"]},
                                                   ":ns": {"NS": ["1"]}})
    assert canon(r["Attributes"]) == {"cnt": N(10), "tags": {"SS": ["a", "b"]},
                                      "nums": {"NS": ["1"]}}
    r = ddb.update_item(TableName=hash_table, Key=key, ReturnValues="ALL_NEW",
                        UpdateExpression="ADD cnt :m, tags :t DELETE nums :ns",
                        ExpressionAttributeValues={":m": N("-2.5"), ":t": {"SS": ["b", "c"]},
                                                   ":ns": {"NS": ["1", "7"]}})
    assert canon(r["Attributes"]) == dict(key, cnt=N("7.5"), tags={"SS": ["a", "b", "c"]})
    r = ddb.update_item(TableName=hash_table, Key=key, ReturnValues="ALL_NEW",
                        UpdateExpression="DELETE gone :ns", ExpressionAttributeValues={":ns": {"NS": ["1"]}})
    assert "gone" not in r["Attributes"]


def test_arithmetic_is_exact_decimal(ddb, hash_table):
    key = {"pk": S("dec-" + uid())}
    ddb.put_item(TableName=hash_table, Item=dict(key, x=N("0.1"), big=N("99999999999999999999999999999999999999")))
    r = ddb.update_item(TableName=hash_table, Key=key, ReturnValues="UPDATED_NEW",
                        UpdateExpression="SET x = x + :y, big = big - :one",
                        ExpressionAttributeValues={":y": N("0.2"), ":one": N(1)})
    assert r["Attributes"] == {"x": N("0.3"), "big": N("99999999999999999999999999999999999998")}


def test_remove_then_set_list_elements(ddb, hash_table):
    # source: C tests/tier1/updateItem/paths.test.ts
    key = {"pk": S("lst-" + uid())}
    ddb.put_item(TableName=hash_table, Item=dict(key, mylist=L(S("a"), S("b"), S("c"), S("d")),
                                                 fresh=L()))
    r = ddb.update_item(TableName=hash_table, Key=key, ReturnValues="ALL_NEW",
                        UpdateExpression="REMOVE mylist[1] SET fresh[0] = :v",
                        ExpressionAttributeValues={":v": S("first")})
    assert r["Attributes"] == dict(key, mylist=L(S("a"), S("c"), S("d")), fresh=L(S("first")))


def test_set_nested_path_does_not_create_dotted_attribute(ddb, hash_table):
    # source: C tests/tier1/updateItem/paths.test.ts
    key = {"pk": S("dot-" + uid())}
    ddb.put_item(TableName=hash_table, Item=dict(key, parent=M(keep=S("k"))))
    ddb.update_item(TableName=hash_table, Key=key, UpdateExpression="SET parent.child = :v, #d = :w",
                    ExpressionAttributeNames={"#d": "parent.child"},
                    ExpressionAttributeValues={":v": S("nested"), ":w": S("flat")})
    assert item_of(ddb, hash_table, key) == dict(key, parent=M(keep=S("k"), child=S("nested")),
                                                 **{"parent.child": S("flat")})


# =============================================================================================
# ProjectionExpression and AttributesToGet on GetItem
# =============================================================================================

@pytest.fixture(scope="module")
def proj_key(server, hash_table):
    key = {"pk": S("proj-" + uid())}
    server.client().put_item(TableName=hash_table, Item=dict(
        key, mymap=M(nested=S("deep"), extra=N(42), blank=M(a=S("A"), b=S("B"))),
        mylist=L(S("zero"), S("one"), M(k=S("v"), j=S("w"))), top=S("t"), **{"a.b": S("dotted")}))
    return key


@pytest.mark.parametrize("proj,names,expected", [
    ("top", None, {"top": S("t")}),
    ("top, pk", None, {"top": S("t"), "pk": "KEY"}),
    ("#m.#n", {"#m": "mymap", "#n": "nested"}, {"mymap": M(nested=S("deep"))}),
    ("mymap.blank.a, mymap.blank.b", None, {"mymap": M(blank=M(a=S("A"), b=S("B")))}),
    ("mylist[0]", None, {"mylist": L(S("zero"))}),
    ("mylist[2], mylist[0]", None, {"mylist": L(S("zero"), M(k=S("v"), j=S("w")))}),
    ("mylist[2].k", None, {"mylist": L(M(k=S("v")))}),
    ("mylist[1], mymap.extra, top", None,
     {"mylist": L(S("one")), "mymap": M(extra=N(42)), "top": S("t")}),
    ("#d", {"#d": "a.b"}, {"a.b": S("dotted")}),
    ("top, nope, mylist[9], mymap.nope", None, {"top": S("t")}),
])
def test_projection(ddb, hash_table, proj_key, proj, names, expected):
    kw = {"ProjectionExpression": proj}
    if names:
        kw["ExpressionAttributeNames"] = names
    expected = {k: (proj_key["pk"] if v == "KEY" else v) for k, v in expected.items()}
    assert get(ddb, hash_table, proj_key, **kw)["Item"] == expected


def test_projection_of_nothing_and_of_missing_item(ddb, hash_table, proj_key):
    r = get(ddb, hash_table, proj_key, ProjectionExpression="nope")
    assert r.get("Item", {}) == {}
    r = get(ddb, hash_table, {"pk": S("absent-" + uid())}, ProjectionExpression="top")
    assert "Item" not in r


def test_attributes_to_get(ddb, hash_table, proj_key):
    r = get(ddb, hash_table, proj_key, AttributesToGet=["top", "a.b", "nope"])
    assert r["Item"] == {"top": S("t"), "a.b": S("dotted")}     # names, not paths


# =============================================================================================
# Legacy Expected / ConditionalOperator / AttributeUpdates
# =============================================================================================

@pytest.fixture
def legacy_item(ddb, hash_table):
    item = {"pk": S("leg-" + uid()), "n": N(5), "s": S("hello"), "ss": {"SS": ["a", "b"]}}
    ddb.put_item(TableName=hash_table, Item=item)
    return item


def av(*vals):
    return {"AttributeValueList": list(vals)}


LEGACY = [
    ({"n": {"Value": N(5)}}, None, True),
    ({"n": {"Value": N(6)}}, None, False),
    ({"n": {"Exists": True, "Value": N(5)}}, None, True),
    ({"nope": {"Exists": False}}, None, True),
    ({"n": {"Exists": False}}, None, False),
    ({"n": dict(ComparisonOperator="EQ", **av(N(5)))}, None, True),
    ({"n": dict(ComparisonOperator="NE", **av(N(5)))}, None, False),
    ({"nope": dict(ComparisonOperator="NE", **av(N(5)))}, None, True),
    ({"n": dict(ComparisonOperator="LT", **av(N(6)))}, None, True),
    ({"n": dict(ComparisonOperator="LE", **av(N(4)))}, None, False),
    ({"n": dict(ComparisonOperator="GT", **av(N(4)))}, None, True),
    ({"n": dict(ComparisonOperator="GE", **av(N(6)))}, None, False),
    ({"n": dict(ComparisonOperator="BETWEEN", **av(N(1), N(5)))}, None, True),
    ({"n": dict(ComparisonOperator="IN", **av(N(1), N(2)))}, None, False),
    ({"n": dict(ComparisonOperator="IN", **av(N(1), N(5)))}, None, True),
    ({"s": dict(ComparisonOperator="BEGINS_WITH", **av(S("he")))}, None, True),
    ({"s": dict(ComparisonOperator="CONTAINS", **av(S("ell")))}, None, True),
    ({"s": dict(ComparisonOperator="NOT_CONTAINS", **av(S("ell")))}, None, False),
    ({"ss": dict(ComparisonOperator="CONTAINS", **av(S("b")))}, None, True),
    ({"n": {"ComparisonOperator": "NOT_NULL"}}, None, True),
    ({"n": {"ComparisonOperator": "NULL"}}, None, False),
    ({"nope": {"ComparisonOperator": "NULL"}}, None, True),
    ({"n": {"Value": N(5)}, "s": {"Value": S("nope")}}, "AND", False),
    ({"n": {"Value": N(5)}, "s": {"Value": S("nope")}}, "OR", True),
    ({"n": {"Value": N(9)}, "s": {"Value": S("nope")}}, "OR", False),
    ({"n": {"Value": N(5)}, "s": {"Value": S("hello")}}, None, True),     # default AND
    ({"n": dict(ComparisonOperator="GT", **av(S("4")))}, None, False),   # cross-type
]


@pytest.mark.parametrize("expected,op,ok", LEGACY,
                         ids=["legacy%d" % i for i in range(len(LEGACY))])
def test_legacy_expected_on_put(ddb, hash_table, legacy_item, expected, op, ok):
    kw = dict(TableName=hash_table, Item=dict(legacy_item, marker=S("x")), Expected=expected)
    if op:
        kw["ConditionalOperator"] = op
    if ok:
        ddb.put_item(**kw)
        assert item_of(ddb, hash_table, {"pk": legacy_item["pk"]})["marker"] == S("x")
    else:
        with pytest.raises(ClientError) as e:
            ddb.put_item(**kw)
        assert_client_error(e, CCF, CCF_MSG)
        assert item_of(ddb, hash_table, {"pk": legacy_item["pk"]}) == legacy_item


def test_legacy_attribute_updates_with_expected(ddb, hash_table, legacy_item):
    key = {"pk": legacy_item["pk"]}
    r = ddb.update_item(TableName=hash_table, Key=key, ReturnValues="UPDATED_NEW",
                        Expected={"n": {"ComparisonOperator": "GE", "AttributeValueList": [N(5)]},
                                  "s": {"Exists": True, "Value": S("nope")}},
                        ConditionalOperator="OR",
                        AttributeUpdates={"n": {"Action": "ADD", "Value": N(2)},
                                          "ss": {"Action": "DELETE", "Value": {"SS": ["a"]}},
                                          "s": {"Action": "DELETE"},
                                          "l": {"Action": "ADD", "Value": L(S("x"))}})
    assert r["Attributes"] == {"n": N(7), "ss": {"SS": ["b"]}, "l": L(S("x"))}
    with pytest.raises(ClientError) as e:
        ddb.update_item(TableName=hash_table, Key=key, Expected={"s": {"Exists": False},
                                                                 "n": {"Value": N(5)}},
                        AttributeUpdates={"n": {"Action": "PUT", "Value": N(0)}})
    assert_client_error(e, CCF, CCF_MSG)
    assert item_of(ddb, hash_table, key) == dict(key, n=N(7), ss={"SS": ["b"]}, l=L(S("x")))


def test_legacy_expected_on_delete(ddb, hash_table, legacy_item):
    key = {"pk": legacy_item["pk"]}
    with pytest.raises(ClientError) as e:
        ddb.delete_item(TableName=hash_table, Key=key, Expected={"n": {"Value": N(1)}})
    assert_client_error(e, CCF, CCF_MSG)
    r = ddb.delete_item(TableName=hash_table, Key=key, ReturnValues="ALL_OLD",
                        Expected={"n": {"Value": N(5)}, "nope": {"Exists": False}})
    assert canon(r["Attributes"]) == canon(legacy_item)


# =============================================================================================
# Invalid requests: exact ValidationException messages
# =============================================================================================

SEED = {
    "s": S("hello"), "n": N(5), "l": L(S("a"), S("b")), "m": M(k=S("v")),
    "ss": {"SS": ["x", "y"]}, "ns": {"NS": ["1", "2"]},
    "big": N("9.9999999999999999999999999999999999999E+125"),
}


@pytest.fixture(scope="module")
def seed_key(server, hash_table):
    key = {"pk": S("seed-" + uid())}
    server.client().put_item(TableName=hash_table, Item=dict(SEED, **key))
    return key


def case(id_, op, message, expr=None, names=None, values=None, seed=False, **extra):
    """op: update (UpdateExpression), cond (ConditionExpression on PutItem), ucond
    (ConditionExpression on UpdateItem), delete (ConditionExpression on DeleteItem),
    proj (ProjectionExpression on GetItem), put/get/update_raw (only `extra`), msg_update
    (UpdateItem on the cruddur table)."""
    params = dict(extra)
    field = {"update": "UpdateExpression", "msg_update": "UpdateExpression",
             "cond": "ConditionExpression", "ucond": "ConditionExpression",
             "delete": "ConditionExpression", "proj": "ProjectionExpression"}.get(op)
    if expr is not None:
        params[field] = expr
    if names is not None:
        params["ExpressionAttributeNames"] = names
    if values is not None:
        params["ExpressionAttributeValues"] = values
    return pytest.param(op, params, message, seed, id=id_)


U = "Invalid UpdateExpression: "
C = "Invalid ConditionExpression: "
P = "Invalid ProjectionExpression: "
SYN = 'Syntax error; token: "%s", near: "%s"'
RESERVED = "Attribute name is a reserved keyword; reserved keyword: "
NO_NAME = "An expression attribute name used in the document path is not defined; attribute name: "
NO_VALUE = "An expression attribute value used in expression is not defined; attribute value: "
OPERANDS = "Incorrect number of operands for operator or function; operator or function: %s, number of operands: %d"
OPTYPE = "Incorrect operand type for operator or function; operator or function: %s, operand type: %s"
# source: DynamoDB Local (DynamoDB's own engine) names the allowed set; see expression_facts.md 4
UPDTYPE = ("Incorrect operand type for operator or function; operator: %s, operand type: %s, "
           "typeSet: ALLOWED_FOR_%s_OPERAND")
DISTINCT = ("The first operand must be distinct from the remaining operands for this operator or "
            "function; operator: %s, first operand: %s")
OVERLAP = ("Two document paths overlap with each other; must remove or rewrite one of these paths; "
           "path one: %s, path two: %s")
CONFLICT = ("Two document paths conflict with each other; must remove or rewrite one of these "
            "paths; path one: %s, path two: %s")
MISUSED = "The function is not allowed to be used this way in an expression; function: "
NEEDS_PATH = "Operator or function requires a document path; operator or function: "
MIX = ("Can not use both expression and non-expression parameters in the same request: "
       "Non-expression parameters: {%s} Expression parameters: {%s}")
KEY_UPDATE = ("One or more parameter values were invalid: Cannot update attribute %s. "
              "This attribute is part of the key")
BAD_OPERAND = "An operand in the update expression has an incorrect data type"
BAD_PATH = "The document path provided in the update expression is invalid for update"
NO_ATTR = "The provided expression refers to an attribute that does not exist in the item"
INVALID = "One or more parameter values were invalid: "
V = {":v": S("x")}

IN_101 = {":v%d" % i: N(i) for i in range(101)}

INVALID_CASES = [
    # --- syntax errors: token and near   source: expression_facts.md section 2
    case("syn-set-alone", "update", U + SYN % ("<EOF>", "SET"), "SET"),
    case("syn-set-path-only", "update", U + SYN % ("<EOF>", "a"), "SET a"),
    case("syn-set-no-value", "update", U + SYN % ("<EOF>", "="), "SET a ="),
    case("syn-remove-alone", "update", U + SYN % ("<EOF>", "REMOVE"), "REMOVE"),
    case("syn-trailing-comma", "update", U + SYN % ("<EOF>", ","), "SET a = :v,", values=V),
    # source: MOTO test_update_expression_with_numeric_literal_instead_of_value
    case("syn-literal", "update", U + SYN % ("1", "+ 1"), "SET MyStr = myNum + 1"),
    # source: MOTO test_update_expression_with_multiple_set_clauses_must_be_comma_separated
    case("syn-missing-comma", "update", U + SYN % ("Mystr2", "myNum Mystr2 myNum2"),
         "SET MyStr = myNum Mystr2 myNum2"),
    case("syn-multiply", "update", U + SYN % ("*", "b * c"), "SET a = b * c"),
    case("syn-two-plus", "update", U + SYN % ("+", "c + d"), "SET a = b + c + d"),
    # source: LowVoltage (real DynamoDB and DynamoDB Local agree)
    case("syn-cond-bare-path", "cond", C + SYN % ("<EOF>", "foo"), "foo"),
    case("syn-cond-double-eq", "cond", C + SYN % ("=", "= = :v"), "a = = :v", values=V),
    case("syn-cond-literal", "cond", C + SYN % ("4", "> 4"), "a > 4"),
    case("syn-cond-empty-in", "cond", C + SYN % (")", "()"), "a IN ()"),
    case("syn-cond-unclosed", "cond", C + SYN % ("<EOF>", "("), "attribute_not_exists("),
    case("syn-cond-dangling-and", "delete", C + SYN % ("<EOF>", "AND"), "a = :v AND", values=V),
    # source: C tests/tier3/error-messages/getItem.test.ts
    case("syn-proj-bang", "proj", P + SYN % ("!", "!!"), "!!! INVALID !!!"),
    case("syn-proj-trailing-comma", "proj", P + SYN % ("<EOF>", ","), "a,"),
    # --- empty expressions   source: DT test/updateItem.js; C tests/tier3/error-messages/query.test.ts
    case("empty-update", "update", U + "The expression can not be empty;", ""),
    case("empty-condition", "cond", C + "The expression can not be empty;", ""),
    case("empty-projection", "proj", P + "The expression can not be empty;", ""),
    # --- undefined / unused names and values
    case("undefined-name-update", "update", U + NO_NAME + "#n", "SET #n = :v", values=V),
    case("undefined-value-update", "update", U + NO_VALUE + ":v", "SET a = :v"),
    case("undefined-name-cond", "cond", C + NO_NAME + "#s", "#s = :v", values=V),
    # source: LowVoltage
    case("undefined-value-cond", "cond", C + NO_VALUE + ":foo", "foo=:foo"),
    case("undefined-name-proj", "proj", P + NO_NAME + "#p", "#p"),
    # source: C tests/tier3/error-messages/query.test.ts (exact form)
    case("unused-name", "update",
         "Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}",
         "SET a = :v", names={"#unused": "x"}, values=V),
    case("unused-value", "update",
         "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}",
         "SET a = :v", values={":v": S("x"), ":unused": S("y")}),
    case("unused-name-proj", "proj",
         "Value provided in ExpressionAttributeNames unused in expressions: keys: {#x}",
         "a", names={"#x": "b"}),
    # source: C tests/tier3/error-messages/putItem.test.ts @31fddc6 (see facts 1.4 on the envelope)
    case("values-without-expression-put", "put",
         "ExpressionAttributeValues can only be specified when using expressions: "
         "ConditionExpression is null", ExpressionAttributeValues=V),
    # source: DT test/updateItem.js
    case("values-without-expression-update", "update_raw",
         "ExpressionAttributeValues can only be specified when using expressions: "
         "UpdateExpression and ConditionExpression are null", ExpressionAttributeValues=V),
    case("names-without-expression-put", "put",
         "ExpressionAttributeNames can only be specified when using expressions",
         ExpressionAttributeNames={"#a": "a"}),
    case("names-without-expression-get", "get",
         "ExpressionAttributeNames can only be specified when using expressions",
         ExpressionAttributeNames={"#a": "a"}),
    # --- malformed placeholder keys / maps   source: DT test/updateItem.js
    case("names-empty-map", "update", "ExpressionAttributeNames must not be empty",
         "SET a = :v", names={}, values=V),
    case("values-empty-map", "update", "ExpressionAttributeValues must not be empty",
         "REMOVE a", values={}),
    case("names-key-without-hash", "update",
         'ExpressionAttributeNames contains invalid key: Syntax error; key: "s"',
         "SET #s = :v", names={"s": "status"}, values=V),
    case("names-key-bad-char", "update",
         'ExpressionAttributeNames contains invalid key: Syntax error; key: "#a-b"',
         "SET a = :v", names={"#a-b": "x"}, values=V),
    case("values-key-without-colon", "update",
         'ExpressionAttributeValues contains invalid key: Syntax error; key: "v"',
         "SET #s = :v", names={"#s": "status"}, values={"v": S("x")}),
    case("values-bad-value", "update",
         "ExpressionAttributeValues contains invalid value: " + INVALID +
         "An string set  may not be empty for key :v", "SET a = :v", values={":v": {"SS": []}}),
    # --- reserved words used bare   source: DT test/updateItem.js, test/scan.js
    case("reserved-update", "update", U + RESERVED + "status", "SET status = :v", values=V),
    case("reserved-update-case-kept", "update", U + RESERVED + "Absolute", " remove Absolute "),
    case("reserved-cond", "cond", C + RESERVED + "name", "name = :v", values=V),
    case("reserved-proj", "proj", P + RESERVED + "data", "top, data"),
    # --- redundant parentheses   source: C tests/tier3/error-messages/putItem.test.ts
    case("parens-triple", "cond", C + "The expression has redundant parentheses;",
         "((attribute_not_exists(pk)))"),
    case("parens-double", "ucond", C + "The expression has redundant parentheses;",
         "((a = :v))", values=V, UpdateExpression="REMOVE zz"),
    # --- functions
    case("unknown-function-cond", "cond", C + "Invalid function name; function: attRIbute_exIsts",
         "attRIbute_exIsts(a)"),
    # source: DynamoDB Local (DynamoDB's own engine); see expression_facts.md section 3
    case("update-function-in-cond", "cond",
         C + "The function is not allowed in a condition expression; function: if_not_exists",
         "if_not_exists(a, :v)", values=V),
    case("unknown-function-update", "update", U + "Invalid function name; function: if_not_exist",
         "SET a = if_not_exist(a, :v)", values=V),
    case("operands-attribute-exists", "cond", C + OPERANDS % ("attribute_exists", 2),
         "attribute_exists(a, b)"),
    case("operands-begins-with", "cond", C + OPERANDS % ("begins_with", 1), "begins_with(a)"),
    case("operands-size", "cond", C + OPERANDS % ("size", 2), "size(a, b) > :v", values=V),
    case("operands-if-not-exists", "update", U + OPERANDS % ("if_not_exists", 1),
         "SET a = if_not_exists(b)"),
    case("operands-list-append", "update", U + OPERANDS % ("list_append", 1),
         "SET a = list_append(b)"),
    case("misused-boolean-function", "cond", C + MISUSED + "attribute_not_exists",
         "attribute_not_exists(things) > b"),
    case("misused-size", "cond", C + MISUSED + "size", "size(things)"),
    case("needs-path-cond", "cond", C + NEEDS_PATH + "attribute_exists", "attribute_exists(:v)",
         values=V),
    case("needs-path-update", "update", U + NEEDS_PATH + "if_not_exists",
         "SET a = if_not_exists(:v, b)", values=V),
    case("type-begins-with", "cond", C + OPTYPE % ("begins_with", "N"), "begins_with(a, :n)",
         values={":n": N(1)}),
    case("type-attribute-type", "cond", C + OPTYPE % ("attribute_type", "N"),
         "attribute_type(a, :n)", values={":n": N(1)}),
    case("type-size", "cond", C + OPTYPE % ("size", "BOOL"), "size(:b) > a",
         values={":b": {"BOOL": True}}),
    case("attribute-type-name", "cond",
         re.compile(re.escape(C + "Invalid attribute type name found; type: STRING, valid types: ")
                    + r"\{(?:(?:B|NULL|SS|BOOL|L|BS|N|NS|S|M),?){10}\}"),
         "attribute_type(a, :t)", values={":t": S("STRING")}),
    case("type-list-append", "update", U + OPTYPE % ("list_append", "S"),
         "SET a = list_append(:s, a)", values={":s": S("x")}),
    case("type-plus", "update", U + OPTYPE % ("+", "S"), "SET a = a + :s", values={":s": S("x")}),
    case("type-minus", "update", U + OPTYPE % ("-", "B"), "SET a = :b - a",
         values={":b": {"B": b"a"}}),
    # source: DT test/scan.js (non-distinct), C tests/tier3/error-messages/putItem.test.ts
    case("distinct-eq", "cond", C + DISTINCT % ("=", "[a]"), "a = a"),
    case("distinct-contains", "cond", C + DISTINCT % ("contains", "[data]"), "contains(#a, #a)",
         names={"#a": "data"}),
    # --- BETWEEN bounds and IN size   source: DT test/deleteItem.js
    case("between-types", "cond",
         C + "The BETWEEN operator requires same data type for lower and upper bounds; "
             "lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:a}",
         "a between :b and :a", values={":a": S("a"), ":b": N(1)}),
    case("between-order", "cond",
         C + "The BETWEEN operator requires upper bound to be greater than or equal to lower "
             "bound; lower bound operand: AttributeValue: {S:b}, upper bound operand: "
             "AttributeValue: {S:a}",
         "a between :b and :a", values={":a": S("a"), ":b": S("b")}),
    case("in-101", "cond",
         C + "The IN operator is provided with too many operands; number of operands: 101",
         "a IN (%s)" % ", ".join(":v%d" % i for i in range(101)), values=IN_101),
    # --- update expression structure   source: DT test/updateItem.js
    case("section-twice-set", "update",
         U + 'The "SET" section can only be used once in an update expression;',
         "SET a = :v SET b = :v", values=V),
    case("section-twice-remove", "update",
         U + 'The "REMOVE" section can only be used once in an update expression;',
         "REMOVE a REMOVE b"),
    case("overlap-same-path", "update", U + OVERLAP % ("[val]", "[val]"), "SET #v = :a, #v = :b",
         names={"#v": "val"}, values={":a": S("1"), ":b": S("2")}),
    case("overlap-prefix", "update", U + OVERLAP % ("[c, [1], a]", "[c]"),
         "set d[1] = a, d.b = a, c[1].a = a, #c = if_not_exists(a)", names={"#c": "c"}),
    case("overlap-index", "update", U + OVERLAP % ("[c, [3], [3]]", "[c, [3]]"),
         "set #c[3].#d = a, #c[3] = a", names={"#c": "c", "#d": "[3]"}),
    case("conflict", "update", U + CONFLICT % ("[a, c]", "[a, [1]]"), "remove a.#c set a[1] = #d",
         names={"#c": "c", "#d": "[3]"}),
    case("add-string", "update", U + UPDTYPE % ("ADD", "STRING", "ADD"), "ADD a :s",
         values={":s": S("x")}),
    case("add-list", "update", U + UPDTYPE % ("ADD", "LIST", "ADD"), "ADD a :l",
         values={":l": L(N(1))}),
    case("add-bool", "update", U + UPDTYPE % ("ADD", "BOOLEAN", "ADD"), "ADD a :b",
         values={":b": {"BOOL": True}}),
    case("delete-number", "update", U + UPDTYPE % ("DELETE", "NUMBER", "DELETE"), "DELETE a :n",
         values={":n": N(1)}),
    case("delete-map", "update", U + UPDTYPE % ("DELETE", "MAP", "DELETE"), "DELETE a :m",
         values={":m": M(a=N(1))}),
    # --- key attributes   source: DT test/updateItem.js
    case("set-hash-key", "update", KEY_UPDATE % "pk", "SET pk = :v", values=V),
    case("remove-hash-key", "update", KEY_UPDATE % "pk", "REMOVE pk"),
    case("add-into-hash-key", "update", KEY_UPDATE % "pk", "ADD pk.b :n", values={":n": N(1)}),
    case("set-range-key", "msg_update", KEY_UPDATE % "sk", "SET sk = :v", values=V),
    case("attribute-updates-key", "update_raw", KEY_UPDATE % "pk",
         AttributeUpdates={"pk": {"Action": "PUT", "Value": S("other")}}),
    # --- legacy and expression parameters mixed   source: C tests/tier3/error-messages/*.test.ts
    case("mix-put", "cond", MIX % ("Expected", "ConditionExpression"), "attribute_not_exists(pk)",
         Expected={"pk": {"Exists": False}}),
    case("mix-delete", "delete", MIX % ("Expected", "ConditionExpression"),
         "attribute_not_exists(pk)", Expected={"pk": {"Exists": False}}),
    case("mix-update", "update", MIX % ("AttributeUpdates", "UpdateExpression"), "SET a = :v",
         values=V, AttributeUpdates={"a": {"Action": "PUT", "Value": S("x")}}),
    # source: DT test/updateItem.js
    case("mix-update-all", "update",
         MIX % ("AttributeUpdates, Expected", "UpdateExpression, ConditionExpression"),
         "SET a = :v", values=V, ConditionExpression="attribute_exists(a)",
         Expected={"a": {"Exists": False}}, AttributeUpdates={"a": {"Action": "DELETE"}}),
    case("mix-get", "proj", MIX % ("AttributesToGet", "ProjectionExpression"), "a",
         AttributesToGet=["a"]),
    # --- legacy parameter validation   source: DT test/deleteItem.js; C putItem.test.ts (newer)
    case("expected-exists-no-value", "put",
         INVALID + "Value must be provided when Exists is true for Attribute: a",
         Expected={"a": {"Exists": True}}),
    case("expected-operator-no-value", "put",
         INVALID + "Value or AttributeValueList must be used with ComparisonOperator: EQ for "
                   "Attribute: a", Expected={"a": {"ComparisonOperator": "EQ"}}),
    case("expected-exists-false-with-value", "put",
         INVALID + "Value cannot be used when Exists is false for Attribute: a",
         Expected={"a": {"Exists": False, "Value": S("x")}}),
    case("expected-between-one-value", "put",
         INVALID + "Invalid number of argument(s) for the BETWEEN ComparisonOperator",
         Expected={"a": {"ComparisonOperator": "BETWEEN", "Value": S("a")}}),
    case("expected-between-order", "put",
         "The BETWEEN condition was provided a range where the lower bound is greater than the "
         "upper bound",
         Expected={"a": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [S("b"), S("a")]}}),
    case("attributes-to-get-duplicate", "get",
         INVALID + "Duplicate value in attribute name: a", AttributesToGet=["a", "a"]),
    # --- ProjectionExpression paths   source: C tests/tier1/getItem/projectionValidation.test.ts
    case("proj-overlap", "proj", P + OVERLAP % ("[a]", "[a, b]"), "#a, #a.#b",
         names={"#a": "a", "#b": "b"}),
    case("proj-duplicate", "proj", P + OVERLAP % ("[a]", "[a]"), "#a, #a", names={"#a": "a"}),
    case("proj-conflict", "proj", P + CONFLICT % ("[a, b]", "[a, [1]]"), "a.b, a[1]"),
    # --- runtime errors on an existing item   source: DT test/updateItem.js; MOTO
    case("runtime-plus-string", "update", BAD_OPERAND, "SET x = s + :one",
         values={":one": N(1)}, seed=True),
    case("runtime-add-to-string", "update", BAD_OPERAND, "ADD s :one", values={":one": N(1)},
         seed=True),
    case("runtime-add-ns-to-ss", "update", BAD_OPERAND, "ADD ss :ns",
         values={":ns": {"NS": ["1"]}}, seed=True),
    case("runtime-delete-ss-from-ns", "update", BAD_OPERAND, "DELETE ns :ss",
         values={":ss": {"SS": ["1"]}}, seed=True),
    case("runtime-add-number-to-set", "update", BAD_OPERAND, "ADD ns :one",
         values={":one": N(1)}, seed=True),
    case("runtime-list-append-string", "update", BAD_OPERAND, "SET x = list_append(s, :l)",
         values={":l": L(N(1))}, seed=True),
    case("runtime-missing-operand", "update", NO_ATTR, "SET x = nope", seed=True),
    case("runtime-missing-arith-operand", "update", NO_ATTR, "SET x = nope + :one",
         values={":one": N(1)}, seed=True),
    case("runtime-index-on-string", "update", BAD_PATH, "SET s[0] = :v", values=V, seed=True),
    case("runtime-index-on-map", "update", BAD_PATH, "SET m[0] = :v", values=V, seed=True),
    case("runtime-key-on-list", "update", BAD_PATH, "SET l.x = :v", values=V, seed=True),
    case("runtime-missing-parent", "update", BAD_PATH, "SET nope.a = :v", values=V, seed=True),
    case("runtime-remove-index-on-map", "update", BAD_PATH, "REMOVE m[1]", seed=True),
    # source: DynamoDB Local 1.25 (limits on expression length and path depth)
    case("condition-too-long", "cond",
         "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; "
         "expression size: 4097", "attribute_not_exists(pk)" + " " * (4097 - 24)),
    case("update-too-long", "update",
         "Invalid UpdateExpression: Expression size has exceeded the maximum allowed size;",
         "SET a = :v" + " " * (4097 - 10), values=V),
    case("path-too-deep", "update",
         "Invalid UpdateExpression: The document path has too many nesting levels; "
         "nesting levels: 33", "SET " + ".".join(["m"] * 33) + " = :v", values=V),
    case("runtime-overflow", "update",
         "Number overflow. Attempting to store a number with magnitude larger than supported range",
         "SET x = :big + :big", values={":big": N("9E+125")}, seed=True),
    # source: DynamoDB Local 1.25 (both sums), and a TransactWriteItems report against DynamoDB
    case("runtime-imprecise-sum", "update", "DynamoDB only supports precision up to 38 digits",
         "SET big = big + :big", values={":big": N("9.9999999999999999999999999999999999999E+125")},
         seed=True),
    case("runtime-imprecise-small-sum", "update",
         "DynamoDB only supports precision up to 38 digits",
         "SET x = :one + :tiny", values={":one": N(1), ":tiny": N("1E-130")}, seed=True),
]


def test_enough_invalid_cases():
    assert len(INVALID_CASES) >= 60


@pytest.mark.parametrize("op,params,message,seed", INVALID_CASES)
def test_invalid_expression(ddb_unvalidated, hash_table, messages_table, seed_key,
                            op, params, message, seed):
    c = ddb_unvalidated
    key = seed_key if seed else {"pk": S("scratch-" + uid())}
    with pytest.raises(ClientError) as e:
        if op in ("update", "ucond", "update_raw"):
            c.update_item(TableName=hash_table, Key=key, **params)
        elif op == "msg_update":
            c.update_item(TableName=messages_table,
                          Key={"pk": S("GRP#" + uid()), "sk": S("2023")}, **params)
        elif op in ("cond", "put"):
            c.put_item(TableName=hash_table, Item=key, **params)
        elif op == "delete":
            c.delete_item(TableName=hash_table, Key=key, **params)
        elif op in ("proj", "get"):
            c.get_item(TableName=hash_table, Key=key, **params)
        else:
            raise AssertionError(op)
    assert_client_error(e, VE, message)
    if seed:
        assert canon(item_of(c, hash_table, seed_key)) == canon(dict(SEED, **seed_key))


# ---- index key attributes under UpdateExpression --------------------------------------------

GROUP_INDEX = "message-group-sk-index"


@pytest.mark.parametrize("expression, values, message", [
    ("SET message_group_uuid.part = :s", {":s": S("x")},
     "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: "
     "IndexKey: message_group_uuid"),
    ("SET message_group_uuid = :n + :n", {":n": N(1)},
     "One or more parameter values were invalid: Type mismatch for Index Key message_group_uuid "
     "Expected: S Actual: N IndexName: " + GROUP_INDEX),
    ("SET message_group_uuid = list_append(:l, :l)", {":l": {"L": []}},
     "One or more parameter values were invalid: Type mismatch for Index Key message_group_uuid "
     "Expected: S Actual: L IndexName: " + GROUP_INDEX),
    ("SET message_group_uuid = replies", None,
     "The update expression attempted to update the secondary index key to unsupported type"),
])
def test_update_of_index_key_attribute_keeps_its_type(ddb, messages_table, expression, values,
                                                      message):
    key = {"pk": S("GRP#" + uid()), "sk": S("2023-04-01")}
    ddb.put_item(TableName=messages_table, Item=dict(key, replies=N(3), message_group_uuid=S("g")))
    params = {"UpdateExpression": expression}
    if values:
        params["ExpressionAttributeValues"] = values
    with pytest.raises(ClientError) as e:
        ddb.update_item(TableName=messages_table, Key=key, **params)
    assert_client_error(e, VE, message)
    # Nothing changed: the item still sits in the index under its old group.
    assert item_of(ddb, messages_table, key)["message_group_uuid"] == S("g")
