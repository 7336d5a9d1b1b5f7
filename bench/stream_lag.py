#!/usr/bin/python3
"""How long after PutItem is acknowledged its stream record comes back from GetRecords.

A writer thread puts items at a steady rate on a table with a NEW_AND_OLD_IMAGES stream and
notes when each put was acknowledged; a reader thread polls GetRecords back to back on the open
shard (as a Lambda poller or the KCL does, without their sleep) and notes when each record
arrives. The lag is arrival minus acknowledgement; a record that arrives before its put's
acknowledgement counts as 0. Both threads use boto3, so the figures are what an SDK user sees.
Prints one JSON line: p50/p90/p99/max in ms and how many records were matched.

    bench/stream_lag.py --endpoint http://127.0.0.1:8000 --label eddy-mem [--seconds 10]
"""
import argparse
import json
import threading
import time

import boto3
import botocore.config

CONFIG = botocore.config.Config(retries={"total_max_attempts": 1}, connect_timeout=5,
                                read_timeout=30)


def client(service, endpoint):
    return boto3.session.Session().client(
        service, endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="bench",
        aws_secret_access_key="bench", config=CONFIG)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--label", default="")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=200.0, help="puts per second")
    parser.add_argument("--table", default="bench-stream-lag")
    args = parser.parse_args()

    ddb = client("dynamodb", args.endpoint)
    streams = client("dynamodbstreams", args.endpoint)
    arn = ddb.create_table(
        TableName=args.table, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )["TableDescription"]["LatestStreamArn"]
    deadline = time.monotonic() + 30
    while ddb.describe_table(TableName=args.table)["Table"]["TableStatus"] != "ACTIVE":
        if time.monotonic() > deadline:
            raise SystemExit("table did not become ACTIVE")
        time.sleep(0.05)
    shards = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
    open_shard = [s for s in shards if "EndingSequenceNumber" not in s["SequenceNumberRange"]][-1]
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=open_shard["ShardId"],
                                          ShardIteratorType="LATEST")["ShardIterator"]

    acknowledged, arrived = {}, {}
    writing = threading.Event()
    writing.set()

    def write():
        interval = 1.0 / args.rate
        next_at = time.monotonic()
        i = 0
        end = time.monotonic() + args.seconds
        while time.monotonic() < end:
            key = "k%07d" % i
            ddb.put_item(TableName=args.table, Item={"pk": {"S": key}, "v": {"N": str(i)}})
            acknowledged[key] = time.monotonic()
            i += 1
            next_at += interval
            pause = next_at - time.monotonic()
            if pause > 0:
                time.sleep(pause)
        writing.clear()

    writer = threading.Thread(target=write)
    writer.start()
    quiet_after_writing = 0
    while quiet_after_writing < 20:
        page = streams.get_records(ShardIterator=iterator, Limit=1000)
        now = time.monotonic()
        for record in page["Records"]:
            arrived.setdefault(record["dynamodb"]["Keys"]["pk"]["S"], now)
        iterator = page["NextShardIterator"]
        if not writing.is_set():
            quiet_after_writing = 0 if page["Records"] else quiet_after_writing + 1
    writer.join()

    lags = [max(0.0, arrived[key] - at) * 1000 for key, at in acknowledged.items()
            if key in arrived]
    result = {"label": args.label, "measure": "stream_lag", "puts": len(acknowledged),
              "records_matched": len(lags), "missing": len(acknowledged) - len(lags)}
    if lags:
        result.update(p50_ms=round(percentile(lags, 0.50), 2),
                      p90_ms=round(percentile(lags, 0.90), 2),
                      p99_ms=round(percentile(lags, 0.99), 2), max_ms=round(max(lags), 2))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
