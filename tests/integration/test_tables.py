"""Table-level API: CreateTable/DescribeTable/ListTables/DeleteTable/UpdateTable, tags,
DescribeLimits, DescribeEndpoints, and the AWS CLI's view of them."""
import datetime
import json
import re

import pytest
from botocore.exceptions import ClientError

from eddy_helpers import (assert_client_error, create_table, cruddur_messages_spec,
                          hash_table_spec, list_all_tables, unique_name, wait_active,
                          wait_deleted)

UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
GSI = "message-group-sk-index"


@pytest.fixture
def cruddur(fresh_server):
    """A private server holding the seeds' table under its real name."""
    c = fresh_server.client()
    resp = c.create_table(**cruddur_messages_spec())
    return fresh_server, c, resp


def by_name(attrs):
    return sorted(attrs, key=lambda a: a["AttributeName"])


def test_create_cruddur_messages_returns_description(cruddur):
    _, _, resp = cruddur
    d = resp["TableDescription"]
    assert d["TableName"] == "cruddur-messages"
    assert d["TableStatus"] in ("CREATING", "ACTIVE")
    assert d["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"},
                              {"AttributeName": "sk", "KeyType": "RANGE"}]
    assert by_name(d["AttributeDefinitions"]) == by_name(
        cruddur_messages_spec()["AttributeDefinitions"])
    assert d["TableArn"].startswith("arn:aws:dynamodb:")
    assert d["TableArn"].endswith(":table/cruddur-messages")
    assert UUID_RE.fullmatch(d["TableId"])
    assert [g["IndexName"] for g in d["GlobalSecondaryIndexes"]] == [GSI]


def test_describe_cruddur_messages(cruddur):
    _, c, created = cruddur
    before = datetime.datetime.now(datetime.timezone.utc)
    t = wait_active(c, "cruddur-messages")
    assert t["TableName"] == "cruddur-messages"
    assert t["TableStatus"] == "ACTIVE"
    assert t["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"},
                              {"AttributeName": "sk", "KeyType": "RANGE"}]
    assert by_name(t["AttributeDefinitions"]) == [
        {"AttributeName": "message_group_uuid", "AttributeType": "S"},
        {"AttributeName": "pk", "AttributeType": "S"},
        {"AttributeName": "sk", "AttributeType": "S"},
    ]
    assert t["TableArn"].startswith("arn:aws:dynamodb:")
    assert t["TableArn"].endswith(":table/cruddur-messages")
    assert t["TableArn"] == created["TableDescription"]["TableArn"]
    assert UUID_RE.fullmatch(t["TableId"])
    assert t["TableId"] == created["TableDescription"]["TableId"]
    created_at = t["CreationDateTime"]
    assert isinstance(created_at, datetime.datetime)
    assert abs((before - created_at).total_seconds()) < 300
    assert t["ItemCount"] == 0
    assert t["TableSizeBytes"] == 0
    pt = t["ProvisionedThroughput"]
    assert pt["ReadCapacityUnits"] == 5
    assert pt["WriteCapacityUnits"] == 5
    assert pt["NumberOfDecreasesToday"] == 0

    assert len(t["GlobalSecondaryIndexes"]) == 1
    g = t["GlobalSecondaryIndexes"][0]
    assert g["IndexName"] == GSI
    assert g["KeySchema"] == [{"AttributeName": "message_group_uuid", "KeyType": "HASH"},
                              {"AttributeName": "sk", "KeyType": "RANGE"}]
    assert g["Projection"] == {"ProjectionType": "ALL"}
    assert g["IndexStatus"] == "ACTIVE"
    assert g["ProvisionedThroughput"]["ReadCapacityUnits"] == 5
    assert g["ProvisionedThroughput"]["WriteCapacityUnits"] == 5
    assert g["ProvisionedThroughput"].get("NumberOfDecreasesToday", 0) == 0
    assert g["IndexArn"] == t["TableArn"] + "/index/" + GSI
    assert g["IndexArn"].startswith("arn:aws:dynamodb:")
    assert g["IndexArn"].endswith(":table/cruddur-messages/index/message-group-sk-index")
    assert g["ItemCount"] == 0
    assert g["IndexSizeBytes"] == 0
    assert "LocalSecondaryIndexes" not in t


