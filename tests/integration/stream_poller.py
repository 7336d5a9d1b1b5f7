"""A stream consumer written the way the Kinesis Client Library and Lambda's poller work: list
the shards, read each from its checkpoint (or TRIM_HORIZON / LATEST), move on to a shard's
children once it is closed and drained, and checkpoint the last sequence number handled. Only
the public boto3 dynamodbstreams API is used, so it runs unchanged against AWS."""
from botocore.exceptions import ClientError


class StreamPoller:
    def __init__(self, streams, stream_arn, start="TRIM_HORIZON"):
        self.streams = streams
        self.arn = stream_arn
        self.start = start
        self.checkpoints = {}      # shard id -> last sequence number handled
        self.finished = set()      # closed shards read to their end
        self.iterators = {}        # shard id -> next iterator
        self.polled = False        # a first pass has been made
        self.start_types = {}      # shard id -> how it was first opened

    def shards(self):
        shards, start = [], None
        while True:
            kw = {"StreamArn": self.arn}
            if start:
                kw["ExclusiveStartShardId"] = start
            desc = self.streams.describe_stream(**kw)["StreamDescription"]
            shards += desc["Shards"]
            start = desc.get("LastEvaluatedShardId")
            if not start:
                return shards

    def _iterator(self, shard, first_pass):
        shard_id = shard["ShardId"]
        if shard_id in self.iterators:
            return self.iterators[shard_id]
        kw = {"StreamArn": self.arn, "ShardId": shard_id}
        if shard_id in self.checkpoints:
            kw.update(ShardIteratorType="AFTER_SEQUENCE_NUMBER",
                      SequenceNumber=self.checkpoints[shard_id])
        else:
            # A shard met after the first pass is a child: read it from its start.
            default = self.start if first_pass else "TRIM_HORIZON"
            kw["ShardIteratorType"] = self.start_types.setdefault(shard_id, default)
        return self.streams.get_shard_iterator(**kw)["ShardIterator"]

    def poll(self, handle, limit=100):
        """Reads what is there now from every readable shard, parents before children;
        handle(records) gets each non-empty page. Returns the number of records handled."""
        handled = 0
        shards = self.shards()
        known = {s["ShardId"] for s in shards}
        first_pass = not self.polled
        for shard in shards:
            shard_id = shard["ShardId"]
            parent = shard.get("ParentShardId")
            if shard_id in self.finished:
                continue
            # A child waits for its parent to be drained (unless the parent is gone).
            if parent in known and parent not in self.finished:
                continue
            if first_pass and self.start == "LATEST" and \
                    "EndingSequenceNumber" in shard["SequenceNumberRange"]:
                self.finished.add(shard_id)      # LATEST starts in the open shard
                continue
            iterator = self._iterator(shard, first_pass)
            while iterator:
                try:
                    page = self.streams.get_records(ShardIterator=iterator, Limit=limit)
                except ClientError as error:
                    if error.response["Error"]["Code"] != "ExpiredIteratorException":
                        raise
                    # Iterators live 15 minutes: start again from the checkpoint.
                    self.iterators.pop(shard_id, None)
                    iterator = self._iterator(shard, first_pass)
                    continue
                records = page["Records"]
                if records:
                    handle(records)
                    handled += len(records)
                    self.checkpoints[shard_id] = records[-1]["dynamodb"]["SequenceNumber"]
                iterator = page.get("NextShardIterator")
                if not records:
                    break
            if iterator is None:
                self.finished.add(shard_id)
                self.iterators.pop(shard_id, None)
            else:
                self.iterators[shard_id] = iterator
        self.polled = True
        return handled
