"""Shared helpers for eddy's integration tests.

Everything here drives a real eddy process through real clients: boto3/botocore
(Debian's python3-boto3), Debian's AWS CLI (/usr/bin/aws) and plain HTTP
(http.client) for requests the SDK would refuse to send.  No mocks.
"""
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid

import boto3
import botocore.config
import botocore.exceptions

DEFAULT_BIN = "/work/main/build/bin/eddy"
AWS_CLI = "/usr/bin/aws"
ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "secret"
REGION = "us-east-1"
TARGET_PREFIX = "DynamoDB_20120810."
# A syntactically valid SigV4 header; eddy (like dynamodb-local) does not check signatures.
AUTH_HEADER = ("AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, "
               "SignedHeaders=host;x-amz-date, Signature=abc")
AMZ_DATE = "20260101T000000Z"
READY_TIMEOUT = float(os.environ.get("EDDY_READY_TIMEOUT", "5"))
STOP_TIMEOUT = 10.0


def eddy_bin():
    return os.environ.get("EDDY_BIN") or DEFAULT_BIN


def free_port(host="127.0.0.1"):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def unique_name(prefix="t"):
    """A valid, collision-free table name ([a-zA-Z0-9_.-], 3..255 chars)."""
    prefix = re.sub(r"[^a-zA-Z0-9_.-]", "-", prefix)[:60]
    return "%s-%s" % (prefix, uuid.uuid4().hex[:12])


class EddyServer:
    """One eddy process. Starts on a free port, can be stopped (SIGTERM), killed (SIGKILL)
    and started again with the same arguments (same port, same -dbPath)."""

    def __init__(self, *, db_path=None, in_memory=None, shared_db=True, host="127.0.0.1",
                 port=None, binary=None, extra_args=(), preexec_fn=None):
        if in_memory is None:
            in_memory = db_path is None
        self.binary = os.path.abspath(binary or eddy_bin())
        self.db_path = str(db_path) if db_path is not None else None
        self.in_memory = in_memory
        self.shared_db = shared_db
        self.host = host
        self.port = port
        self.proc = None
        self.log_path = None
        self._log = None
        self.workdir = None
        self.starts = 0
        self.extra_args = list(extra_args)
        self.preexec_fn = preexec_fn  # run in the child before eddy (limits, another user)

    # -- lifecycle ---------------------------------------------------------------------
    def args(self):
        a = [self.binary, "-port", str(self.port), "-host", self.host]
        if self.in_memory:
            a.append("-inMemory")
        if self.db_path is not None:
            a += ["-dbPath", self.db_path]
        if self.shared_db:
            a.append("-sharedDb")
        return a + self.extra_args

    def start(self):
        if not os.path.isfile(self.binary) or not os.access(self.binary, os.X_OK):
            raise RuntimeError("eddy binary not found or not executable: %r (set EDDY_BIN)"
                               % self.binary)
        if self.proc is not None and self.proc.poll() is None:
            raise RuntimeError("eddy already running (pid %d)" % self.proc.pid)
        if self.port is None:
            self.port = free_port(self.host)
        if self.log_path is None:
            fd, self.log_path = tempfile.mkstemp(prefix="eddy-", suffix=".log")
            os.close(fd)
        self._log = open(self.log_path, "ab")
        self._log.write(("\n--- start #%d: %s\n" % (self.starts + 1, " ".join(self.args())))
                        .encode())
        self._log.flush()
        if self.workdir is None:
            # run outside the source tree so nothing the server writes lands in the repo
            self.workdir = tempfile.mkdtemp(prefix="eddy-cwd-")
        self.proc = subprocess.Popen(self.args(), stdout=self._log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, cwd=self.workdir,
                                     preexec_fn=self.preexec_fn)
        self.starts += 1
        deadline = time.monotonic() + READY_TIMEOUT
        while True:
            rc = self.proc.poll()
            if rc is not None:
                raise RuntimeError("eddy exited with status %s during startup:\n%s"
                                   % (rc, self.log_text()))
            try:
                with socket.create_connection((self.host, self.port), timeout=0.2):
                    return self
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.kill()
                raise RuntimeError("eddy did not accept connections on %s:%d within %.0fs:\n%s"
                                   % (self.host, self.port, READY_TIMEOUT, self.log_text()))
            time.sleep(0.02)

    def stop(self, timeout=STOP_TIMEOUT):
        """SIGTERM and wait; returns the exit status. Fails if eddy does not exit in time."""
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError("eddy did not exit within %.0fs of SIGTERM" % timeout)
        self._close_log()
        return rc

    def kill(self):
        """kill -9: no chance to flush or clean up."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()
        self._close_log()

    def restart(self):
        self.stop()
        return self.start()

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def _close_log(self):
        if self._log is not None:
            self._log.close()
            self._log = None

    def log_text(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")[-4000:]
        except (OSError, TypeError):
            return ""

    def cleanup(self):
        self.kill()
        if self.log_path and os.path.exists(self.log_path):
            os.unlink(self.log_path)
        if self.workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    # -- clients -------------------------------------------------------------------------
    @property
    def endpoint(self):
        scheme = "https" if "-tls" in self.extra_args else "http"
        return "%s://%s:%d" % (scheme, self.host, self.port)

    def client(self, **kw):
        return make_client(self.endpoint, **kw)

    def resource(self, **kw):
        return make_resource(self.endpoint, **kw)

    def raw(self, target=None, body=None, **kw):
        return raw_request(self.host, self.port, target, body, **kw)

    def aws(self, *args, **kw):
        return run_aws(self.endpoint, *args, **kw)

    def streams(self):
        return boto3.session.Session().client(
            "dynamodbstreams", endpoint_url=self.endpoint, region_name=REGION,
            aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
            config=client_config(True))

    # -- eddy's local-only admin endpoints (README: "Moving eddy's clock") -----------------
    def admin(self, path, body=None, method="POST"):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            conn.request(method, path, body=json.dumps(body) if body is not None else None)
            r = conn.getresponse()
            data = r.read()
            assert r.status == 200, "%s %s: HTTP %d %r" % (method, path, r.status, data)
            return json.loads(data)
        finally:
            conn.close()

    def now(self):
        """eddy's clock, in epoch seconds."""
        return self.admin("/_eddy/clock", method="GET")["now"]

    def advance_clock(self, seconds):
        return self.admin("/_eddy/clock", {"advanceSeconds": seconds})["now"]

    def sweep_ttl(self):
        """Deletes expired items now; returns how many."""
        return self.admin("/_eddy/ttl/sweep")["deletedItems"]


