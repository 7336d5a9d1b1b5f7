"""Fixtures for eddy's integration tests.

Binary: $EDDY_BIN (default /work/main/build/bin/eddy). Run with Debian's python:
    EDDY_BIN=build/bin/eddy /usr/bin/python3 -m pytest tests/integration
"""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from eddy_helpers import (  # noqa: E402
    EddyServer, make_client, make_resource, run_aws, unique_name, create_table,
    cruddur_messages_spec, hash_table_spec)


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: a long test whose point is volume or repetition (a "
                                       "backfill of 50 000 items, 25 kills), not a code path "
                                       "the others miss; -m 'not slow' leaves them out, as the "
                                       "sanitizer build's run does")


@pytest.fixture(scope="session")
def server():
    """One in-memory, shared-db eddy for the whole session (most tests use it)."""
    s = EddyServer(in_memory=True, shared_db=True)
    try:
        s.start()
        yield s
        alive = s.running()
        # A clean SIGTERM exit: under ASan/UBSan any leak or error report makes this non-zero.
        exit_status = s.stop()
        log = s.log_text()
    finally:
        s.cleanup()
    assert alive, "the shared eddy died during the test session:\n" + log
    assert exit_status == 0, "eddy exited with %s after SIGTERM:\n%s" % (exit_status, log)


@pytest.fixture
def fresh_server():
    """A private in-memory eddy for tests that need to know exactly which tables exist."""
    s = EddyServer(in_memory=True, shared_db=True)
    try:
        s.start()
        yield s
    finally:
        s.cleanup()


@pytest.fixture
def make_server(tmp_path):
    """Factory for function-scoped servers: make_server(db_path=..., shared_db=..., ...).
    Nothing is started until the test calls .start(); everything is killed afterwards."""
    servers = []

    def factory(**kw):
        s = EddyServer(**kw)
        servers.append(s)
        return s

    yield factory
    for s in servers:
        s.cleanup()


@pytest.fixture
def disk_server(make_server, tmp_path):
    """A started, -sharedDb eddy persisting under tmp_path/db; restartable."""
    db = tmp_path / "db"
    db.mkdir()
    s = make_server(db_path=db, shared_db=True)
    s.start()
    return s


@pytest.fixture(scope="session")
def client_factory(server):
    """make a boto3 DynamoDB client: client_factory(endpoint=None, access_key=..., region=...,
    validate=True). Defaults to the shared server, region us-east-1, dummy keys, no retries."""
    def factory(endpoint=None, **kw):
        return make_client(endpoint or server.endpoint, **kw)
    return factory


@pytest.fixture(scope="session")
def ddb(client_factory):
    return client_factory()


@pytest.fixture(scope="session")
def ddb_unvalidated(client_factory):
    """boto3 client with botocore's client-side parameter validation switched off, so
    malformed requests reach the server."""
    return client_factory(validate=False)


@pytest.fixture(scope="session")
def ddb_resource(server):
    return make_resource(server.endpoint)


@pytest.fixture(scope="session")
def aws(server):
    """aws("dynamodb", "list-tables") -> (rc, stdout, stderr), against the shared server."""
    def run(*args, **kw):
        return run_aws(server.endpoint, *args, **kw)
    return run


@pytest.fixture
def table_name(request):
    """A unique table name so tests sharing one server never collide."""
    return unique_name(request.node.name)


@pytest.fixture(scope="module")
def messages_table(server):
    """A table with the seeds' cruddur-messages schema (pk/sk + GSI), unique name."""
    c = make_client(server.endpoint)
    spec = cruddur_messages_spec(unique_name("messages"))
    create_table(c, spec)
    return spec["TableName"]


@pytest.fixture(scope="module")
def hash_table(server):
    """A table with a single string hash key "pk"."""
    c = make_client(server.endpoint)
    name = unique_name("hash")
    create_table(c, hash_table_spec(name))
    return name
