"""Durability and namespacing: restart on the same -dbPath, kill -9 after acknowledged
writes, -inMemory, and -sharedDb versus per-credential (access key id + region) databases."""
import concurrent.futures

import pytest
from botocore.exceptions import ClientError

from eddy_helpers import (assert_client_error, create_table, cruddur_messages_spec,
                          hash_table_spec, list_all_tables, wait_active)

GSI = "message-group-sk-index"


def canon(v):
    if isinstance(v, dict):
        return {k: (sorted(x) if k in ("SS", "NS", "BS") else canon(x)) for k, x in v.items()}
    if isinstance(v, list):
        return [canon(x) for x in v]
    return v


def describe_stable(t):
    """The parts of a table description that must survive a restart unchanged."""
    keep = ("TableName", "TableArn", "TableId", "CreationDateTime", "KeySchema",
            "ProvisionedThroughput", "TableStatus")
    d = {k: t[k] for k in keep}
    d["AttributeDefinitions"] = sorted(t["AttributeDefinitions"],
                                       key=lambda a: a["AttributeName"])
    d["GlobalSecondaryIndexes"] = [
        {k: g[k] for k in ("IndexName", "IndexArn", "KeySchema", "Projection", "IndexStatus",
                           "ProvisionedThroughput")}
        for g in t.get("GlobalSecondaryIndexes", [])]
    d["BillingMode"] = t.get("BillingModeSummary", {}).get("BillingMode", "PROVISIONED")
    return d


ITEMS = [
    {"pk": {"S": "user#1"}, "sk": {"S": "2026-01-01T00:00:00Z"},
     "message_group_uuid": {"S": "g-1"}, "message": {"S": "héllo ✓"}, "n": {"N": "-1.5"},
     "b": {"B": b"\x00\xff"}, "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2.5"]},
     "bs": {"BS": [b"\x01", b"\x02"]}, "t": {"BOOL": True}, "z": {"NULL": True},
     "l": {"L": [{"S": "x"}, {"M": {"k": {"N": "7"}}}]}, "e": {"S": ""}},
    {"pk": {"S": "user#1"}, "sk": {"S": "2026-01-02T00:00:00Z"}, "message": {"S": "second"}},
    {"pk": {"S": "user#2"}, "sk": {"S": "x"}, "big": {"S": "y" * 100000}},
]


def test_restart_keeps_tables_items_tags_and_settings(disk_server):
    s = disk_server
    c = s.client()
    create_table(c, cruddur_messages_spec())
    other = "settings-table"
    create_table(c, hash_table_spec(other))
    arn = c.describe_table(TableName="cruddur-messages")["Table"]["TableArn"]
    c.tag_resource(ResourceArn=arn, Tags=[{"Key": "app", "Value": "cruddur"}])
    c.update_table(TableName="cruddur-messages",
                   ProvisionedThroughput={"ReadCapacityUnits": 7, "WriteCapacityUnits": 9})
    c.update_table(TableName=other, BillingMode="PAY_PER_REQUEST")
    wait_active(c, "cruddur-messages")
    wait_active(c, other)
    for it in ITEMS:
        c.put_item(TableName="cruddur-messages", Item=it)
    c.put_item(TableName=other, Item={"pk": {"S": "k"}, "v": {"N": "1e3"}})
    before = {n: describe_stable(c.describe_table(TableName=n)["Table"])
              for n in ("cruddur-messages", other)}

    s.restart()
    c = s.client()

    assert c.list_tables()["TableNames"] == sorted(["cruddur-messages", other])
    for n in ("cruddur-messages", other):
        assert describe_stable(wait_active(c, n)) == before[n]
    after = c.describe_table(TableName="cruddur-messages")["Table"]
    assert after["ProvisionedThroughput"]["ReadCapacityUnits"] == 7
    assert after["GlobalSecondaryIndexes"][0]["IndexName"] == GSI
    assert before[other]["BillingMode"] == "PAY_PER_REQUEST"
    for it in ITEMS:
        got = c.get_item(TableName="cruddur-messages",
                         Key={"pk": it["pk"], "sk": it["sk"]}, ConsistentRead=True)
        assert canon(got["Item"]) == canon(it)
    assert c.get_item(TableName=other, Key={"pk": {"S": "k"}},
                      ConsistentRead=True)["Item"] == {"pk": {"S": "k"}, "v": {"N": "1000"}}
    tags = c.list_tags_of_resource(ResourceArn=arn)["Tags"]
    assert tags == [{"Key": "app", "Value": "cruddur"}]

    # and it keeps working after the restart
    c.put_item(TableName="cruddur-messages",
               Item={"pk": {"S": "user#3"}, "sk": {"S": "after"}})
    s.restart()
    assert s.client().get_item(TableName="cruddur-messages",
                               Key={"pk": {"S": "user#3"}, "sk": {"S": "after"}},
                               ConsistentRead=True)["Item"]["sk"] == {"S": "after"}


