"""Bad requests: each must produce DynamoDB's exact error type and message.

Requests go over raw HTTP (http.client) because botocore validates parameters client-side
and would refuse to send most of them. Message texts are DynamoDB's own, as recorded by
dynalite's test suite against the real service (see README.md for sources).

Placeholders in bodies and messages: @M@ = a table with the seeds' schema (pk/sk + GSI
message-group-sk-index), @H@ = a table with string hash key pk, @X@ = a table that does not
exist, @N@ = a fresh name for CreateTable (never created when eddy validates correctly)."""
import re
import socket
import uuid
import zlib

import pytest
from botocore.exceptions import ClientError

from eddy_helpers import assert_client_error, assert_raw_error, unique_name

GSI = "message-group-sk-index"
V = "ValidationException"
NF = "ResourceNotFoundException"
SER = "SerializationException"
INVALID = "One or more parameter values were invalid: "
SCHEMA = "The provided key element does not match the schema"
EMPTY_AV = "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
NOT_NULL = "Member must not be null"
RV_ENUM = "Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]"
RCC_ENUM = "Member must satisfy enum value set: [INDEXES, TOTAL, NONE]"
NAME_PATTERN = "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
TABLE_NAME_LEN = "TableName must be at least 3 characters long and at most 255 characters long"
LONG = "a" * 256


def viol(value, path, constraint):
    v = "null" if value is None else "'%s'" % value
    return "Value %s at '%s' failed to satisfy constraint: %s" % (v, path, constraint)


def one(value, path, constraint):
    return "1 validation error detected: " + viol(value, path, constraint)


K = {"pk": {"S": "k"}}                      # a valid key for @H@
MK = {"pk": {"S": "k"}, "sk": {"S": "s"}}   # a valid key for @M@


def item(**attrs):
    d = dict(K)
    d.update(attrs)
    return d


def put(av):
    """PutItem of an otherwise valid item into @H@ with one bad non-key attribute."""
    return {"TableName": "@H@", "Item": item(bad=av)}