def client_config(validate=True):
    return botocore.config.Config(retries={"total_max_attempts": 1},
                                  parameter_validation=validate,
                                  connect_timeout=5, read_timeout=60)


def make_client(endpoint, *, access_key=ACCESS_KEY, secret_key=SECRET_KEY, region=REGION,
                validate=True):
    return boto3.session.Session().client(
        "dynamodb", endpoint_url=endpoint, region_name=region,
        aws_access_key_id=access_key, aws_secret_access_key=secret_key,
        config=client_config(validate))


def make_resource(endpoint, *, access_key=ACCESS_KEY, secret_key=SECRET_KEY, region=REGION):
    return boto3.session.Session().resource(
        "dynamodb", endpoint_url=endpoint, region_name=region,
        aws_access_key_id=access_key, aws_secret_access_key=secret_key,
        config=client_config(True))


# -- AWS CLI -------------------------------------------------------------------------------
def run_aws(endpoint, *args, access_key=ACCESS_KEY, secret_key=SECRET_KEY, region=REGION,
            timeout=60):
    """Runs Debian's /usr/bin/aws against eddy. Returns (rc, stdout, stderr)."""
    home = os.path.join(tempfile.gettempdir(), "eddy-it-home")
    os.makedirs(home, exist_ok=True)
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": home,
        "LANG": "C.UTF-8",
        "AWS_ACCESS_KEY_ID": access_key,
        "AWS_SECRET_ACCESS_KEY": secret_key,
        "AWS_DEFAULT_REGION": region,
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        "AWS_PAGER": "",
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_MAX_ATTEMPTS": "1",
    }
    p = subprocess.run([AWS_CLI, "--endpoint-url", endpoint] + [str(a) for a in args],
                       env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                       timeout=timeout)
    return p.returncode, p.stdout, p.stderr