def test_restart_remembers_deletes(disk_server):
    s = disk_server
    c = s.client()
    for n in ("keep-me", "drop-me"):
        create_table(c, hash_table_spec(n))
        c.put_item(TableName=n, Item={"pk": {"S": "a"}})
        c.put_item(TableName=n, Item={"pk": {"S": "b"}})
    c.delete_table(TableName="drop-me")
    c.delete_item(TableName="keep-me", Key={"pk": {"S": "a"}})

    s.restart()
    c = s.client()
    assert c.list_tables()["TableNames"] == ["keep-me"]
    with pytest.raises(ClientError) as e:
        c.describe_table(TableName="drop-me")
    assert_client_error(e, "ResourceNotFoundException",
                        "Requested resource not found: Table: drop-me not found")
    assert "Item" not in c.get_item(TableName="keep-me", Key={"pk": {"S": "a"}},
                                    ConsistentRead=True)
    assert c.get_item(TableName="keep-me", Key={"pk": {"S": "b"}},
                      ConsistentRead=True)["Item"] == {"pk": {"S": "b"}}
    # a table re-created under a deleted name starts empty
    create_table(c, hash_table_spec("drop-me"))
    assert "Item" not in c.get_item(TableName="drop-me", Key={"pk": {"S": "a"}},
                                    ConsistentRead=True)


def test_kill_9_after_acknowledged_writes(disk_server):
    s = disk_server
    c = s.client()
    create_table(c, cruddur_messages_spec())
    n_items, n_threads = 500, 5

    def put_range(t):
        cl = s.client()
        for i in range(t, n_items, n_threads):
            cl.put_item(TableName="cruddur-messages", Item={
                "pk": {"S": "p%03d" % i}, "sk": {"S": "s"}, "i": {"N": str(i)},
                "message_group_uuid": {"S": "g%d" % (i % 7)}, "pad": {"S": "x" * (i * 3)}})
        return t

    with concurrent.futures.ThreadPoolExecutor(n_threads) as ex:
        list(ex.map(put_range, range(n_threads)))

    deleted = set(range(0, n_items, 10))
    updated = set(range(5, n_items, 10))

    def mutate(t):
        cl = s.client()
        for i in range(t, n_items, n_threads):
            key = {"pk": {"S": "p%03d" % i}, "sk": {"S": "s"}}
            if i in deleted:
                cl.delete_item(TableName="cruddur-messages", Key=key)
            elif i in updated:
                cl.update_item(TableName="cruddur-messages", Key=key, AttributeUpdates={
                    "i": {"Action": "ADD", "Value": {"N": "1000"}},
                    "pad": {"Action": "DELETE"}})

    with concurrent.futures.ThreadPoolExecutor(n_threads) as ex:
        list(ex.map(mutate, range(n_threads)))

    s.kill()          # every write above was acknowledged; no graceful shutdown
    s.start()
    c = s.client()
    assert c.list_tables()["TableNames"] == ["cruddur-messages"]
    assert wait_active(c, "cruddur-messages")["GlobalSecondaryIndexes"][0]["IndexName"] == GSI

    def check(t):
        cl = s.client()
        problems = []
        for i in range(t, n_items, n_threads):
            r = cl.get_item(TableName="cruddur-messages",
                            Key={"pk": {"S": "p%03d" % i}, "sk": {"S": "s"}}, ConsistentRead=True)
            if i in deleted:
                if "Item" in r:
                    problems.append((i, "deleted item is back", r["Item"]))
            elif "Item" not in r:
                problems.append((i, "acknowledged item lost"))
            elif i in updated:
                if r["Item"]["i"] != {"N": str(i + 1000)} or "pad" in r["Item"]:
                    problems.append((i, "update lost", r["Item"]["i"]))
            elif r["Item"]["i"] != {"N": str(i)} or r["Item"]["pad"] != {"S": "x" * (i * 3)}:
                problems.append((i, "item corrupted"))
        return problems

    with concurrent.futures.ThreadPoolExecutor(n_threads) as ex:
        problems = [p for ps in ex.map(check, range(n_threads)) for p in ps]
    assert problems == [], problems[:20]


