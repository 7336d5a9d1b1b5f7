"""Strict mode: eddy -credentials FILE checks every SigV4 signature, in the Authorization header
and in presigned URLs, against the file's keys, and refuses the rest as DynamoDB does."""
import contextlib
import datetime
import hashlib
import http.client
import json
import re
import types
import urllib.parse
from unittest import mock

import boto3
import botocore.auth
import botocore.awsrequest
import botocore.credentials
import botocore.exceptions
import pytest

try:
    import botocore.crt.auth as crt_auth
except ImportError:
    crt_auth = None

from eddy_helpers import (AMZ_DATE, EddyServer, assert_client_error, make_client, raw_request,
                          run_aws, unique_name)

KEY, SECRET = "AKIDSTRICTEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TEMP_KEY, TEMP_SECRET, TOKEN = "ASIATEMPORARY", "temporary-secret", "FwoGZXIvYXdzEXAMPLETOKEN"
BAD_SIGNATURE = ("The request signature we calculated does not match the signature you "
                 "provided. Check your AWS Secret Access Key and signing method. Consult the "
                 "service documentation for details.")
BAD_TOKEN = "The security token included in the request is invalid."
CREDENTIALS_FILE = """\
# keys eddy accepts
[default]
aws_access_key_id = %s
aws_secret_access_key = %s

[ci]
aws_access_key_id=%s
aws_secret_access_key=%s
aws_session_token=%s
""" % (KEY, SECRET, TEMP_KEY, TEMP_SECRET, TOKEN)


@pytest.fixture(scope="module")
def strict(tmp_path_factory):
    path = tmp_path_factory.mktemp("strict") / "credentials"
    path.write_text(CREDENTIALS_FILE)
    server = EddyServer(in_memory=True, shared_db=True, extra_args=["-credentials", str(path)])
    try:
        server.start()
        client = make_client(server.endpoint, access_key=KEY, secret_key=SECRET)
        table = unique_name("strict")
        client.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                            StreamSpecification={"StreamEnabled": True,
                                                 "StreamViewType": "KEYS_ONLY"})
        server.table = table
        server.good = client
        yield server
    finally:
        server.cleanup()


def item_count(strict):
    return strict.good.scan(TableName=strict.table, Select="COUNT")["Count"]


def put(client, strict, pk):
    client.put_item(TableName=strict.table, Item={"pk": {"S": pk}})


class SkewedClock(datetime.datetime):
    """botocore signs at utcnow(); this one runs `offset` away from the real clock."""
    offset = datetime.timedelta()

    @classmethod
    def utcnow(cls):
        return datetime.datetime.utcnow() + cls.offset


@contextlib.contextmanager
def signing_skewed_by(offset):
    """Both of botocore's signers: its own and, when python3-awscrt is installed (the AWS CLI
    brings it), the AWS CRT's, which boto3 then prefers."""
    SkewedClock.offset = offset
    clock = types.SimpleNamespace(datetime=SkewedClock, timezone=datetime.timezone)
    with contextlib.ExitStack() as patches:
        patches.enter_context(mock.patch.object(botocore.auth, "datetime", clock))
        if crt_auth is not None:
            patches.enter_context(mock.patch.object(crt_auth, "datetime", clock))
        yield


def temporary_client(strict, token):
    return boto3.session.Session().client(
        "dynamodb", endpoint_url=strict.endpoint, region_name="us-east-1",
        aws_access_key_id=TEMP_KEY, aws_secret_access_key=TEMP_SECRET, aws_session_token=token)


def test_the_right_keys_read_and_write(strict):
    put(strict.good, strict, "right-key")
    assert strict.good.get_item(TableName=strict.table, Key={"pk": {"S": "right-key"}})["Item"]
    temporary = temporary_client(strict, TOKEN)
    put(temporary, strict, "temporary-key")
    assert strict.good.get_item(TableName=strict.table,
                                Key={"pk": {"S": "temporary-key"}})["Item"]


def test_an_unknown_access_key_is_refused_and_writes_nothing(strict):
    before = item_count(strict)
    stranger = make_client(strict.endpoint, access_key="AKIDSTRANGER", secret_key=SECRET)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        put(stranger, strict, "stranger")
    assert_client_error(excinfo, "UnrecognizedClientException", BAD_TOKEN)
    assert item_count(strict) == before