# -- raw HTTP ------------------------------------------------------------------------------
class RawResponse:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers          # lower-cased names
        self.body = body                # bytes

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def __repr__(self):
        return "<HTTP %d %r>" % (self.status, self.body[:500])


def raw_request(host, port, target=None, body=None, *, method="POST",
                content_type="application/x-amz-json-1.0", auth=True, headers=None,
                timeout=60):
    """One HTTP request to eddy. `target` is an operation name ("PutItem") or a full
    X-Amz-Target value (anything containing a dot). `body` may be a dict (JSON-encoded),
    str or bytes."""
    if isinstance(body, (dict, list)):
        body = json.dumps(body).encode()
    elif isinstance(body, str):
        body = body.encode()
    elif body is None:
        body = b"" if method == "GET" else b"{}"
    hdrs = {}
    if content_type is not None:
        hdrs["Content-Type"] = content_type
    if target is not None:
        hdrs["X-Amz-Target"] = target if "." in target else TARGET_PREFIX + target
    if auth:
        hdrs["Authorization"] = AUTH_HEADER
        hdrs["X-Amz-Date"] = AMZ_DATE
    if headers:
        hdrs.update(headers)
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request(method, "/", body=body if (body or method != "GET") else None,
                     headers=hdrs)
        r = conn.getresponse()
        data = r.read()
        return RawResponse(r.status, {k.lower(): v for k, v in r.getheaders()}, data)
    finally:
        conn.close()


def error_message(payload):
    """DynamoDB sends the message as "message" (most errors) or "Message" (coral service
    errors such as SerializationException); botocore accepts both."""
    if "message" in payload:
        return payload["message"]
    return payload.get("Message")


def check_message(actual, expected):
    """expected: exact string; a compiled regex (must match fully); a list of constraint
    violations (DynamoDB's "N validation errors detected: a; b" in any order); or None
    (no message, or an empty one); or ... (not checked)."""
    if expected is ...:
        return
    if expected is None:
        assert actual in (None, ""), "expected no message, got %r" % (actual,)
    elif isinstance(expected, re.Pattern):
        assert actual is not None and expected.fullmatch(actual), \
            "message %r does not match %r" % (actual, expected.pattern)
    elif isinstance(expected, (list, tuple)):
        n = len(expected)
        prefix = "%d validation error%s detected: " % (n, "" if n == 1 else "s")
        assert actual is not None and actual.startswith(prefix), \
            "message %r does not start with %r" % (actual, prefix)
        got = actual[len(prefix):].split("; ")
        assert sorted(got) == sorted(expected), \
            "violations differ:\n got: %r\nwant: %r" % (got, list(expected))
    else:
        assert actual == expected, "message:\n got: %r\nwant: %r" % (actual, expected)


def assert_raw_error(resp, code, message, status=400):
    assert resp.status == status, "HTTP %d (want %d): %r" % (resp.status, status, resp.body)
    payload = resp.json()
    assert "__type" in payload, payload
    assert payload["__type"].split("#")[-1] == code, \
        "__type %r (want ...#%s), message %r" % (payload["__type"], code,
                                               error_message(payload))
    check_message(error_message(payload), message)
    return payload


def assert_client_error(excinfo, code, message):
    err = excinfo.value.response["Error"]
    assert err.get("Code") == code, "code %r (want %r), message %r" % (
        err.get("Code"), code, err.get("Message"))
    check_message(err.get("Message"), message)
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


