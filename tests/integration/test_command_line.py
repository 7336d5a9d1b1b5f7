"""dynamodb-local's other switches (-optimizeDbBeforeStartup, -cors, -delayTransientStatuses)
and the schema file users create tables from."""
import http.client
import os
import time

import botocore.exceptions
import pytest

from eddy_helpers import create_table, hash_table_spec, run_aws


def test_optimize_db_before_startup_keeps_the_data(make_server, tmp_path):
    db = tmp_path / "db"
    s = make_server(db_path=db)
    s.start()
    c = s.client()
    create_table(c, hash_table_spec("kept"))
    for i in range(50):
        c.put_item(TableName="kept", Item={"pk": {"S": "k%d" % i}, "n": {"N": str(i)}})
    assert s.stop() == 0

    optimized = make_server(db_path=db, extra_args=["-optimizeDbBeforeStartup"])
    optimized.start()
    c = optimized.client()
    assert c.get_item(TableName="kept", Key={"pk": {"S": "k49"}})["Item"]["n"] == {"N": "49"}
    assert c.describe_table(TableName="kept")["Table"]["ItemCount"] == 50
    assert "Optimized" in optimized.log_text()


def preflight(server, origin):
    connection = http.client.HTTPConnection(server.host, server.port, timeout=5)
    connection.request("OPTIONS", "/", headers={
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,x-amz-target,authorization",
    })
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def test_cors_allows_any_origin_by_default(make_server):
    s = make_server()
    s.start()
    response = preflight(s, "http://localhost:3000")
    assert response.status == 200
    assert response.getheader("Access-Control-Allow-Origin") == "*"
    assert "POST" in response.getheader("Access-Control-Allow-Methods")
    assert response.getheader("Access-Control-Allow-Headers") == \
        "content-type,x-amz-target,authorization"


def test_cors_lists_only_the_given_origins(make_server):
    s = make_server(extra_args=["-cors", "http://app.example,http://other.example"])
    s.start()
    allowed = preflight(s, "http://other.example")
    assert allowed.getheader("Access-Control-Allow-Origin") == "http://other.example"
    refused = preflight(s, "http://evil.example")
    assert refused.getheader("Access-Control-Allow-Origin") is None


def test_delay_transient_statuses_passes_through_creating(make_server):
    s = make_server(extra_args=["-delayTransientStatuses"])
    s.start()
    c = s.client()
    created = c.create_table(**hash_table_spec("slow"))
    assert created["TableDescription"]["TableStatus"] == "CREATING"
    with pytest.raises(botocore.exceptions.ClientError) as error:
        c.put_item(TableName="slow", Item={"pk": {"S": "a"}})
    assert error.value.response["Error"]["Code"] == "ResourceNotFoundException"
    deadline = time.monotonic() + 5
    while c.describe_table(TableName="slow")["Table"]["TableStatus"] != "ACTIVE":
        assert time.monotonic() < deadline, "table never became ACTIVE"
        time.sleep(0.1)
    c.put_item(TableName="slow", Item={"pk": {"S": "a"}})
    updated = c.update_table(TableName="slow", BillingMode="PAY_PER_REQUEST")
    assert updated["TableDescription"]["TableStatus"] == "UPDATING"


def test_aws_cli_creates_the_schema_file_table(make_server):
    s = make_server()
    s.start()
    schema = os.path.join(os.path.dirname(__file__), "..", "..", "schema", "cruddur-messages.json")
    rc, out, err = run_aws(s.endpoint, "dynamodb", "create-table",
                           "--cli-input-json", "file://" + os.path.abspath(schema))
    assert rc == 0, err
    table = s.client().describe_table(TableName="cruddur-messages")["Table"]
    assert table["StreamSpecification"] == {"StreamEnabled": True,
                                            "StreamViewType": "NEW_AND_OLD_IMAGES"}
    assert table["LatestStreamArn"].startswith(table["TableArn"] + "/stream/")
    assert table["GlobalSecondaryIndexes"][0]["IndexName"] == "message-group-sk-index"
