"""SIGTERM and SIGINT: eddy stops accepting, answers the requests it already has, checkpoints
the WAL into the database file and exits 0; everything it acknowledged is there next time."""
import http.client
import json
import os
import signal
import socket
import threading
import time

import pytest

from eddy_helpers import (AMZ_DATE, AUTH_HEADER, TARGET_PREFIX, S, all_items, create_table,
                          hash_table_spec, unique_name)


def batch_body(table, prefix, size):
    return json.dumps({"RequestItems": {table: [
        {"PutRequest": {"Item": {"pk": S("%s-%d" % (prefix, i)), "blob": S("x" * size)}}}
        for i in range(25)]}}).encode()


def stored_keys(client, table):
    return {item["pk"]["S"] for item in all_items(client.scan, TableName=table)}


def send_without_reading(port, body):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("POST", "/", body=body, headers={
        "Content-Type": "application/x-amz-json-1.0",
        "X-Amz-Target": TARGET_PREFIX + "BatchWriteItem",
        "Authorization": AUTH_HEADER, "X-Amz-Date": AMZ_DATE})
    return connection


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_stop_answers_requests_in_hand_and_exits_cleanly(disk_server, tmp_path, sig):
    table = unique_name("shutdown")
    create_table(disk_server.client(), hash_table_spec(table))
    # Eight large batches (8 x 25 x 40 KB) sent at once; the signal comes while eddy works.
    connections = [send_without_reading(disk_server.port, batch_body(table, "c%d" % n, 40_000))
                   for n in range(8)]
    disk_server.proc.send_signal(sig)
    answers = []
    for connection in connections:
        response = connection.getresponse()
        answers.append((response.status, json.loads(response.read())))
        connection.close()
    assert disk_server.proc.wait(10) == 0
    assert all(answer == (200, {"UnprocessedItems": {}}) for answer in answers), answers
    db = str(tmp_path / "db")
    wal = [name for name in os.listdir(db) if name.endswith("-wal")]
    assert all(os.path.getsize(os.path.join(db, name)) == 0 for name in wal), wal
    disk_server.start()
    assert len(stored_keys(disk_server.client(), table)) == 8 * 25


def test_no_new_connections_after_the_signal(disk_server):
    idle = socket.create_connection(("127.0.0.1", disk_server.port))
    disk_server.proc.send_signal(signal.SIGTERM)
    assert disk_server.proc.wait(10) == 0
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", disk_server.port), timeout=1)
    # An idle keep-alive connection is closed, not left hanging.
    idle.settimeout(5)
    assert idle.recv(1) == b""
    idle.close()


def test_writers_busy_at_the_signal_lose_nothing_acknowledged(disk_server):
    table = unique_name("shutdown")
    create_table(disk_server.client(), hash_table_spec(table))
    acknowledged, stop = [], threading.Event()

    def writer(number, client):
        step = 0
        while not stop.is_set():
            step += 1
            try:
                client.put_item(TableName=table, Item={"pk": S("w%d-%d" % (number, step))})
            except Exception:  # noqa: BLE001 - refused once eddy stops accepting
                return
            acknowledged.append("w%d-%d" % (number, step))

    # Clients are made here: botocore's session set-up is not thread-safe.
    threads = [threading.Thread(target=writer, args=(n, disk_server.client())) for n in range(8)]
    for thread in threads:
        thread.start()
    time.sleep(0.3)
    assert disk_server.stop() == 0
    stop.set()
    for thread in threads:
        thread.join(10)
    disk_server.start()
    assert len(acknowledged) > 50
    assert set(acknowledged) <= stored_keys(disk_server.client(), table)