def test_create_existing_table_is_resource_in_use(cruddur):
    _, c, _ = cruddur
    with pytest.raises(ClientError) as e:
        c.create_table(**cruddur_messages_spec())
    assert_client_error(e, "ResourceInUseException", "Table already exists: cruddur-messages")
    # the original table is untouched
    assert wait_active(c, "cruddur-messages")["TableName"] == "cruddur-messages"


def test_list_tables_sorted_and_paged(fresh_server):
    c = fresh_server.client()
    names = ["tbl-c", "tbl-a", "tbl-e", "tbl-b", "tbl-d"]
    for n in names:
        c.create_table(**hash_table_spec(n))
    assert c.list_tables()["TableNames"] == sorted(names)

    r = c.list_tables(Limit=2)
    assert r["TableNames"] == ["tbl-a", "tbl-b"]
    assert r["LastEvaluatedTableName"] == "tbl-b"
    r = c.list_tables(Limit=2, ExclusiveStartTableName=r["LastEvaluatedTableName"])
    assert r["TableNames"] == ["tbl-c", "tbl-d"]
    assert r["LastEvaluatedTableName"] == "tbl-d"
    r = c.list_tables(Limit=2, ExclusiveStartTableName=r["LastEvaluatedTableName"])
    assert r["TableNames"] == ["tbl-e"]
    assert "LastEvaluatedTableName" not in r

    # ExclusiveStartTableName need not name an existing table
    r = c.list_tables(ExclusiveStartTableName="tbl-bb")
    assert r["TableNames"] == ["tbl-c", "tbl-d", "tbl-e"]
    assert "LastEvaluatedTableName" not in r
    r = c.list_tables(ExclusiveStartTableName="tbl-e")
    assert r["TableNames"] == []


def test_list_tables_limit_equal_to_count_has_no_last_evaluated(fresh_server):
    c = fresh_server.client()
    for n in ("aaa", "bbb", "ccc"):
        c.create_table(**hash_table_spec(n))
    r = c.list_tables(Limit=3)
    assert r["TableNames"] == ["aaa", "bbb", "ccc"]
    assert "LastEvaluatedTableName" not in r
    r = c.list_tables(Limit=100)
    assert r["TableNames"] == ["aaa", "bbb", "ccc"]
    assert "LastEvaluatedTableName" not in r


def test_list_tables_byte_order(fresh_server):
    c = fresh_server.client()
    names = ["a_1", "A11", "a.1", "011", "a-1", "zzz", "Zzz"]
    for n in names:
        c.create_table(**hash_table_spec(n))
    assert c.list_tables()["TableNames"] == ["011", "A11", "Zzz", "a-1", "a.1", "a_1", "zzz"]


def test_list_tables_empty_server(fresh_server):
    r = fresh_server.client().list_tables()
    assert r["TableNames"] == []
    assert "LastEvaluatedTableName" not in r


def test_list_tables_paginator_sees_many_tables(fresh_server):
    c = fresh_server.client()
    names = sorted("page-%03d" % i for i in range(120))
    for n in names:
        c.create_table(**hash_table_spec(n))
    first = c.list_tables()
    assert first["TableNames"] == names[:100]          # default/maximum page is 100
    assert first["LastEvaluatedTableName"] == names[99]
    got = []
    for page in c.get_paginator("list_tables").paginate(PaginationConfig={"PageSize": 7}):
        assert len(page["TableNames"]) <= 7
        got += page["TableNames"]
    assert got == names


def test_delete_table(ddb, table_name):
    create_table(ddb, hash_table_spec(table_name))
    ddb.put_item(TableName=table_name, Item={"pk": {"S": "x"}, "v": {"S": "old"}})
    r = ddb.delete_table(TableName=table_name)
    d = r["TableDescription"]
    assert d["TableName"] == table_name
    assert d["TableStatus"] in ("DELETING", "ACTIVE")
    assert d["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"}]

    err = wait_deleted(ddb, table_name)
    assert err.response["Error"]["Code"] == "ResourceNotFoundException"
    assert err.response["Error"]["Message"] == \
        "Requested resource not found: Table: %s not found" % table_name
    assert table_name not in list_all_tables(ddb)

    with pytest.raises(ClientError) as e:
        ddb.delete_table(TableName=table_name)
    assert_client_error(e, "ResourceNotFoundException",
                        "Requested resource not found: Table: %s not found" % table_name)

    # the name can be reused, and the new table does not resurrect old items
    create_table(ddb, hash_table_spec(table_name))
    assert "Item" not in ddb.get_item(TableName=table_name, Key={"pk": {"S": "x"}},
                                      ConsistentRead=True)
    ddb.delete_table(TableName=table_name)