# -- table helpers -------------------------------------------------------------------------
def cruddur_messages_spec(name="cruddur-messages"):
    """The seeds' table, exactly as the cruddur app creates it."""
    return dict(
        TableName=name,
        AttributeDefinitions=[
            {"AttributeName": "message_group_uuid", "AttributeType": "S"},
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        GlobalSecondaryIndexes=[{
            "IndexName": "message-group-sk-index",
            "KeySchema": [
                {"AttributeName": "message_group_uuid", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            "Projection": {"ProjectionType": "ALL"},
            "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
        }],
        BillingMode="PROVISIONED",
        ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
    )


def hash_table_spec(name, key="pk", key_type="S"):
    return dict(
        TableName=name,
        AttributeDefinitions=[{"AttributeName": key, "AttributeType": key_type}],
        KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
        ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
    )


def wait_active(client, name, timeout=10.0):
    """DynamoDB creates tables asynchronously (CREATING -> ACTIVE); dynamodb-local and eddy
    are ACTIVE at once. Returns the Table description once ACTIVE."""
    deadline = time.monotonic() + timeout
    while True:
        t = client.describe_table(TableName=name)["Table"]
        if t["TableStatus"] == "ACTIVE" and all(
                g.get("IndexStatus") == "ACTIVE" for g in t.get("GlobalSecondaryIndexes", [])):
            return t
        assert time.monotonic() < deadline, "table %s not ACTIVE: %r" % (name, t)
        time.sleep(0.05)


def wait_deleted(client, name, timeout=10.0):
    """DynamoDB deletes asynchronously (DELETING, then gone); dynamodb-local at once.
    Returns the ClientError DescribeTable finally raises."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            t = client.describe_table(TableName=name)["Table"]
        except botocore.exceptions.ClientError as e:
            return e
        assert time.monotonic() < deadline, "table %s still there: %r" % (name, t)
        time.sleep(0.05)


def create_table(client, spec):
    resp = client.create_table(**spec)
    wait_active(client, spec["TableName"])
    return resp


def list_all_tables(client):
    names, kw = [], {}
    while True:
        r = client.list_tables(**kw)
        names += r["TableNames"]
        if "LastEvaluatedTableName" not in r:
            return names
        kw = {"ExclusiveStartTableName": r["LastEvaluatedTableName"]}


def attr_defs(**types):
    """AttributeDefinitions from name=type pairs."""
    return [{"AttributeName": n, "AttributeType": t} for n, t in types.items()]


def key_schema(hash_key, range_key=None):
    ks = [{"AttributeName": hash_key, "KeyType": "HASH"}]
    if range_key:
        ks.append({"AttributeName": range_key, "KeyType": "RANGE"})
    return ks


def index_spec(name, hash_key, range_key=None, projection="ALL", non_key=None, pt=None):
    """A GlobalSecondaryIndexes / LocalSecondaryIndexes entry (pt: (read, write) throughput)."""
    p = {"ProjectionType": projection}
    if non_key is not None:
        p["NonKeyAttributes"] = list(non_key)
    d = {"IndexName": name, "KeySchema": key_schema(hash_key, range_key), "Projection": p}
    if pt:
        d["ProvisionedThroughput"] = {"ReadCapacityUnits": pt[0], "WriteCapacityUnits": pt[1]}
    return d


# -- attribute values and items, short ------------------------------------------------------
def S(x):
    return {"S": x}


def N(x):
    return {"N": str(x)}


def uid():
    return uuid.uuid4().hex


def get_item_consistent(client, table, key):
    """The item (or None), read with ConsistentRead."""
    return client.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")


def lsi_table_spec(name):
    """pk/sk strings with a local secondary index "by-l" on l: a table with item collections."""
    return dict(TableName=name, AttributeDefinitions=attr_defs(pk="S", sk="S", l="S"),
                KeySchema=key_schema("pk", "sk"),
                LocalSecondaryIndexes=[index_spec("by-l", "pk", "l")],
                ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5})


def create_streamed_table(client, view_type="NEW_IMAGE", prefix="stream", name=None):
    """An on-demand table keyed by pk (S) with a stream of view_type; returns (name, stream ARN)."""
    name = name or unique_name(prefix)
    description = client.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": view_type})
    return name, description["TableDescription"]["LatestStreamArn"]


# -- paging ---------------------------------------------------------------------------------
def pages(call, **kw):
    """All pages of a Query or Scan, following LastEvaluatedKey. Returns the responses."""
    out = []
    while True:
        r = call(**kw)
        r.pop("ResponseMetadata", None)
        out.append(r)
        if "LastEvaluatedKey" not in r:
            return out
        assert len(out) < 100000, "paging does not end"
        kw["ExclusiveStartKey"] = r["LastEvaluatedKey"]


def all_items(call, **kw):
    return [it for p in pages(call, **kw) for it in p.get("Items", [])]