def table(**over):
    d = {"TableName": "@N@",
         "AttributeDefinitions": [{"AttributeName": "a", "AttributeType": "S"}],
         "KeySchema": [{"AttributeName": "a", "KeyType": "HASH"}],
         "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}
    d.update(over)
    return {k: v for k, v in d.items() if v is not None}


AB = [{"AttributeName": "a", "AttributeType": "S"}, {"AttributeName": "b", "AttributeType": "S"}]
AB_KEY = [{"AttributeName": "a", "KeyType": "HASH"}, {"AttributeName": "b", "KeyType": "RANGE"}]
PT1 = {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}


def gsi(name="gsi1", keys=(("b", "HASH"),), projection=None, pt=PT1):
    g = {"IndexName": name,
         "KeySchema": [{"AttributeName": a, "KeyType": t} for a, t in keys],
         "Projection": {"ProjectionType": "ALL"} if projection is None else projection}
    if pt is not None:
        g["ProvisionedThroughput"] = pt
    return g


# (id, target, body, error code, message)
CASES = [
    # -- protocol / serialization ---------------------------------------------------------
    ("table-name-number", "GetItem", {"TableName": 23, "Key": K}, SER,
     "NUMBER_VALUE cannot be converted to String"),
    ("table-name-bool", "DescribeTable", {"TableName": True}, SER,
     "TRUE_VALUE cannot be converted to String"),
    ("limit-string", "ListTables", {"Limit": "23"}, SER,
     "STRING_VALUE cannot be converted to Integer"),
    ("consistent-read-number", "GetItem", {"TableName": "@H@", "Key": K, "ConsistentRead": 23},
     SER, "NUMBER_VALUE cannot be converted to Boolean"),
    ("binary-not-base64", "PutItem", put({"B": "23456"}), SER,
     "Base64 encoded length is expected a multiple of 4 bytes but found: 5"),

    # -- generic request validation -------------------------------------------------------
    ("getitem-empty-request", "GetItem", {}, V,
     [viol(None, "key", NOT_NULL), viol(None, "tableName", NOT_NULL)]),
    ("getitem-no-key", "GetItem", {"TableName": "@H@"}, V, one(None, "key", NOT_NULL)),
    ("putitem-no-item", "PutItem", {"TableName": "@H@"}, V, one(None, "item", NOT_NULL)),
    ("getitem-short-table-name", "GetItem", {"TableName": "a", "Key": K}, V,
     "1 validation error detected: Value 'a' at 'tableName' failed to satisfy constraint: "
     "Member must have length greater than or equal to 3"),
    ("putitem-bad-short-table-name", "PutItem", {"TableName": "a;", "Item": K}, V,
     [viol("a;", "tableName", NAME_PATTERN),
      viol("a;", "tableName", "Member must have length greater than or equal to 3")]),
    ("putitem-long-table-name", "PutItem", {"TableName": LONG, "Item": K}, V,
     one(LONG, "tableName", "Member must have length less than or equal to 255")),
    ("putitem-five-violations", "PutItem",
     {"TableName": "abc;", "ReturnConsumedCapacity": "hi", "ReturnItemCollectionMetrics": "hi",
      "ReturnValues": "hi"}, V,
     [viol("hi", "returnConsumedCapacity", RCC_ENUM),
      viol("abc;", "tableName", NAME_PATTERN),
      viol(None, "item", NOT_NULL),
      viol("hi", "returnValues", RV_ENUM),
      viol("hi", "returnItemCollectionMetrics", "Member must satisfy enum value set: [SIZE, NONE]")]),
    ("putitem-return-values-enum", "PutItem",
     {"TableName": "@H@", "Item": K, "ReturnValues": "hi"}, V, one("hi", "returnValues", RV_ENUM)),
    ("putitem-return-values-updated-new", "PutItem",
     {"TableName": "@H@", "Item": K, "ReturnValues": "UPDATED_NEW"}, V,
     "ReturnValues can only be ALL_OLD or NONE"),
    ("putitem-return-values-all-new", "PutItem",
     {"TableName": "@H@", "Item": K, "ReturnValues": "ALL_NEW"}, V,
     "ReturnValues can only be ALL_OLD or NONE"),
    ("getitem-return-consumed-capacity-enum", "GetItem",
     {"TableName": "@H@", "Key": K, "ReturnConsumedCapacity": "hi"}, V,
     one("hi", "returnConsumedCapacity", RCC_ENUM)),

    # -- missing tables -------------------------------------------------------------------
    ("describe-missing-table", "DescribeTable", {"TableName": "@X@"}, NF,
     "Requested resource not found: Table: @X@ not found"),
    ("delete-missing-table", "DeleteTable", {"TableName": "@X@"}, NF,
     "Requested resource not found: Table: @X@ not found"),
    ("update-missing-table", "UpdateTable",
     {"TableName": "@X@", "ProvisionedThroughput": PT1}, NF,
     "Requested resource not found: Table: @X@ not found"),
    ("putitem-missing-table", "PutItem", {"TableName": "@X@", "Item": K}, NF,
     "Requested resource not found"),
    ("getitem-missing-table", "GetItem", {"TableName": "@X@", "Key": K}, NF,
     "Requested resource not found"),
    ("deleteitem-missing-table", "DeleteItem", {"TableName": "@X@", "Key": K}, NF,
     "Requested resource not found"),
    ("updateitem-missing-table", "UpdateItem", {"TableName": "@X@", "Key": K}, NF,
     "Requested resource not found"),
    ("describe-short-table-name", "DescribeTable", {"TableName": "ab"}, V, TABLE_NAME_LEN),
    ("describe-no-table-name", "DescribeTable", {}, V,
     "The parameter 'TableName' is required but was not present in the request"),
    ("describe-bad-table-name", "DescribeTable", {"TableName": "abc;"}, V,
     one("abc;", "tableName", NAME_PATTERN)),

    # -- keys -----------------------------------------------------------------------------
    ("getitem-missing-range-key", "GetItem", {"TableName": "@M@", "Key": K}, V, SCHEMA),
    ("getitem-extra-key-attribute", "GetItem",
     {"TableName": "@H@", "Key": item(other={"S": "x"})}, V, SCHEMA),
    ("getitem-wrong-key-type", "GetItem", {"TableName": "@H@", "Key": {"pk": {"N": "1"}}}, V,
     SCHEMA),
    ("getitem-wrong-key-name", "GetItem", {"TableName": "@H@", "Key": {"id": {"S": "1"}}}, V,
     SCHEMA),
    ("getitem-empty-key", "GetItem", {"TableName": "@H@", "Key": {}}, V, SCHEMA),
    ("deleteitem-key-mismatch", "DeleteItem", {"TableName": "@M@", "Key": {"sk": {"S": "s"}}},
     V, SCHEMA),
    ("updateitem-key-mismatch", "UpdateItem",
     {"TableName": "@M@", "Key": {"pk": {"B": "AAEC"}, "sk": {"S": "s"}}}, V, SCHEMA),
    ("putitem-missing-hash-key", "PutItem", {"TableName": "@M@", "Item": {"sk": {"S": "s"}}},
     V, INVALID + "Missing the key pk in the item"),
    ("putitem-missing-range-key", "PutItem", {"TableName": "@M@", "Item": K}, V,
     INVALID + "Missing the key sk in the item"),
    ("putitem-hash-key-type", "PutItem",
     {"TableName": "@M@", "Item": {"pk": {"N": "1"}, "sk": {"S": "s"}}}, V,
     INVALID + "Type mismatch for key pk expected: S actual: N"),
    ("putitem-range-key-type", "PutItem",
     {"TableName": "@M@", "Item": {"pk": {"S": "p"}, "sk": {"M": {}}}}, V,
     INVALID + "Type mismatch for key sk expected: S actual: M"),
    ("putitem-index-key-type", "PutItem",
     {"TableName": "@M@", "Item": dict(MK, message_group_uuid={"N": "1"})}, V,
     INVALID + "Type mismatch for Index Key message_group_uuid Expected: S Actual: N "
     "IndexName: " + GSI),
    ("putitem-empty-string-key", "PutItem", {"TableName": "@H@", "Item": {"pk": {"S": ""}}}, V,
     "One or more parameter values are not valid. The AttributeValue for a key attribute "
     "cannot contain an empty string value. Key: pk"),
    # AWS today, as nubo-db/dynamodb-conformance records it (dynalite's older record: "were
    # invalid: ")
    ("getitem-empty-string-key", "GetItem", {"TableName": "@H@", "Key": {"pk": {"S": ""}}}, V,
     "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. "
     "Key: pk"),
    ("getitem-hash-key-too-big", "GetItem",
     {"TableName": "@M@", "Key": {"pk": {"S": "p" * 2049}, "sk": {"S": "s"}}}, V,
     INVALID + "Size of hashkey has exceeded the maximum size limit of2048 bytes"),
    ("getitem-range-key-too-big", "GetItem",
     {"TableName": "@M@", "Key": {"pk": {"S": "p"}, "sk": {"S": "s" * 1025}}}, V,
     INVALID + "Aggregated size of all range keys has exceeded the size limit of 1024 bytes"),
    ("putitem-hash-key-too-big", "PutItem",
     {"TableName": "@H@", "Item": {"pk": {"S": "p" * 2049}}}, V,
     INVALID + "Size of hashkey has exceeded the maximum size limit of2048 bytes"),

    # -- attribute values -----------------------------------------------------------------
    ("empty-attribute-value", "PutItem", put({}), V, EMPTY_AV),
    ("unknown-attribute-type", "PutItem", put({"X": "1"}), V, EMPTY_AV),
    ("empty-attribute-value-in-map", "PutItem", put({"M": {"a": {}}}), V, EMPTY_AV),
    ("empty-attribute-value-in-list", "PutItem", put({"L": [{}]}), V, EMPTY_AV),
    ("two-datatypes", "PutItem", put({"S": "a", "N": "1"}), V,
     "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the "
     "supported datatypes"),
    ("null-false", "PutItem", put({"NULL": False}), V,
     INVALID + "Null attribute value types must have the value of true"),
    ("empty-string-set", "PutItem", put({"SS": []}), V,
     INVALID + "An string set  may not be empty"),
    ("empty-number-set", "PutItem", put({"NS": []}), V,
     INVALID + "An number set  may not be empty"),
    ("empty-binary-set", "PutItem", put({"BS": []}), V,
     INVALID + "Binary sets should not be empty"),
    ("duplicate-strings-in-set", "PutItem", put({"SS": ["a", "a"]}), V,
     INVALID + "Input collection [a, a] contains duplicates."),
    ("duplicate-numbers-in-set", "PutItem", put({"NS": ["1", "1"]}), V,
     "Input collection contains duplicates"),
    ("duplicate-binaries-in-set", "PutItem", put({"BS": ["Yg==", "Yg=="]}), V,
     INVALID + "Input collection [Yg==, Yg==]of type BS contains duplicates."),
    ("number-not-numeric", "PutItem", put({"N": "b"}), V,
     "The parameter cannot be converted to a numeric value: b"),
    ("number-empty", "PutItem", put({"N": ""}), V,
     "The parameter cannot be converted to a numeric value"),
    ("number-set-not-numeric", "PutItem", put({"NS": ["1", "x"]}), V,
     "The parameter cannot be converted to a numeric value: x"),
    ("number-39-digits", "PutItem", put({"N": "123456789012345678901234567890123456789"}), V,
     "Attempting to store more than 38 significant digits in a Number"),
    ("number-39-digit-fraction", "PutItem",
     put({"N": "-1.23456789012345678901234567890123456789"}), V,
     "Attempting to store more than 38 significant digits in a Number"),
    ("number-overflow", "PutItem", put({"N": "1e126"}), V,
     "Number overflow. Attempting to store a number with magnitude larger than supported range"),
    ("number-negative-overflow", "PutItem", put({"N": "-1e126"}), V,
     "Number overflow. Attempting to store a number with magnitude larger than supported range"),
    ("number-underflow", "PutItem", put({"N": "1e-131"}), V,
     "Number underflow. Attempting to store a number with magnitude smaller than supported "
     "range"),
    ("number-overflow-in-key", "GetItem", {"TableName": "@H@", "Key": {"pk": {"N": "1e126"}}},
     V, "Number overflow. Attempting to store a number with magnitude larger than supported "
     "range"),
    ("item-too-large", "PutItem", put({"S": "x" * (400 * 1024)}), V,
     "Item size has exceeded the maximum allowed size"),

    # -- CreateTable ----------------------------------------------------------------------
    ("create-no-table-name", "CreateTable", table(TableName=None), V,
     "The parameter 'TableName' is required but was not present in the request"),
    ("create-short-table-name", "CreateTable", table(TableName="ab"), V, TABLE_NAME_LEN),
    ("create-long-table-name", "CreateTable", table(TableName=LONG), V, TABLE_NAME_LEN),
    ("create-bad-table-name", "CreateTable", table(TableName="abc;"), V,
     one("abc;", "tableName", NAME_PATTERN)),
    ("create-key-attribute-undefined", "CreateTable",
     table(AttributeDefinitions=[{"AttributeName": "b", "AttributeType": "S"}]), V,
     INVALID + "Some index key attributes are not defined in AttributeDefinitions. "
     "Keys: [a], AttributeDefinitions: [b]"),
    ("create-unused-attribute-definition", "CreateTable", table(AttributeDefinitions=AB), V,
     INVALID + "Number of attributes in KeySchema does not exactly match number of attributes "
     "defined in AttributeDefinitions"),
    ("create-two-hash-keys", "CreateTable",
     table(AttributeDefinitions=AB, KeySchema=[{"AttributeName": "a", "KeyType": "HASH"},
                                               {"AttributeName": "b", "KeyType": "HASH"}]), V,
     "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type"),
    ("create-range-key-first", "CreateTable",
     table(AttributeDefinitions=AB, KeySchema=[{"AttributeName": "a", "KeyType": "RANGE"},
                                               {"AttributeName": "b", "KeyType": "HASH"}]), V,
     "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"),
    ("create-hash-and-range-same-name", "CreateTable",
     table(AttributeDefinitions=AB, KeySchema=[{"AttributeName": "a", "KeyType": "HASH"},
                                               {"AttributeName": "a", "KeyType": "RANGE"}]), V,
     "Both the Hash Key and the Range Key element in the KeySchema have the same name"),
    ("create-provisioned-without-throughput", "CreateTable",
     table(ProvisionedThroughput=None, BillingMode="PROVISIONED"), V,
     INVALID + "ReadCapacityUnits and WriteCapacityUnits must both be specified when "
     "BillingMode is PROVISIONED"),
    ("create-pay-per-request-with-throughput", "CreateTable",
     table(BillingMode="PAY_PER_REQUEST"), V,
     INVALID + "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when "
     "BillingMode is PAY_PER_REQUEST"),
    ("create-negative-throughput", "CreateTable",
     table(ProvisionedThroughput={"ReadCapacityUnits": -1, "WriteCapacityUnits": -1}), V,
     [viol("-1", "provisionedThroughput.writeCapacityUnits",
           "Member must have value greater than or equal to 1"),
      viol("-1", "provisionedThroughput.readCapacityUnits",
           "Member must have value greater than or equal to 1")]),
    ("create-zero-read-capacity", "CreateTable",
     table(ProvisionedThroughput={"ReadCapacityUnits": 0, "WriteCapacityUnits": 1}), V,
     one("0", "provisionedThroughput.readCapacityUnits",
         "Member must have value greater than or equal to 1")),
    ("create-throughput-out-of-bounds", "CreateTable",
     table(ProvisionedThroughput={"ReadCapacityUnits": 1000000000001,
                                  "WriteCapacityUnits": 1}), V,
     "Given value 1000000000001 for ReadCapacityUnits is out of bounds"),
    ("create-set-attribute-type", "CreateTable",
     table(AttributeDefinitions=[{"AttributeName": "a", "AttributeType": "SS"}]), V,
     one("SS", "attributeDefinitions.1.member.attributeType",
         "Member must satisfy enum value set: [B, N, S]")),
    ("create-bad-key-type", "CreateTable",
     table(KeySchema=[{"AttributeName": "a", "KeyType": "Woop"}]), V,
     one("Woop", "keySchema.1.member.keyType", "Member must satisfy enum value set: [HASH, RANGE]")),
    ("create-null-members", "CreateTable", {"TableName": "abc;"}, V,
     [viol(None, "attributeDefinitions", NOT_NULL), viol("abc;", "tableName", NAME_PATTERN),
      viol(None, "keySchema", NOT_NULL)]),
    ("create-gsi-without-projection-type", "CreateTable",
     table(AttributeDefinitions=AB, KeySchema=AB_KEY, GlobalSecondaryIndexes=[gsi(
         keys=(("b", "HASH"), ("a", "RANGE")), projection={})]), V,
     INVALID + "Unknown ProjectionType: null"),
    ("create-gsi-without-throughput", "CreateTable",
     table(AttributeDefinitions=AB, KeySchema=AB_KEY, BillingMode="PROVISIONED",
           GlobalSecondaryIndexes=[gsi(pt=None)]), V,
     INVALID + "ProvisionedThroughput is not specified for index: gsi1"),
    ("create-gsi-throughput-on-demand", "CreateTable",
     table(AttributeDefinitions=AB, KeySchema=AB_KEY, BillingMode="PAY_PER_REQUEST",
           ProvisionedThroughput=None, GlobalSecondaryIndexes=[gsi()]), V,
     INVALID + "ProvisionedThroughput should not be specified for index: gsi1 when BillingMode "
     "is PAY_PER_REQUEST"),
    ("create-gsi-duplicate-name", "CreateTable",
     table(AttributeDefinitions=AB, KeySchema=AB_KEY, GlobalSecondaryIndexes=[gsi(), gsi()]), V,
     INVALID + "Duplicate index name: gsi1"),
    ("create-gsi-key-undefined", "CreateTable",
     table(AttributeDefinitions=AB, KeySchema=AB_KEY,
           GlobalSecondaryIndexes=[gsi(keys=(("c", "HASH"),))]), V,
     re.compile(re.escape(INVALID + "Some index key attributes are not defined in "
                          "AttributeDefinitions. Keys: [c], AttributeDefinitions: [")
                + r"(a, b|b, a)\]")),
    ("create-gsi-all-with-non-key-attributes", "CreateTable",
     table(AttributeDefinitions=AB, KeySchema=AB_KEY, GlobalSecondaryIndexes=[gsi(
         projection={"ProjectionType": "ALL", "NonKeyAttributes": ["x"]})]), V,
     INVALID + "ProjectionType is ALL, but NonKeyAttributes is specified"),
    ("create-gsi-empty-list", "CreateTable",
     table(AttributeDefinitions=AB, KeySchema=AB_KEY, GlobalSecondaryIndexes=[]), V,
     INVALID + "List of GlobalSecondaryIndexes is empty"),
    ("create-gsi-range-key-first", "CreateTable",
     table(AttributeDefinitions=AB, KeySchema=AB_KEY,
           GlobalSecondaryIndexes=[gsi(keys=(("b", "RANGE"),))]), V,
     "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"),
    ("create-existing-table", "CreateTable", table(TableName="@H@",
                                                   AttributeDefinitions=[{
                                                       "AttributeName": "pk",
                                                       "AttributeType": "S"}],
                                                   KeySchema=[{"AttributeName": "pk",
                                                               "KeyType": "HASH"}]),
     "ResourceInUseException", "Table already exists: @H@"),

    # -- ListTables -----------------------------------------------------------------------
    ("list-limit-zero", "ListTables", {"Limit": 0}, V,
     one("0", "limit", "Member must have value greater than or equal to 1")),
    ("list-limit-101", "ListTables", {"Limit": 101}, V,
     one("101", "limit", "Member must have value less than or equal to 100")),
    ("list-three-violations", "ListTables", {"ExclusiveStartTableName": "a;", "Limit": 500}, V,
     [viol("a;", "exclusiveStartTableName", NAME_PATTERN),
      viol("a;", "exclusiveStartTableName", "Member must have length greater than or equal to 3"),
      viol("500", "limit", "Member must have value less than or equal to 100")]),
    ("list-empty-start-name", "ListTables", {"ExclusiveStartTableName": ""}, V,
     [viol("", "exclusiveStartTableName", NAME_PATTERN),
      viol("", "exclusiveStartTableName", "Member must have length greater than or equal to 3")]),

    # -- UpdateItem (legacy AttributeUpdates) ---------------------------------------------
    ("update-hash-key-attribute", "UpdateItem",
     {"TableName": "@H@", "Key": K,
      "AttributeUpdates": {"pk": {"Action": "PUT", "Value": {"S": "new"}}}}, V,
     INVALID + "Cannot update attribute pk. This attribute is part of the key"),
    ("update-range-key-attribute", "UpdateItem",
     {"TableName": "@M@", "Key": MK,
      "AttributeUpdates": {"x": {"Value": {"S": "1"}}, "sk": {"Value": {"S": "new"}}}}, V,
     INVALID + "Cannot update attribute sk. This attribute is part of the key"),
    ("update-add-string", "UpdateItem",
     {"TableName": "@H@", "Key": K, "AttributeUpdates": {"a": {"Action": "ADD",
                                                              "Value": {"S": "1"}}}}, V,
     INVALID + "ADD action is not supported for the type S"),
    ("update-add-bool", "UpdateItem",
     {"TableName": "@H@", "Key": K, "AttributeUpdates": {"a": {"Action": "ADD",
                                                              "Value": {"BOOL": True}}}}, V,
     INVALID + "ADD action is not supported for the type BOOL"),
    ("update-delete-with-scalar", "UpdateItem",
     {"TableName": "@H@", "Key": K, "AttributeUpdates": {"a": {"Action": "DELETE",
                                                              "Value": {"S": "1"}}}}, V,
     INVALID + "DELETE action with value is not supported for the type S"),
    ("update-put-without-value", "UpdateItem",
     {"TableName": "@H@", "Key": K, "AttributeUpdates": {"a": {"Action": "PUT"}}}, V,
     INVALID + "Only DELETE action is allowed when no attribute value is specified"),
    ("update-bad-value", "UpdateItem",
     {"TableName": "@H@", "Key": K, "AttributeUpdates": {"a": {"Value": {"N": "x1"}}}}, V,
     "The parameter cannot be converted to a numeric value: x1"),

    # -- UpdateTable ----------------------------------------------------------------------
    ("update-table-same-throughput", "UpdateTable",
     {"TableName": "@M@", "ProvisionedThroughput": {"ReadCapacityUnits": 5,
                                                    "WriteCapacityUnits": 5}}, V,
     "The provisioned throughput for the table will not change. The requested value equals "
     "the current value. Current ReadCapacityUnits provisioned for the table: 5. Requested "
     "ReadCapacityUnits: 5. Current WriteCapacityUnits provisioned for the table: 5. Requested "
     "WriteCapacityUnits: 5. Refer to the Amazon DynamoDB Developer Guide for current limits "
     "and how to request higher limits."),
]


@pytest.fixture(scope="module")
def names(messages_table, hash_table):
    return {"@M@": messages_table, "@H@": hash_table, "@X@": unique_name("no-such-table"),
            "@N@": unique_name("never-created")}


def subst(v, names):
    if isinstance(v, str):
        for k, n in names.items():
            v = v.replace(k, n)
        return v
    if isinstance(v, dict):
        return {subst(k, names): subst(x, names) for k, x in v.items()}
    if isinstance(v, list):
        return [subst(x, names) for x in v]
    if isinstance(v, re.Pattern):
        return v
    return v


@pytest.mark.parametrize("case_id,target,body,code,message", CASES,
                         ids=[c[0] for c in CASES])
def test_bad_request(server, names, case_id, target, body, code, message):
    resp = server.raw(target, subst(body, names))
    assert_raw_error(resp, code, subst(message, names))


def test_rejected_writes_change_nothing(server, ddb, hash_table):
    key = {"pk": {"S": "untouched-" + uuid.uuid4().hex}}
    ddb.put_item(TableName=hash_table, Item=dict(key, v={"S": "original"}))
    for bad in ({"N": "1e126"}, {"SS": []}, {"NULL": False}, {"S": "x" * (400 * 1024)}):
        resp = server.raw("PutItem", {"TableName": hash_table,
                                      "Item": dict(key, v={"S": "new"}, bad=bad)})
        assert resp.status == 400, resp
    assert ddb.get_item(TableName=hash_table, Key=key, ConsistentRead=True)["Item"] == dict(
        key, v={"S": "original"})


# -- protocol-level errors ------------------------------------------------------------------

def test_malformed_json_is_serialization_exception(server):
    # DynamoDB answers a body that is not JSON at all with a bare
    # {"__type": "com.amazon.coral.service#SerializationException"}
    assert_raw_error(server.raw("ListTables", b"hi"), "SerializationException", None)
    for body in (b'{"TableName": ', b"[1, 2", b'{"Limit": 1,}'):
        assert_raw_error(server.raw("ListTables", body), "SerializationException", ...)


def test_unknown_operation(server):
    for target in ("DynamoDB_20120810.ListTable", "DynamoDB_20120810.DoSomething", "whatever"):
        resp = server.raw(target, {})
        assert_raw_error(resp, "UnknownOperationException", None)


def test_missing_target_header(server):
    resp = server.raw(None, {})
    assert_raw_error(resp, "UnknownOperationException", None)


def test_missing_authorization_header(server):
    # dynamodb-local's answer to an unsigned request
    resp = server.raw("ListTables", {}, auth=False)
    payload = assert_raw_error(
        resp, "MissingAuthenticationToken",
        "Request must contain either a valid (registered) AWS access key ID or X.509 "
        "certificate.")
    assert payload["__type"] == "com.amazonaws.dynamodb.v20120810#MissingAuthenticationToken"


def test_error_type_namespaces(server, names):
    """Raw clients see DynamoDB's fully qualified __type values."""
    cases = [
        ("DescribeTable", {"TableName": names["@X@"]},
         "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException"),
        ("ListTables", {"Limit": 0}, "com.amazon.coral.validate#ValidationException"),
        ("ListTables", b"hi", "com.amazon.coral.service#SerializationException"),
        ("DynamoDB_20120810.Nope", {}, "com.amazon.coral.service#UnknownOperationException"),
        ("CreateTable", subst(table(TableName="@H@", AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}]), names),
         "com.amazonaws.dynamodb.v20120810#ResourceInUseException"),
    ]
    for target, body, full_type in cases:
        resp = server.raw(target, body)
        assert resp.status == 400, resp
        assert resp.json()["__type"] == full_type, (target, resp)