def test_update_table_throughput(ddb, table_name):
    create_table(ddb, cruddur_messages_spec(table_name))
    r = ddb.update_table(TableName=table_name,
                         ProvisionedThroughput={"ReadCapacityUnits": 10,
                                                "WriteCapacityUnits": 20})
    assert r["TableDescription"]["TableName"] == table_name
    t = wait_active(ddb, table_name)
    assert t["ProvisionedThroughput"]["ReadCapacityUnits"] == 10
    assert t["ProvisionedThroughput"]["WriteCapacityUnits"] == 20
    # the GSI keeps its own throughput
    g = t["GlobalSecondaryIndexes"][0]
    assert g["ProvisionedThroughput"]["ReadCapacityUnits"] == 5
    assert g["ProvisionedThroughput"]["WriteCapacityUnits"] == 5
    # a decrease is counted
    ddb.update_table(TableName=table_name,
                     ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})
    t = wait_active(ddb, table_name)
    assert t["ProvisionedThroughput"]["ReadCapacityUnits"] == 1
    assert t["ProvisionedThroughput"]["WriteCapacityUnits"] == 1
    assert t["ProvisionedThroughput"]["NumberOfDecreasesToday"] == 1


def test_update_table_to_pay_per_request(ddb, table_name):
    create_table(ddb, cruddur_messages_spec(table_name))
    r = ddb.update_table(TableName=table_name, BillingMode="PAY_PER_REQUEST")
    assert r["TableDescription"]["TableName"] == table_name
    t = wait_active(ddb, table_name)
    assert t["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert isinstance(t["BillingModeSummary"]["LastUpdateToPayPerRequestDateTime"],
                      datetime.datetime)
    assert t["ProvisionedThroughput"]["ReadCapacityUnits"] == 0
    assert t["ProvisionedThroughput"]["WriteCapacityUnits"] == 0
    # the table still works
    ddb.put_item(TableName=table_name, Item={"pk": {"S": "a"}, "sk": {"S": "b"}})
    assert ddb.get_item(TableName=table_name, Key={"pk": {"S": "a"}, "sk": {"S": "b"}},
                        ConsistentRead=True)["Item"] == {"pk": {"S": "a"}, "sk": {"S": "b"}}


