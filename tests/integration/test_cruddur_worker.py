"""Cruddur's stream worker (access pattern E, the seeds' Lambda) end to end: messages posted
through the API move both members' conversation lists, records the worker must ignore change
nothing, a restarted worker loses and repeats nothing, and shard rollover is followed."""
import signal

import pytest

from cruddur_helpers import SEED_GROUP, CruddurServer, run_cruddur, wait_for
from eddy_helpers import S


@pytest.fixture
def seeded_eddy(fresh_server, tmp_path):
    assert run_cruddur(fresh_server, "schema-load").returncode == 0
    assert run_cruddur(fresh_server, "seed", data_dir=tmp_path).returncode == 0
    return fresh_server


@pytest.fixture
def servers():
    started = []
    yield started
    for server in started:
        server.cleanup()


def start(servers, eddy, data_dir, **kw):
    server = CruddurServer(eddy, data_dir, **kw).start()
    servers.append(server)
    return server


def list_shows(app, token, group, message):
    """The conversation list entry for `group` once it carries `message`."""
    for entry in app.get("/api/message_groups", token=token).json():
        if entry["uuid"] == group and entry["message"] == message:
            return entry
    return None


def group_rows(eddy, group):
    return eddy.client().query(
        TableName="cruddur-messages", IndexName="message-group-sk-index",
        KeyConditionExpression="message_group_uuid = :g",
        ExpressionAttributeValues={":g": S(group)})["Items"]


def test_a_message_moves_both_members_lists(seeded_eddy, tmp_path, servers):
    app = start(servers, seeded_eddy, tmp_path)
    brown, bayko = app.sign_in("andrewbrown"), app.sign_in("bayko")
    posted = app.post("/api/messages", {"message": "Ivanova is God.",
                                        "message_group_uuid": SEED_GROUP}, token=bayko).json()
    for token in (brown, bayko):
        entry = wait_for(lambda: list_shows(app, token, SEED_GROUP, "Ivanova is God."),
                         timeout=10, message="the list to show the new message")
        assert entry["created_at"] == posted["created_at"]
    # Still one row per member: the old rows were replaced, not copied.
    assert len(group_rows(seeded_eddy, SEED_GROUP)) == 2


def test_records_the_worker_must_ignore_change_nothing(seeded_eddy, tmp_path, servers):
    app = start(servers, seeded_eddy, tmp_path)
    client = seeded_eddy.client()
    before = sorted((r["pk"]["S"], r["sk"]["S"], r["message"]["S"])
                    for r in group_rows(seeded_eddy, SEED_GROUP))
    old = {"pk": S("MSG#" + SEED_GROUP), "sk": S("2026-01-01T00:00:00.000000+00:00"),
           "message": S("from the past"), "message_uuid": S("m-old"), "user_uuid": S("u"),
           "user_display_name": S("Old"), "user_handle": S("old")}
    client.put_item(TableName="cruddur-messages", Item=old)  # INSERT older than the list
    client.update_item(TableName="cruddur-messages",  # MODIFY
                       Key={"pk": old["pk"], "sk": old["sk"]},
                       UpdateExpression="SET message = :m",
                       ExpressionAttributeValues={":m": S("edited")})
    client.delete_item(TableName="cruddur-messages", Key={"pk": old["pk"], "sk": old["sk"]})
    client.put_item(TableName="cruddur-messages", Item=dict(  # a group with no GRP# rows
        old, pk=S("MSG#no-such-group"), sk=S("2099-01-01T00:00:00.000000+00:00")))
    client.put_item(TableName="cruddur-messages", Item={  # not a message at all
        "pk": S("NOTE#1"), "sk": S("2099-01-01T00:00:00.000000+00:00")})
    # A later real message proves the worker went past all of them without failing.
    bayko = app.sign_in("bayko")
    app.post("/api/messages", {"message": "marker", "message_group_uuid": SEED_GROUP},
             token=bayko)
    wait_for(lambda: list_shows(app, bayko, SEED_GROUP, "marker"), message="the marker")
    events = [(r["event"], r["key"]) for r in app.processed_lines()]
    assert ("MODIFY", "MSG#" + SEED_GROUP) in events and ("REMOVE", "MSG#" + SEED_GROUP) in events
    assert "error" not in app.log_text()
    after = group_rows(seeded_eddy, SEED_GROUP)
    assert all(r["message"]["S"] == "marker" for r in after)
    assert len(after) == len(before) == 2


def test_a_restarted_worker_loses_and_repeats_nothing(seeded_eddy, tmp_path, servers):
    """The API without its worker, and `cruddur stream-worker` stopped (SIGTERM) and killed
    (SIGKILL) while messages arrive in three conversations."""
    app = start(servers, seeded_eddy, tmp_path, extra_args=["--no-stream-worker"])
    worker = CruddurServer(seeded_eddy, tmp_path, command="stream-worker")
    servers.append(worker)
    brown = app.sign_in("andrewbrown")
    groups = [SEED_GROUP] + [
        app.post("/api/messages", {"message": "opening %s" % who, "handle": who},
                 token=brown).json()["message_group_uuid"] for who in ("londo",)]
    bayko = app.sign_in("bayko")
    londo = app.sign_in("londo")
    senders = {SEED_GROUP: [brown, bayko], groups[1]: [brown, londo]}
    last = {}
    worker.start()
    for round_number in range(6):
        for index in range(10):
            for group in groups:
                token = senders[group][index % 2]
                text = "round %d message %d" % (round_number, index)
                last[group] = app.post("/api/messages", {"message": text,
                                                         "message_group_uuid": group},
                                       token=token).json()
        # Mid-stream: stop it gracefully, then kill it, with records waiting each time.
        worker.stop(signal.SIGTERM if round_number % 2 == 0 else signal.SIGKILL)
        worker.start()
    for group in groups:
        def caught_up():
            rows = group_rows(seeded_eddy, group)
            return len(rows) == 2 and all(
                (r["sk"]["S"], r["message"]["S"]) == (last[group]["created_at"],
                                                      last[group]["message"]) for r in rows)
        wait_for(caught_up, timeout=15, message="both rows of %s to carry the last message" % group)
    worker.stop()
    processed = worker.processed_lines()
    sequences = [int(r["sequence"]) for r in processed]
    inserted = {r["sequence"] for r in processed
                if r["event"] == "INSERT" and r["key"].startswith("MSG#")}
    # Nothing lost: the 104 seeded messages, the opening one and the 120 posted.
    assert len(inserted) == 104 + 1 + 120
    # A graceful stop repeats nothing; each of the 3 SIGKILLs may repeat the one record in hand
    # (whose second application finds its group already there), right where it stopped.
    repeats = [(a, b) for a, b in zip(sequences, sequences[1:]) if b <= a]
    assert len(repeats) <= 3 and all(a == b for a, b in repeats), repeats
    assert len(sequences) - len(set(sequences)) == len(repeats)


def test_the_worker_follows_the_stream_across_shards(seeded_eddy, tmp_path, servers):
    app = start(servers, seeded_eddy, tmp_path)
    bayko = app.sign_in("bayko")
    for hour in range(3):
        text = "after %d hours" % (5 * hour)
        app.post("/api/messages", {"message": text, "message_group_uuid": SEED_GROUP},
                 token=bayko)
        wait_for(lambda: list_shows(app, bayko, SEED_GROUP, text), message=text)
        seeded_eddy.advance_clock(5 * 3600)  # a new shard every 4 hours
    shards = {r["shard"] for r in app.processed_lines()}
    assert len(shards) == 3
    assert app.log_text().count("stream-worker: finished shard=") == 2