# -- errors through botocore ----------------------------------------------------------------

def test_botocore_surfaces_code_and_message(ddb, names):
    with pytest.raises(ClientError) as e:
        ddb.describe_table(TableName=names["@X@"])
    assert_client_error(e, "ResourceNotFoundException",
                        "Requested resource not found: Table: %s not found" % names["@X@"])
    with pytest.raises(ClientError) as e:
        ddb.get_item(TableName=names["@M@"], Key={"pk": {"S": "only-hash"}})
    assert_client_error(e, "ValidationException", SCHEMA)


def test_unvalidated_botocore_reaches_server_validation(ddb_unvalidated, names):
    with pytest.raises(ClientError) as e:
        ddb_unvalidated.list_tables(Limit=0)
    assert_client_error(e, "ValidationException",
                        one("0", "limit", "Member must have value greater than or equal to 1"))
    with pytest.raises(ClientError) as e:
        ddb_unvalidated.put_item(TableName=names["@H@"])
    assert_client_error(e, "ValidationException", one(None, "item", NOT_NULL))
    with pytest.raises(ClientError) as e:
        ddb_unvalidated.describe_table(TableName="ab")
    assert_client_error(e, "ValidationException", TABLE_NAME_LEN)


def test_tag_resource_with_no_tags(ddb, ddb_unvalidated, names):
    arn = ddb.describe_table(TableName=names["@H@"])["Table"]["TableArn"]
    with pytest.raises(ClientError) as e:
        ddb_unvalidated.tag_resource(ResourceArn=arn, Tags=[])
    assert_client_error(e, "ValidationException", "Atleast one Tag needs to be provided as Input.")


