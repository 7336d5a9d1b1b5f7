#!/usr/bin/python3
"""Writes tests/unit/data/sigv4_vectors.json: requests like the ones Cruddur's client sends, signed
by Debian's python3-botocore (the AWS SDK for Python's own SigV4 code) at fixed times. Cruddur's
signer must produce the same canonical request and Authorization header for each.

    tests/tools/make_sigv4_vectors.py > tests/unit/data/sigv4_vectors.json
"""
import datetime
import json
from unittest import mock

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

CASES = [
    # (endpoint, target, body, region, service, access key, secret, token, time)
    ("http://localhost:8000", "DynamoDB_20120810.ListTables", "{}", "us-east-1", "dynamodb",
     "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None,
     datetime.datetime(2026, 11, 21, 8, 0, 0)),
    ("https://dynamodb.eu-west-2.amazonaws.com", "DynamoDB_20120810.PutItem",
     '{"TableName":"cruddur-messages","Item":{"pk":{"S":"MSG#1"},"sk":{"S":"2026"},'
     '"message":{"S":"caf\u00e9 \u2603 \U0001F600"}}}', "eu-west-2", "dynamodb",
     "AKIAIOSFODNN7EXAMPLE", "secret/with+slashes", None,
     datetime.datetime(2023, 3, 1, 23, 59, 59)),
    ("https://dynamodb.ca-central-1.amazonaws.com", "DynamoDB_20120810.Query",
     '{"TableName":"cruddur-messages","KeyConditionExpression":"pk = :pk"}', "ca-central-1",
     "dynamodb", "ASIAEXAMPLE", "temporary-secret", "FwoGZXIvYXdzEXAMPLE//token==",
     datetime.datetime(2024, 2, 29, 12, 30, 5)),
    ("http://127.0.0.1:8000", "DynamoDBStreams_20120810.GetRecords",
     '{"ShardIterator":"arn|shard|1|2|3"}', "us-east-1", "dynamodb", "cruddur", "cruddur",
     None, datetime.datetime(2026, 1, 1, 0, 0, 0)),
    ("http://localhost:8000", "DynamoDB_20120810.DescribeTable", "", "us-west-2", "dynamodb",
     "AKID", "s", None, datetime.datetime(2030, 12, 31, 23, 0, 0)),
]


def sign(endpoint, target, body, region, service, access, secret, token, when):
    request = AWSRequest(method="POST", url=endpoint + "/", data=body.encode("utf-8"),
                         headers={"Content-Type": "application/x-amz-json-1.0",
                                  "X-Amz-Target": target})
    auth = SigV4Auth(Credentials(access, secret, token), service, region)
    with mock.patch("botocore.auth.datetime") as clock:
        clock.datetime.utcnow.return_value = when
        clock.datetime.now.return_value = when.replace(tzinfo=datetime.timezone.utc)
        auth.add_auth(request)
        authorization = request.headers["Authorization"]
        del request.headers["Authorization"]   # what was signed had none
        canonical = auth.canonical_request(request)
    headers = dict(request.headers.items())
    headers["Host"] = endpoint.split("://", 1)[1]
    return {"endpoint": endpoint, "headers": headers, "body": body, "region": region,
            "service": service, "access_key_id": access, "secret_access_key": secret,
            "session_token": token or "", "canonical_request": canonical,
            "authorization": authorization}


if __name__ == "__main__":
    print(json.dumps([sign(*case) for case in CASES], indent=1, ensure_ascii=False))
