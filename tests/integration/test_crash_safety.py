"""Crash safety: writers doing puts, counter updates, batches and transactions against an eddy
on disk, killed with SIGKILL at random moments, again and again. After every restart: each
acknowledged write is there, no transaction is half there, the index and the stream agree with
the table, and SQLite's integrity_check passes on the file."""
import os
import random
import sqlite3
import threading
import time

import botocore.exceptions
import pytest
import urllib3.exceptions

from eddy_helpers import S, N, all_items, make_client
from stream_poller import StreamPoller

TABLE = "crash"
ACCOUNTS = 8
OPENING_BALANCE = 1000
KILLS = int(os.environ.get("EDDY_CRASH_KILLS", "25"))
WRITERS = 4


def create_table(client):
    client.create_table(
        TableName=TABLE, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "g", "AttributeType": "S"}],
        GlobalSecondaryIndexes=[{"IndexName": "by-g", "Projection": {"ProjectionType": "ALL"},
                                 "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"},
                                               {"AttributeName": "pk", "KeyType": "RANGE"}]}],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    client.batch_write_item(RequestItems={TABLE: [
        {"PutRequest": {"Item": {"pk": S("account#%d" % a), "balance": N(OPENING_BALANCE)}}}
        for a in range(ACCOUNTS)]})


class Acknowledged:
    """What eddy said it did, and what was merely attempted, across every round."""

    def __init__(self):
        self.lock = threading.Lock()
        self.items = set()        # pks of puts and batch items acknowledged
        self.counters = {}        # writer -> highest counter value acknowledged
        self.counter_attempts = {}  # writer -> increments sent
        self.transfers = set()    # ledger pks of acknowledged transactions


def is_connection_failure(error):
    return isinstance(error, (botocore.exceptions.EndpointConnectionError,
                              botocore.exceptions.ConnectionClosedError,
                              botocore.exceptions.ReadTimeoutError,
                              urllib3.exceptions.ProtocolError, ConnectionError))


def writer(client, number, round_number, acknowledged, stop, rng):
    step = 0
    try:
        while not stop.is_set():
            step += 1
            tag = "%d#%d#%d" % (number, round_number, step)
            kind = step % 4
            if kind == 0:
                client.put_item(TableName=TABLE, Item={"pk": S("put#" + tag), "g": S("g"),
                                                       "v": N(step)})
                with acknowledged.lock:
                    acknowledged.items.add("put#" + tag)
            elif kind == 1:
                with acknowledged.lock:
                    acknowledged.counter_attempts[number] = (
                        acknowledged.counter_attempts.get(number, 0) + 1)
                answer = client.update_item(
                    TableName=TABLE, Key={"pk": S("counter#%d" % number)},
                    UpdateExpression="ADD c :one", ExpressionAttributeValues={":one": N(1)},
                    ReturnValues="UPDATED_NEW")
                with acknowledged.lock:
                    acknowledged.counters[number] = max(acknowledged.counters.get(number, 0),
                                                        int(answer["Attributes"]["c"]["N"]))
            elif kind == 2:
                pks = ["batch#%s#%d" % (tag, i) for i in range(4)]
                answer = client.batch_write_item(RequestItems={TABLE: [
                    {"PutRequest": {"Item": {"pk": S(pk), "g": S("g")}}} for pk in pks]})
                assert not answer.get("UnprocessedItems")
                with acknowledged.lock:
                    acknowledged.items.update(pks)
            else:
                source, target = rng.sample(range(ACCOUNTS), 2)
                ledger = "ledger#" + tag
                try:
                    client.transact_write_items(TransactItems=[
                        {"Update": {"TableName": TABLE, "Key": {"pk": S("account#%d" % source)},
                                    "UpdateExpression": "SET balance = balance - :one",
                                    "ConditionExpression": "balance >= :one",
                                    "ExpressionAttributeValues": {":one": N(1)}}},
                        {"Update": {"TableName": TABLE, "Key": {"pk": S("account#%d" % target)},
                                    "UpdateExpression": "SET balance = balance + :one",
                                    "ExpressionAttributeValues": {":one": N(1)}}},
                        {"Put": {"TableName": TABLE, "Item": {
                            "pk": S(ledger), "from": N(source), "to": N(target)}}}])
                except botocore.exceptions.ClientError as error:
                    if error.response["Error"]["Code"] != "TransactionCanceledException":
                        raise
                    continue
                with acknowledged.lock:
                    acknowledged.transfers.add(ledger)
    except Exception as error:  # noqa: BLE001 - the kill ends every writer this way
        if not stop.is_set() and not is_connection_failure(error):
            raise


