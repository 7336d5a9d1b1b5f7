"""Load: many clients racing for one item with conditional updates, and a thousand connections
with requests in flight at once. (Memory under five minutes of sustained load is tests/load/soak,
a ctest entry of its own.)"""
import json
import os
import socket
import threading
import time

import botocore.exceptions
import pytest

from eddy_helpers import S, create_table, hash_table_spec, make_client
from test_http_abuse import Responses, request_bytes

RACE_SECONDS = float(os.environ.get("EDDY_RACE_SECONDS", "30"))


@pytest.mark.slow
def test_16_connections_racing_conditional_updates_lose_nothing(fresh_server):
    """Optimistic locking as applications do it: read the version, update on condition that it
    is unchanged. Every version number must be granted exactly once, the counter must equal the
    successful updates, and the only refusal ever seen is ConditionalCheckFailedException."""
    setup = make_client(fresh_server.endpoint)
    create_table(setup, hash_table_spec("race"))
    key = {"pk": S("contended")}
    setup.put_item(TableName="race", Item={**key, "version": {"N": "0"}, "count": {"N": "0"}})
    clients = [make_client(fresh_server.endpoint) for _ in range(16)]  # one connection each
    granted, conflicts, surprises = [[] for _ in clients], [0] * 16, []
    deadline = time.monotonic() + RACE_SECONDS

    def race(worker):
        client = clients[worker]
        while time.monotonic() < deadline:
            current = client.get_item(TableName="race", Key=key,
                                      ConsistentRead=True)["Item"]["version"]["N"]
            try:
                result = client.update_item(
                    TableName="race", Key=key,
                    UpdateExpression="SET #v = :next, #c = #c + :one",
                    ConditionExpression="#v = :current",
                    ExpressionAttributeNames={"#v": "version", "#c": "count"},
                    ExpressionAttributeValues={":current": {"N": current},
                                               ":next": {"N": str(int(current) + 1)},
                                               ":one": {"N": "1"}},
                    ReturnValues="UPDATED_NEW")
                granted[worker].append(int(result["Attributes"]["version"]["N"]))
            except botocore.exceptions.ClientError as error:
                if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                    conflicts[worker] += 1
                else:
                    surprises.append(error.response["Error"])
            except Exception as error:  # a dropped connection, a timeout: all are failures
                surprises.append(repr(error))

    threads = [threading.Thread(target=race, args=(i,)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert surprises == []
    versions = sorted(v for worker in granted for v in worker)
    assert versions == list(range(1, len(versions) + 1)), "a version was granted twice or lost"
    item = setup.get_item(TableName="race", Key=key, ConsistentRead=True)["Item"]
    assert int(item["count"]["N"]) == int(item["version"]["N"]) == len(versions)
    assert sum(conflicts) > 0 and all(granted), (sum(conflicts), [len(g) for g in granted])
    print("race: %d updates granted, %d conditional check failures, %.0f s"
          % (len(versions), sum(conflicts), RACE_SECONDS))


def test_a_thousand_connections_with_requests_in_flight_at_once(fresh_server):
    client = make_client(fresh_server.endpoint)
    create_table(client, hash_table_spec("crowd"))
    sockets = [socket.create_connection(("127.0.0.1", fresh_server.port)) for _ in range(1000)]
    readers = [Responses(sock) for sock in sockets]
    for sock in sockets:
        sock.settimeout(60)
    for round_number in range(3):
        # Each connection writes its own item, then reads it back; all 1 000 requests of a step
        # are sent before any answer is read.
        for i, sock in enumerate(sockets):
            sock.sendall(request_bytes("PutItem", {"TableName": "crowd", "Item": {
                "pk": S("conn-%d" % i), "round": {"N": str(round_number)}}}))
        assert all(reader.next()[0] == 200 for reader in readers)
        for i, sock in enumerate(sockets):
            sock.sendall(request_bytes("GetItem", {"TableName": "crowd",
                                                   "Key": {"pk": S("conn-%d" % i)}}))
        for i, reader in enumerate(readers):
            status, body = reader.next()
            item = json.loads(body)["Item"]
            assert status == 200 and item == {"pk": S("conn-%d" % i),
                                              "round": {"N": str(round_number)}}
    for sock in sockets:
        sock.close()
    assert fresh_server.running()