def test_kill_9_right_after_create_table(disk_server):
    s = disk_server
    c = s.client()
    c.create_table(**hash_table_spec("born-just-now"))
    c.put_item(TableName="born-just-now", Item={"pk": {"S": "only"}})
    s.kill()
    s.start()
    c = s.client()
    assert c.list_tables()["TableNames"] == ["born-just-now"]
    assert c.get_item(TableName="born-just-now", Key={"pk": {"S": "only"}},
                      ConsistentRead=True)["Item"] == {"pk": {"S": "only"}}


def test_sigterm_stops_promptly(disk_server):
    c = disk_server.client()
    create_table(c, hash_table_spec("t-stop"))
    disk_server.stop(timeout=10)          # fails the test if eddy ignores SIGTERM
    assert not disk_server.running()


def test_in_memory_forgets_everything_on_restart(make_server):
    s = make_server(in_memory=True, shared_db=True)
    s.start()
    c = s.client()
    create_table(c, hash_table_spec("ephemeral"))
    s.restart()
    assert s.client().list_tables()["TableNames"] == []


def test_shared_db_file_exists(disk_server, tmp_path):
    c = disk_server.client()
    create_table(c, hash_table_spec("file-check"))
    c.put_item(TableName="file-check", Item={"pk": {"S": "x"}})
    assert (tmp_path / "db" / "shared-local-instance.db").is_file()
    disk_server.stop()
    path = tmp_path / "db" / "shared-local-instance.db"
    assert path.is_file() and path.stat().st_size > 0


def test_shared_db_ignores_credentials_and_region(make_server):
    s = make_server(in_memory=True, shared_db=True)
    s.start()
    a = s.client(access_key="AKIDALICE", region="us-east-1")
    b = s.client(access_key="AKIDBOB", region="eu-west-1")
    create_table(a, hash_table_spec("shared-one"))
    a.put_item(TableName="shared-one", Item={"pk": {"S": "from-alice"}})
    assert b.list_tables()["TableNames"] == ["shared-one"]
    assert b.get_item(TableName="shared-one", Key={"pk": {"S": "from-alice"}},
                      ConsistentRead=True)["Item"] == {"pk": {"S": "from-alice"}}


def test_without_shared_db_tables_are_per_access_key_and_region(make_server):
    s = make_server(in_memory=True, shared_db=False)
    s.start()
    alice = s.client(access_key="AKIDALICE", region="us-east-1")
    alice_again = s.client(access_key="AKIDALICE", secret_key="other", region="us-east-1")
    bob = s.client(access_key="AKIDBOB", region="us-east-1")
    alice_west = s.client(access_key="AKIDALICE", region="us-west-2")

    create_table(alice, hash_table_spec("alice-table"))
    alice.put_item(TableName="alice-table", Item={"pk": {"S": "secret"}})
    create_table(bob, hash_table_spec("bob-table"))

    assert alice.list_tables()["TableNames"] == ["alice-table"]
    assert alice_again.list_tables()["TableNames"] == ["alice-table"]
    assert bob.list_tables()["TableNames"] == ["bob-table"]
    assert alice_west.list_tables()["TableNames"] == []

    with pytest.raises(ClientError) as e:
        bob.get_item(TableName="alice-table", Key={"pk": {"S": "secret"}})
    assert_client_error(e, "ResourceNotFoundException", "Requested resource not found")

    # the same name can exist independently in two namespaces
    create_table(bob, hash_table_spec("alice-table"))
    assert "Item" not in bob.get_item(TableName="alice-table", Key={"pk": {"S": "secret"}},
                                      ConsistentRead=True)
    assert alice.get_item(TableName="alice-table", Key={"pk": {"S": "secret"}},
                          ConsistentRead=True)["Item"] == {"pk": {"S": "secret"}}


def test_per_credential_namespaces_persist(make_server, tmp_path):
    db = tmp_path / "percred"
    db.mkdir()
    s = make_server(db_path=db, shared_db=False)
    s.start()
    create_table(s.client(access_key="AKIDALICE"), hash_table_spec("alice-table"))
    create_table(s.client(access_key="AKIDBOB"), hash_table_spec("bob-table"))
    s.restart()
    assert s.client(access_key="AKIDALICE").list_tables()["TableNames"] == ["alice-table"]
    assert s.client(access_key="AKIDBOB").list_tables()["TableNames"] == ["bob-table"]
    assert s.client(access_key="AKIDCAROL").list_tables()["TableNames"] == []