def scan_all(client):
    items = all_items(client.scan, TableName=TABLE, ConsistentRead=True)
    return {item["pk"]["S"]: item for item in items}


def index_pks(client):
    return {item["pk"]["S"] for item in all_items(
        client.query, TableName=TABLE, IndexName="by-g", KeyConditionExpression="g = :g",
        ExpressionAttributeValues={":g": S("g")})}


def check(server, acknowledged, poller, replayed):
    client = server.client()
    items = scan_all(client)
    missing = acknowledged.items - set(items)
    assert not missing, "acknowledged writes lost: %s" % sorted(missing)[:5]
    for number, value in acknowledged.counters.items():
        stored = int(items["counter#%d" % number]["c"]["N"])
        assert value <= stored <= acknowledged.counter_attempts[number], number
    ledgers = {pk: item for pk, item in items.items() if pk.startswith("ledger#")}
    assert acknowledged.transfers <= set(ledgers)
    # Every ledger entry present moved exactly its unit: a half-applied transaction breaks this.
    expected = [OPENING_BALANCE] * ACCOUNTS
    for entry in ledgers.values():
        expected[int(entry["from"]["N"])] -= 1
        expected[int(entry["to"]["N"])] += 1
    balances = [int(items["account#%d" % a]["balance"]["N"]) for a in range(ACCOUNTS)]
    assert balances == expected
    assert index_pks(client) == {pk for pk, item in items.items() if "g" in item}

    def apply(records):
        for record in records:
            pk = record["dynamodb"]["Keys"]["pk"]["S"]
            if record["eventName"] == "REMOVE":
                replayed.pop(pk, None)
            else:
                replayed[pk] = record["dynamodb"]["NewImage"]
    poller.streams = server.streams()
    poller.iterators.clear()  # iterators do not outlive the process that gave them
    poller.poll(apply)
    assert replayed == items, "the stream disagrees with the table"


def integrity_check(db_path):
    for name in os.listdir(db_path):
        if name.endswith(".db"):
            db = sqlite3.connect(os.path.join(db_path, name))
            try:
                assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)], name
            finally:
                db.close()  # an open connection would keep eddy from locking the file


@pytest.mark.slow
def test_acknowledged_writes_survive_repeated_kill_9(make_server, tmp_path):
    seed = int(os.environ.get("EDDY_CRASH_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    db_path = tmp_path / "db"
    db_path.mkdir()
    server = make_server(db_path=db_path, shared_db=True)
    server.start()
    create_table(server.client())
    stream_arn = server.client().describe_table(TableName=TABLE)["Table"]["LatestStreamArn"]
    poller, replayed = StreamPoller(server.streams(), stream_arn), {}
    acknowledged = Acknowledged()
    for round_number in range(KILLS):
        stop = threading.Event()
        # Clients are made here: botocore's session set-up is not thread-safe.
        threads = [threading.Thread(target=writer, args=(
            make_client(server.endpoint), number, round_number, acknowledged, stop,
            random.Random(rng.random()))) for number in range(WRITERS)]
        for thread in threads:
            thread.start()
        time.sleep(rng.uniform(0.05, 0.5))
        server.kill()
        stop.set()
        for thread in threads:
            thread.join(30)
        integrity_check(str(db_path))
        server.start()
        check(server, acknowledged, poller, replayed)
    print("crash safety: %d kills survived (seed %d), %d items, %d transfers acknowledged"
          % (KILLS, seed, len(acknowledged.items), len(acknowledged.transfers)))
    assert len(acknowledged.transfers) > KILLS  # the writers did get work done between kills