# -- HTTP level -------------------------------------------------------------------------------

def check_common_headers(resp):
    assert resp.headers.get("x-amzn-requestid"), resp.headers
    assert resp.headers.get("content-type") == "application/x-amz-json-1.0", resp.headers
    assert int(resp.headers["x-amz-crc32"]) == zlib.crc32(resp.body), resp.headers
    assert "content-length" in resp.headers, resp.headers
    assert int(resp.headers["content-length"]) == len(resp.body)


def test_health_check_get(server):
    resp = server.raw(None, None, method="GET", content_type=None, auth=False)
    assert resp.status == 200, resp
    assert b"healthy" in resp.body


def test_response_headers_on_success(server):
    resp = server.raw("ListTables", {})
    assert resp.status == 200, resp
    assert isinstance(resp.json()["TableNames"], list)
    check_common_headers(resp)


def test_response_headers_on_error(server, names):
    resp = server.raw("DescribeTable", {"TableName": names["@X@"]})
    assert resp.status == 400
    check_common_headers(resp)
    resp = server.raw("ListTables", b"not json")
    assert resp.status == 400
    check_common_headers(resp)


def test_crc32_of_non_ascii_body(server, ddb, hash_table):
    ddb.put_item(TableName=hash_table, Item={"pk": {"S": "crc"}, "v": {"S": "é✓𝄞\u2028"}})
    resp = server.raw("GetItem", {"TableName": hash_table, "Key": {"pk": {"S": "crc"}},
                                  "ConsistentRead": True})
    assert resp.status == 200, resp
    check_common_headers(resp)
    assert resp.json()["Item"]["v"] == {"S": "é✓𝄞\u2028"}


