"""cruddur's ops tools (the seeds' bin/ddb scripts as subcommands) against a real eddy: the
output a person reads, the exit codes a script checks, and DynamoDB's errors passed through."""
import json
import os
import subprocess

import pytest

from eddy_helpers import ACCESS_KEY, REGION, SECRET_KEY, S, eddy_bin


def cruddur_bin():
    return os.environ.get("CRUDDUR_BIN") or os.path.join(os.path.dirname(eddy_bin()), "cruddur")


def run(server, *args, env_extra=None, endpoint=True):
    env = {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "AWS_ACCESS_KEY_ID": ACCESS_KEY,
           "AWS_SECRET_ACCESS_KEY": SECRET_KEY, "AWS_REGION": REGION}
    if endpoint:
        env["AWS_ENDPOINT_URL"] = server.endpoint
    env.update(env_extra or {})
    return subprocess.run([cruddur_bin(), *args], env=env, capture_output=True, text=True,
                          timeout=60)


@pytest.fixture
def eddy(fresh_server):
    return fresh_server


def test_schema_load_creates_the_seeds_table(eddy):
    result = run(eddy, "schema-load")
    assert result.returncode == 0, result.stderr
    table = json.loads(result.stdout)["TableDescription"]
    assert table["TableName"] == "cruddur-messages"
    assert table["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"},
                                  {"AttributeName": "sk", "KeyType": "RANGE"}]
    assert table["GlobalSecondaryIndexes"][0]["IndexName"] == "message-group-sk-index"
    assert table["StreamSpecification"] == {"StreamEnabled": True,
                                            "StreamViewType": "NEW_AND_OLD_IMAGES"}
    assert run(eddy, "list-tables").stdout == "cruddur-messages\n"
    again = run(eddy, "schema-load")
    assert again.returncode == 1
    assert again.stderr == ("cruddur schema-load: ResourceInUseException: Table already "
                            "exists: cruddur-messages\n")


def test_scan_prints_each_item_as_plain_json(eddy):
    assert run(eddy, "schema-load").returncode == 0
    client = eddy.client()
    client.put_item(TableName="cruddur-messages", Item={
        "pk": S("GRP#u1"), "sk": S("2026-11-21T10:00:00+00:00"), "message": S("café ☃"),
        "count": {"N": "3"}, "flags": {"SS": ["a"]}})
    result = run(eddy, "scan")
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.splitlines()
    assert json.loads(line) == {"pk": "GRP#u1", "sk": "2026-11-21T10:00:00+00:00",
                                "message": "café ☃", "count": 3, "flags": ["a"]}


def test_drop_deletes_a_table_and_needs_its_name(eddy):
    assert run(eddy, "schema-load").returncode == 0
    result = run(eddy, "drop", "cruddur-messages")
    assert (result.returncode, result.stdout) == (0, "deleted cruddur-messages\n")
    assert run(eddy, "list-tables").stdout == ""
    missing = run(eddy, "drop")
    assert missing.returncode == 1
    assert "No TABLE_NAME argument supplied" in missing.stderr
    gone = run(eddy, "drop", "cruddur-messages")
    assert gone.returncode == 1
    assert gone.stderr.startswith("cruddur drop: ResourceNotFoundException: ")


def test_credentials_come_from_the_shared_file_too(eddy, tmp_path):
    credentials = tmp_path / "credentials"
    credentials.write_text("[default]\naws_access_key_id = AKIDFILE\n"
                           "aws_secret_access_key = secret\n")
    result = run(eddy, "list-tables", env_extra={
        "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "",
        "AWS_SHARED_CREDENTIALS_FILE": str(credentials)})
    assert result.returncode == 0, result.stderr
    nothing = run(eddy, "list-tables", env_extra={"AWS_ACCESS_KEY_ID": "",
                                                  "AWS_SECRET_ACCESS_KEY": ""})
    assert nothing.returncode == 1
    assert "no AWS credentials" in nothing.stderr


def test_usage_and_unknown_commands(eddy):
    assert run(eddy, "--help").returncode == 0
    unknown = run(eddy, "frobnicate")
    assert unknown.returncode == 2
    assert "unknown command 'frobnicate'" in unknown.stderr


def test_prod_ignores_the_endpoint_override(eddy):
    """With prod the tools go to https://dynamodb.<region>.amazonaws.com; this machine cannot
    reach it, so the failure names that endpoint rather than eddy's."""
    result = run(eddy, "list-tables", "prod",
                 env_extra={"AWS_REGION": "eu-west-2"})
    assert result.returncode == 1
    assert "dynamodb.eu-west-2.amazonaws.com" in result.stderr
    assert eddy.endpoint not in result.stderr
