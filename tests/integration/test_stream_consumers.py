"""Stream consumers as applications run them: pollers reading while writers write, from
TRIM_HORIZON and from LATEST, and the seeds' stream Lambda (Pattern E) run as a poller."""
import threading
import time

import pytest

from eddy_helpers import (S, create_streamed_table, create_table, cruddur_messages_spec,
                          unique_name)
from stream_poller import StreamPoller

KEYS = ["k%d" % i for i in range(8)]


def streamed_table(ddb, view_type):
    return create_streamed_table(ddb, view_type, prefix="consumed")


def run_writers(client_factory, name, writers=3, per_writer=40):
    """Puts, updates and deletes on a few shared keys from several threads."""
    def work(w):
        client = client_factory()
        for i in range(per_writer):
            key = {"pk": S(KEYS[(w * 7 + i) % len(KEYS)])}
            step = i % 3
            if step == 0:
                client.put_item(TableName=name, Item={**key, "v": {"N": str(i)}, "w": S(str(w))})
            elif step == 1:
                client.update_item(TableName=name, Key=key, UpdateExpression="ADD v :one",
                                   ExpressionAttributeValues={":one": {"N": "1"}})
            else:
                client.delete_item(TableName=name, Key=key)
    threads = [threading.Thread(target=work, args=(w,)) for w in range(writers)]
    for t in threads:
        t.start()
    return threads


def consume_until(poller, records, done, quiet_polls=3):
    """Polls until done() and a few polls in a row find nothing more."""
    quiet = 0
    while quiet < quiet_polls:
        got = poller.poll(records.extend)
        quiet = quiet + 1 if (got == 0 and done()) else 0
        if got == 0:
            time.sleep(0.01)


@pytest.mark.parametrize("view_type", ["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE",
                                       "NEW_AND_OLD_IMAGES"])
def test_pollers_see_every_change_once_in_order_while_writers_run(server, ddb, client_factory,
                                                                  view_type):
    name, arn = streamed_table(ddb, view_type)
    ddb.put_item(TableName=name, Item={"pk": S("before-latest")})
    from_start, from_latest = [], []
    horizon = StreamPoller(server.streams(), arn, "TRIM_HORIZON")
    latest = StreamPoller(server.streams(), arn, "LATEST")
    latest.poll(from_latest.extend)               # positions LATEST before the writers start
    writers = run_writers(client_factory, name)
    done = lambda: not any(t.is_alive() for t in writers)  # noqa: E731
    consumers = [threading.Thread(target=consume_until, args=(p, out, done))
                 for p, out in ((horizon, from_start), (latest, from_latest))]
    for t in consumers:
        t.start()
    for t in writers + consumers:
        t.join()

    numbers = [int(r["dynamodb"]["SequenceNumber"]) for r in from_start]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    assert from_start[0]["dynamodb"]["Keys"] == {"pk": S("before-latest")}
    # LATEST sees exactly what was written after it was taken
    assert from_latest == from_start[1:]

    # Replaying the records gives the table's final state; event names follow the item's
    # life, and each image is the item before/after that change.
    wants_new = view_type in ("NEW_IMAGE", "NEW_AND_OLD_IMAGES")
    wants_old = view_type in ("OLD_IMAGE", "NEW_AND_OLD_IMAGES")
    state = {"before-latest": {"pk": S("before-latest")}}
    for record in from_start[1:]:
        d = record["dynamodb"]
        key = d["Keys"]["pk"]["S"]
        event = record["eventName"]
        assert event in (("MODIFY", "REMOVE") if key in state else ("INSERT",))
        assert ("OldImage" in d) == (wants_old and event != "INSERT")
        assert ("NewImage" in d) == (wants_new and event != "REMOVE")
        if wants_old and wants_new:
            assert d["OldImage"] == state[key] if event != "INSERT" else True
        if event == "REMOVE":
            del state[key]
        else:
            state[key] = d.get("NewImage")
    final = {item["pk"]["S"]: item
             for item in ddb.scan(TableName=name, ConsistentRead=True)["Items"]}
    assert set(state) == set(final)
    if wants_new:
        assert state == final


def seeds_lambda_handler(table, event):
    """The seeds' cruddur-messaging-stream function (Pattern E), as the bootcamp wrote it, with
    its boto3 resource Table passed in."""
    from boto3.dynamodb.conditions import Key
    eventName = event['Records'][0]['eventName']
    if (eventName == 'REMOVE'):
        return
    pk = event['Records'][0]['dynamodb']['Keys']['pk']['S']
    sk = event['Records'][0]['dynamodb']['Keys']['sk']['S']
    if pk.startswith('MSG#'):
        group_uuid = pk.replace("MSG#", "")
        message = event['Records'][0]['dynamodb']['NewImage']['message']['S']
        data = table.query(
            IndexName='message-group-sk-index',
            KeyConditionExpression=Key('message_group_uuid').eq(group_uuid)
        )
        for i in data['Items']:
            table.delete_item(Key={'pk': i['pk'], 'sk': i['sk']})
            table.put_item(
                Item={
                    'pk': i['pk'],
                    'sk': sk,
                    'message_group_uuid': i['message_group_uuid'],
                    'message': message,
                    'user_display_name': i['user_display_name'],
                    'user_handle': i['user_handle'],
                    'user_uuid': i['user_uuid']
                }
            )


def test_the_seeds_stream_lambda_keeps_conversation_lists_fresh(server, ddb_resource):
    name = unique_name("cruddur-messages")
    client = ddb_resource.meta.client
    spec = cruddur_messages_spec(name)
    spec["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    arn = create_table(client, spec)["TableDescription"]["LatestStreamArn"]
    table = ddb_resource.Table(name)
    group, andrew, bayko = "5ae290ed-55d1-47a0-bc6d-fe2bc2700399", "uuid-andrew", "uuid-bayko"
    for me, other, handle in ((andrew, bayko, "bayko"), (bayko, andrew, "andrewbrown")):
        table.put_item(Item={
            "pk": "GRP#" + me, "sk": "2023-03-01T00:00:00+00:00", "message_group_uuid": group,
            "message": "first words", "user_uuid": other, "user_display_name": handle.title(),
            "user_handle": handle})
    poller = StreamPoller(server.streams(), arn, "LATEST")
    poller.poll(lambda records: None)
    # Lambda hands its function a batch; the seeds' function reads only Records[0], so the
    # poller hands it one record at a time.
    handle = lambda records: [seeds_lambda_handler(table, {"Records": [r]})  # noqa: E731
                              for r in records]
    for minute, text in enumerate(["Are you ready?", "Yes!", "Let's go."]):
        created = "2023-03-02T10:%02d:00+00:00" % minute
        table.put_item(Item={"pk": "MSG#" + group, "sk": created, "message": text,
                             "message_uuid": "m%d" % minute, "user_uuid": andrew,
                             "user_display_name": "Andrew Brown",
                             "user_handle": "andrewbrown"})
        while poller.poll(handle):
            pass
        for me in (andrew, bayko):
            (row,) = table.query(KeyConditionExpression="pk = :pk",
                                 ExpressionAttributeValues={":pk": "GRP#" + me},
                                 ConsistentRead=True)["Items"]
            assert (row["sk"], row["message"]) == (created, text)