def test_request_ids_are_unique(server):
    ids = {server.raw("ListTables", {}).headers["x-amzn-requestid"] for _ in range(5)}
    assert len(ids) == 5


def test_json_1_1_content_type_accepted(server, hash_table):
    resp = server.raw("DescribeTable", {"TableName": hash_table},
                      content_type="application/x-amz-json-1.1")
    assert resp.status == 200, resp
    assert resp.json()["Table"]["TableName"] == hash_table


def test_body_over_16mb_refused_and_server_survives(server):
    limit = 16 * 1024 * 1024
    pad = "a" * (limit + 1)
    body = ('{"Limit": 1, "Padding": "%s"}' % pad).encode()
    status = None
    try:
        resp = server.raw("ListTables", body, timeout=60)
        status = resp.status
    except OSError:                 # refused mid-upload: also fine
        status = "connection closed"
    assert status != 200, "a request body over 16 MB was accepted"
    after = server.raw("ListTables", {"Limit": 1})
    assert after.status == 200, after
    assert isinstance(after.json()["TableNames"], list)


def test_large_but_legal_body_accepted(server, hash_table):
    # ~1 MB of JSON is far below the request limit; unknown members are ignored
    body = {"TableName": hash_table, "Key": {"pk": {"S": "k"}}, "Padding": "a" * (1 << 20)}
    resp = server.raw("GetItem", body)
    assert resp.status == 200, resp


def test_server_answers_after_garbage(server):
    with socket.create_connection((server.host, server.port), timeout=5) as s:
        s.sendall(b"\x00\x01garbage\r\n\r\n")
        try:
            s.recv(1024)
        except OSError:
            pass
    resp = server.raw("ListTables", {})
    assert resp.status == 200, resp