def test_a_wrong_secret_is_refused_and_writes_nothing(strict):
    before = item_count(strict)
    impostor = make_client(strict.endpoint, access_key=KEY, secret_key=SECRET + "x")
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        put(impostor, strict, "impostor")
    assert_client_error(excinfo, "InvalidSignatureException", BAD_SIGNATURE)
    assert item_count(strict) == before


def test_a_missing_or_wrong_session_token_is_refused(strict):
    temporary = make_client(strict.endpoint, access_key=TEMP_KEY, secret_key=TEMP_SECRET)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        put(temporary, strict, "no-token")
    assert_client_error(excinfo, "UnrecognizedClientException", BAD_TOKEN)
    temporary = temporary_client(strict, "stolen")
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        put(temporary, strict, "wrong-token")
    assert_client_error(excinfo, "UnrecognizedClientException", BAD_TOKEN)


def test_an_unsigned_request_is_missing_its_token(strict):
    response = raw_request(strict.host, strict.port, "ListTables", {}, auth=False)
    assert response.status == 400
    assert response.json() == {
        "__type": "com.amazon.coral.service#MissingAuthenticationTokenException",
        "message": "Request is missing Authentication Token"}


def test_a_body_changed_after_signing_is_refused(strict):
    request = botocore.awsrequest.AWSRequest(
        method="POST", url=strict.endpoint + "/",
        headers={"X-Amz-Target": "DynamoDB_20120810.PutItem",
                 "Content-Type": "application/x-amz-json-1.0"},
        data=json.dumps({"TableName": strict.table, "Item": {"pk": {"S": "signed"}}}))
    botocore.auth.SigV4Auth(botocore.credentials.Credentials(KEY, SECRET), "dynamodb",
                            "us-east-1").add_auth(request)
    headers = dict(request.headers)
    tampered = json.dumps({"TableName": strict.table, "Item": {"pk": {"S": "tampered"}}})
    response = raw_request(strict.host, strict.port, body=tampered, auth=False, headers=headers,
                           content_type=None)
    assert response.status == 400, response
    assert response.json()["__type"] == "com.amazon.coral.service#InvalidSignatureException"
    response = raw_request(strict.host, strict.port, body=request.body, auth=False,
                           headers=headers, content_type=None)
    assert response.status == 200, response
    assert strict.good.get_item(TableName=strict.table, Key={"pk": {"S": "signed"}})["Item"]
    assert "Item" not in strict.good.get_item(TableName=strict.table,
                                              Key={"pk": {"S": "tampered"}})


@pytest.mark.parametrize("minutes, accepted", [(-20, False), (-14, True), (14, True),
                                               (20, False)])
def test_signatures_must_be_within_15_minutes_of_the_clock(strict, minutes, accepted):
    client = make_client(strict.endpoint, access_key=KEY, secret_key=SECRET)
    with signing_skewed_by(datetime.timedelta(minutes=minutes)):
        if accepted:
            client.list_tables()
            return
        with pytest.raises(botocore.exceptions.ClientError) as excinfo:
            client.list_tables()
    error = excinfo.value.response["Error"]
    assert error["Code"] == "InvalidSignatureException"
    stamp = r"(\d{8}T\d{6}Z)"
    if minutes < 0:
        pattern = r"Signature expired: %s is now earlier than %s \(%s - 15 min\.\)$" % (
            (stamp,) * 3)
    else:
        pattern = r"Signature not yet current: %s is still later than %s \(%s \+ 15 min\.\)$" % (
            (stamp,) * 3)
    match = re.match(pattern, error["Message"])
    assert match, error["Message"]
    signed, bound, now = (datetime.datetime.strptime(g, "%Y%m%dT%H%M%SZ") for g in match.groups())
    assert abs((now - datetime.datetime.utcnow()).total_seconds()) < 60
    assert bound - now == datetime.timedelta(minutes=15 if minutes > 0 else -15)
    assert abs((signed - now).total_seconds() - minutes * 60) < 60