def test_aws_cli_sees_data_after_restart(disk_server):
    c = disk_server.client()
    create_table(c, hash_table_spec("cli-restart"))
    c.put_item(TableName="cli-restart", Item={"pk": {"S": "k"}, "n": {"N": "2.50"}})
    disk_server.restart()
    rc, out, err = disk_server.aws("dynamodb", "get-item", "--table-name", "cli-restart",
                                   "--key", '{"pk": {"S": "k"}}', "--consistent-read",
                                   "--query", "Item.n.N", "--output", "text")
    assert rc == 0, err
    assert out.strip() == "2.5"
    assert list_all_tables(disk_server.client()) == ["cli-restart"]


def _rewrite_as_schema_v2(path):
    """Turns a current database file back into the layout eddy 2026-11 wrote (schema 2: items
    and index rows WITHOUT ROWID), so the upgrade path runs on a real file."""
    import sqlite3
    db = sqlite3.connect(path)
    for table in ("items", "index_items"):
        sql = db.execute("SELECT sql FROM sqlite_schema WHERE name = ?", (table,)).fetchone()[0]
        assert "WITHOUT ROWID" not in sql
        db.execute("ALTER TABLE %s RENAME TO old_%s" % (table, table))
        db.execute(sql + " WITHOUT ROWID")
        db.execute("INSERT INTO %s SELECT * FROM old_%s" % (table, table))
        db.execute("DROP TABLE old_%s" % table)
    db.execute("UPDATE eddy_schema SET version = 2")
    db.commit()
    db.close()


def test_files_of_schema_2_are_upgraded_in_place(disk_server, tmp_path):
    s = disk_server
    c = s.client()
    create_table(c, cruddur_messages_spec())
    for it in ITEMS:
        c.put_item(TableName="cruddur-messages", Item=it)
    s.stop()
    path = str(tmp_path / "db" / "shared-local-instance.db")
    _rewrite_as_schema_v2(path)

    s.start()
    c = s.client()
    for it in ITEMS:
        got = c.get_item(TableName="cruddur-messages", Key={"pk": it["pk"], "sk": it["sk"]})
        assert canon(got["Item"]) == canon(it)
    by_group = c.query(TableName="cruddur-messages", IndexName=GSI,
                       KeyConditionExpression="message_group_uuid = :g",
                       ExpressionAttributeValues={":g": {"S": "g-1"}})
    assert [i["sk"]["S"] for i in by_group["Items"]] == ["2026-01-01T00:00:00Z"]
    c.put_item(TableName="cruddur-messages",
               Item={"pk": {"S": "user#1"}, "sk": {"S": "2026-01-03"}, "message": {"S": "new"}})
    newest = c.query(TableName="cruddur-messages", KeyConditionExpression="pk = :p",
                     ExpressionAttributeValues={":p": {"S": "user#1"}}, ScanIndexForward=False)
    assert [i["sk"]["S"] for i in newest["Items"]] == [
        "2026-01-03", "2026-01-02T00:00:00Z", "2026-01-01T00:00:00Z"]
    s.stop()

    import sqlite3
    db = sqlite3.connect(path)
    assert db.execute("SELECT version FROM eddy_schema").fetchone() == (3,)
    assert db.execute("SELECT count(*) FROM sqlite_schema WHERE sql LIKE '%WITHOUT ROWID%' "
                      "AND name IN ('items', 'index_items')").fetchone() == (0,)
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    db.close()


def test_a_second_eddy_cannot_open_a_file_in_use(disk_server, make_server, tmp_path):
    """eddy keeps its file to itself while it runs: a second server on the same -dbPath would
    read a database changing under it. eddy opens the files under -dbPath at start-up (Time to
    Live must reach their tables), so the second one exits at once and says why."""
    import time
    c = disk_server.client()
    create_table(c, hash_table_spec("mine"))
    second = make_server(db_path=tmp_path / "db", shared_db=True)
    started = time.monotonic()
    with pytest.raises(RuntimeError) as e:
        second.start()
    assert time.monotonic() - started < 3
    assert "exited with status 1 during startup" in str(e.value)
    assert "is in use by another process (another eddy with the same -dbPath?)" in str(e.value)
    assert c.list_tables()["TableNames"] == ["mine"]
