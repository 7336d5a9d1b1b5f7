"""cruddur's ops tools (the seeds' bin/ddb scripts as subcommands) against a real eddy: the
output a person reads, the exit codes a script checks, and DynamoDB's errors passed through."""
import datetime
import json
import re

import pytest

from cruddur_helpers import SEED_GROUP, conversation_lines, fixture_users, run_cruddur
from eddy_helpers import S


def run(server, *args, env_extra=None, endpoint=True, data_dir=None):
    return run_cruddur(server, *args, env_extra=env_extra, endpoint=endpoint, data_dir=data_dir)


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


def seeded(eddy, data_dir):
    assert run(eddy, "schema-load").returncode == 0
    result = run(eddy, "seed", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    return result


def test_seed_writes_the_seeds_conversation_once(eddy, tmp_path):
    first = seeded(eddy, tmp_path)
    assert first.stdout == ("seeded %s: 104 messages and 2 group rows written\n" % SEED_GROUP)
    again = run(eddy, "seed", data_dir=tmp_path)
    assert again.stdout == "seeded %s: 0 messages and 0 group rows written\n" % SEED_GROUP

    users = fixture_users()
    brown, bayko = users["andrewbrown"], users["bayko"]
    items = eddy.resource().Table("cruddur-messages").scan()["Items"]
    messages = sorted((i for i in items if i["pk"] == "MSG#" + SEED_GROUP), key=lambda i: i["sk"])
    lines = conversation_lines()
    assert len(messages) == len(lines) == 104
    for item, (person, text) in zip(messages, lines):
        sender = brown if person == "Person 1" else bayko
        assert set(item) == {"pk", "sk", "message_uuid", "message", "user_uuid",
                             "user_display_name", "user_handle"}
        assert (item["message"], item["user_uuid"], item["user_handle"],
                item["user_display_name"]) == (text, sender["uuid"], sender["handle"],
                                               sender["display_name"])
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00", item["sk"])
    # One minute apart, the last one now-ish (not two hours ahead, as the seeds' script does).
    stamps = [item["sk"] for item in messages]
    assert all(b[:16] > a[:16] for a, b in zip(stamps, stamps[1:]))
    groups = {i["pk"]: i for i in items if i["pk"].startswith("GRP#")}
    assert set(groups) == {"GRP#" + brown["uuid"], "GRP#" + bayko["uuid"]}
    mine, theirs = groups["GRP#" + brown["uuid"]], groups["GRP#" + bayko["uuid"]]
    assert (mine["user_handle"], mine["user_display_name"], mine["user_uuid"]) == (
        "bayko", "Andrew Bayko", bayko["uuid"])
    assert theirs["user_handle"] == "andrewbrown"
    for row in (mine, theirs):
        assert row["message_group_uuid"] == SEED_GROUP
        assert (row["sk"], row["message"]) == (stamps[-1], lines[-1][1])


def test_seed_finishes_a_seed_that_was_cut_short(eddy, tmp_path):
    seeded(eddy, tmp_path)
    table = eddy.resource().Table("cruddur-messages")
    items = table.scan()["Items"]
    removed = [i for i in items if i["pk"].startswith("MSG#")][40:45]
    removed.append(next(i for i in items if i["pk"].startswith("GRP#")))
    for item in removed:
        table.delete_item(Key={"pk": item["pk"], "sk": item["sk"]})
    result = run(eddy, "seed", data_dir=tmp_path)
    assert result.stdout == "seeded %s: 5 messages and 1 group rows written\n" % SEED_GROUP
    restored = {(i["pk"], i["sk"]): i for i in table.scan()["Items"]}
    assert len(restored) == len(items)
    for item in removed:
        assert restored[(item["pk"], item["sk"])]["message"] == item["message"]


def test_list_and_get_conversation_print_the_seeds_lines(eddy, tmp_path):
    seeded(eddy, tmp_path)
    listing = run(eddy, "list-conversations", "andrewbrown", data_dir=tmp_path)
    assert listing.returncode == 0, listing.stderr
    line_format = re.compile(r"(\S+) +(\d{4}-\d\d-\d\d \d\d:\d\d [AP]M) +(.*)\.\.\.")
    (line,) = listing.stdout.splitlines()
    handle, when, text = line_format.fullmatch(line).groups()
    assert (handle, text) == ("bayko", conversation_lines()[-1][1][:40])
    assert line.index(when) == 16 and line.index(text) == 38  # the seeds' column widths

    conversation = run(eddy, "get-conversation", SEED_GROUP, data_dir=tmp_path)
    assert conversation.returncode == 0, conversation.stderr
    printed = [line_format.fullmatch(line).groups() for line in conversation.stdout.splitlines()]
    last_twenty = conversation_lines()[-20:]
    assert [(h, t) for h, _, t in printed] == [
        ("andrewbrown" if person == "Person 1" else "bayko", text[:40])
        for person, text in last_twenty]
    # In time order: compared as times, since "12:57 PM" sorts after "01:00 PM" as text.
    times = [datetime.datetime.strptime(w, "%Y-%m-%d %I:%M %p") for _, w, _ in printed]
    assert times == sorted(times)

    nobody = run(eddy, "list-conversations", "londo", data_dir=tmp_path)
    assert (nobody.returncode, nobody.stdout) == (0, "")
    unknown = run(eddy, "list-conversations", "ghost", data_dir=tmp_path)
    assert (unknown.returncode, unknown.stderr) == (
        1, "cruddur list-conversations: no user with handle ghost\n")
    missing = run(eddy, "get-conversation", data_dir=tmp_path)
    assert missing.returncode == 1 and "No MESSAGE_GROUP_UUID argument" in missing.stderr


def test_get_conversation_counts_characters_not_bytes(eddy, tmp_path):
    assert run(eddy, "schema-load").returncode == 0
    text = "é" * 45
    eddy.client().put_item(TableName="cruddur-messages", Item={
        "pk": S("MSG#g1"), "sk": S("2026-11-21T10:00:00.000000+00:00"), "message": S(text),
        "message_uuid": S("m1"), "user_uuid": S("u1"), "user_display_name": S("Zathras"),
        "user_handle": S("zathras")})
    result = run(eddy, "get-conversation", "g1", data_dir=tmp_path)
    assert result.stdout.rstrip("\n").endswith("é" * 40 + "...")


def test_set_cognito_user_id_points_a_handle_at_a_pool_user(eddy, tmp_path):
    result = run(eddy, "set-cognito-user-id", "londo", "sub-from-cognito", data_dir=tmp_path)
    assert (result.returncode, result.stdout) == (
        0, "londo is now cognito user sub-from-cognito\n")
    unknown = run(eddy, "set-cognito-user-id", "ghost", "x", data_dir=tmp_path)
    assert (unknown.returncode, unknown.stderr) == (
        1, "cruddur set-cognito-user-id: no user with handle ghost\n")