def presigned(strict, operation, body, *, secret=SECRET, expires=300, offset=None):
    """A presigned (query-string) request signed by botocore: the signature and its date are in
    the URL, not in headers."""
    body = json.dumps(body).encode()
    # The JSON body stays a body (botocore's presigner would move it into the query string, which
    # DynamoDB does not read); its hash, signed as a header, is what eddy compares.
    request = botocore.awsrequest.AWSRequest(
        method="POST", url=strict.endpoint + "/",
        headers={"X-Amz-Target": "DynamoDB_20120810." + operation,
                 "Content-Type": "application/x-amz-json-1.0",
                 "X-Amz-Content-SHA256": hashlib.sha256(body).hexdigest()})
    signer = botocore.auth.SigV4QueryAuth(botocore.credentials.Credentials(KEY, secret),
                                          "dynamodb", "us-east-1", expires=expires)
    with signing_skewed_by(offset or datetime.timedelta()):
        signer.add_auth(request)
    url = urllib.parse.urlsplit(request.url)
    assert "X-Amz-Signature=" in url.query
    connection = http.client.HTTPConnection(strict.host, strict.port, timeout=30)
    try:
        connection.request("POST", url.path + "?" + url.query, body=body,
                           headers=dict(request.headers))
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def test_presigned_requests_are_checked(strict):
    status, body = presigned(strict, "PutItem",
                             {"TableName": strict.table, "Item": {"pk": {"S": "presigned"}}})
    assert status == 200, body
    assert strict.good.get_item(TableName=strict.table, Key={"pk": {"S": "presigned"}})["Item"]

    status, body = presigned(strict, "ListTables", {}, secret="wrong")
    assert (status, body) == (400, {
        "__type": "com.amazon.coral.service#InvalidSignatureException", "message": BAD_SIGNATURE})

    status, body = presigned(strict, "ListTables", {}, expires=60,
                             offset=datetime.timedelta(minutes=-2))
    assert status == 400
    assert body["__type"] == "com.amazon.coral.service#InvalidSignatureException"
    assert re.match(r"Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z "
                    r"\(\d{8}T\d{6}Z - 60 sec\.\)$", body["message"]), body


def test_the_streams_api_is_guarded_too(strict):
    client = boto3.session.Session().client(
        "dynamodbstreams", endpoint_url=strict.endpoint, region_name="us-east-1",
        aws_access_key_id="AKIDSTRANGER", aws_secret_access_key=SECRET)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        client.list_streams()
    assert_client_error(excinfo, "UnrecognizedClientException", BAD_TOKEN)


def test_aws_cli_with_right_and_wrong_keys(strict):
    rc, out, err = run_aws(strict.endpoint, "dynamodb", "list-tables", access_key=KEY,
                           secret_key=SECRET)
    assert rc == 0, err
    assert strict.table in json.loads(out)["TableNames"]
    rc, out, err = run_aws(strict.endpoint, "dynamodb", "list-tables", access_key=KEY,
                           secret_key="wrong")
    assert rc == 254
    assert "(InvalidSignatureException) when calling the ListTables operation" in err
    assert BAD_SIGNATURE in err
    rc, out, err = run_aws(strict.endpoint, "dynamodb", "put-item", "--table-name", strict.table,
                           "--item", '{"pk": {"S": "cli-stranger"}}', access_key="AKIDSTRANGER",
                           secret_key=SECRET)
    assert rc == 254
    assert "(UnrecognizedClientException) when calling the PutItem operation" in err
    assert BAD_TOKEN in err
    assert "Item" not in strict.good.get_item(TableName=strict.table,
                                              Key={"pk": {"S": "cli-stranger"}})


def test_without_credentials_any_signature_is_accepted(server):
    response = raw_request(server.host, server.port, "ListTables", {})  # signature "abc"
    assert response.status == 200, response
    assert AMZ_DATE  # the helper's fixed, long-past date is fine without -credentials


@pytest.mark.parametrize("content, complaint", [
    ("[default]\naws_access_key_id = AKID\n", ":1: profile [default] needs aws_access_key_id and "
                                              "aws_secret_access_key"),
    ("aws_access_key_id = AKID\n", ":1: expected [profile] or name = value"),
    ("# nothing\n", ": no credentials in the file"),
])
def test_an_unusable_credentials_file_stops_eddy_at_start(tmp_path, content, complaint):
    path = tmp_path / "credentials"
    path.write_text(content)
    server = EddyServer(in_memory=True, extra_args=["-credentials", str(path)])
    try:
        with pytest.raises(RuntimeError) as excinfo:
            server.start()
        assert "exited with status 2" in str(excinfo.value)
        assert "eddy: -credentials: %s%s" % (path, complaint) in server.log_text()
    finally:
        server.cleanup()