def test_create_pay_per_request_table(ddb, table_name):
    spec = hash_table_spec(table_name)
    del spec["ProvisionedThroughput"]
    spec["BillingMode"] = "PAY_PER_REQUEST"
    d = ddb.create_table(**spec)["TableDescription"]
    assert d["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    t = wait_active(ddb, table_name)
    assert t["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert t["ProvisionedThroughput"]["ReadCapacityUnits"] == 0
    assert t["ProvisionedThroughput"]["WriteCapacityUnits"] == 0


def test_tags(ddb, table_name):
    arn = create_table(ddb, hash_table_spec(table_name))["TableDescription"]["TableArn"]
    assert ddb.list_tags_of_resource(ResourceArn=arn)["Tags"] == []
    ddb.tag_resource(ResourceArn=arn, Tags=[{"Key": "env", "Value": "dev"},
                                            {"Key": "team", "Value": "cruddur"}])
    tags = ddb.list_tags_of_resource(ResourceArn=arn)["Tags"]
    assert {t["Key"]: t["Value"] for t in tags} == {"env": "dev", "team": "cruddur"}
    assert len(tags) == 2
    # re-tagging a key overwrites its value
    ddb.tag_resource(ResourceArn=arn, Tags=[{"Key": "env", "Value": "prod"}])
    tags = ddb.list_tags_of_resource(ResourceArn=arn)["Tags"]
    assert {t["Key"]: t["Value"] for t in tags} == {"env": "prod", "team": "cruddur"}
    ddb.untag_resource(ResourceArn=arn, TagKeys=["team", "no-such-key"])
    tags = ddb.list_tags_of_resource(ResourceArn=arn)["Tags"]
    assert tags == [{"Key": "env", "Value": "prod"}]


def test_tag_unknown_table_arn(ddb, table_name):
    arn = create_table(ddb, hash_table_spec(table_name))["TableDescription"]["TableArn"]
    missing = arn[: -len(table_name)] + "no-such-table-" + table_name[-12:]
    with pytest.raises(ClientError) as e:
        ddb.tag_resource(ResourceArn=missing, Tags=[{"Key": "a", "Value": "b"}])
    assert_client_error(e, "ResourceNotFoundException",
                        "Requested resource not found: ResourcArn: %s not found" % missing)


def test_describe_limits(ddb):
    r = ddb.describe_limits()
    for k in ("AccountMaxReadCapacityUnits", "AccountMaxWriteCapacityUnits",
              "TableMaxReadCapacityUnits", "TableMaxWriteCapacityUnits"):
        assert isinstance(r[k], int) and not isinstance(r[k], bool), (k, r)
        assert r[k] > 0
    assert r["TableMaxReadCapacityUnits"] <= r["AccountMaxReadCapacityUnits"]
    assert r["TableMaxWriteCapacityUnits"] <= r["AccountMaxWriteCapacityUnits"]


def test_describe_endpoints(ddb):
    r = ddb.describe_endpoints()
    assert isinstance(r["Endpoints"], list) and r["Endpoints"]
    for ep in r["Endpoints"]:
        assert isinstance(ep["Address"], str) and ep["Address"]
        assert isinstance(ep["CachePeriodInMinutes"], int)


# -- AWS CLI -------------------------------------------------------------------------------

def test_cli_create_list_describe(aws, ddb, table_name):
    rc, out, err = aws("dynamodb", "create-table", "--table-name", table_name,
                       "--attribute-definitions", "AttributeName=pk,AttributeType=S",
                       "AttributeName=sk,AttributeType=S",
                       "--key-schema", "AttributeName=pk,KeyType=HASH",
                       "AttributeName=sk,KeyType=RANGE",
                       "--provisioned-throughput", "ReadCapacityUnits=5,WriteCapacityUnits=5")
    assert rc == 0, err
    d = json.loads(out)["TableDescription"]
    assert d["TableName"] == table_name
    assert d["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"},
                              {"AttributeName": "sk", "KeyType": "RANGE"}]
    wait_active(ddb, table_name)

    rc, out, err = aws("dynamodb", "list-tables")
    assert rc == 0, err
    assert table_name in json.loads(out)["TableNames"]

    rc, out, err = aws("dynamodb", "list-tables", "--output", "table")
    assert rc == 0, err
    assert "ListTables" in out
    # e.g. "||  my-table  ||" inside the TableNames box
    assert re.search(r"\|\s+%s\s+\|" % re.escape(table_name), out), out
    assert re.search(r"^\+-+", out, re.M), out

    rc, out, err = aws("dynamodb", "describe-table", "--table-name", table_name)
    assert rc == 0, err
    t = json.loads(out)["Table"]
    assert t["TableName"] == table_name
    assert t["TableStatus"] == "ACTIVE"
    assert t["ProvisionedThroughput"]["ReadCapacityUnits"] == 5
    assert t["TableArn"].startswith("arn:aws:dynamodb:")


def test_cli_create_seeds_table_with_gsi(fresh_server):
    gsi = json.dumps(cruddur_messages_spec()["GlobalSecondaryIndexes"])
    rc, out, err = fresh_server.aws(
        "dynamodb", "create-table", "--table-name", "cruddur-messages",
        "--attribute-definitions", "AttributeName=message_group_uuid,AttributeType=S",
        "AttributeName=pk,AttributeType=S", "AttributeName=sk,AttributeType=S",
        "--key-schema", "AttributeName=pk,KeyType=HASH", "AttributeName=sk,KeyType=RANGE",
        "--global-secondary-indexes", gsi, "--billing-mode", "PROVISIONED",
        "--provisioned-throughput", "ReadCapacityUnits=5,WriteCapacityUnits=5")
    assert rc == 0, err
    rc, out, err = fresh_server.aws("dynamodb", "describe-table", "--table-name",
                                    "cruddur-messages", "--query",
                                    "Table.GlobalSecondaryIndexes[0].IndexName", "--output",
                                    "text")
    assert rc == 0, err
    assert out.strip() == GSI


def test_cli_describe_missing_table_fails(aws):
    name = unique_name("missing")
    rc, out, err = aws("dynamodb", "describe-table", "--table-name", name)
    assert rc != 0
    assert "ResourceNotFoundException" in err
    assert "Requested resource not found: Table: %s not found" % name in err
