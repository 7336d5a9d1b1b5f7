"""Storage faults: a full disk (a file-size limit set on the running eddy, which fails its
writes as a full disk does, without needing a small file system) and a read-only data directory.
Clients get InternalServerError with the reason, the log says it once per failure, what was
acknowledged stays, nothing is half-written, and eddy recovers by itself once there is room or
permission again."""
import os
import resource
import sqlite3
import stat
import subprocess
import tempfile

import botocore.exceptions
import pytest

from eddy_helpers import S, create_table, hash_table_spec, make_client

ITEM_BYTES = 20_000


def item(key):
    return {"pk": S(key), "payload": S("x" * ITEM_BYTES)}


class FileSizeLimit:
    """A file-size limit on the running eddy (the kernel then fails its writes with EFBIG, which
    SQLite reports as a disk I/O error): works for any user."""
    reason = "disk I/O error"

    def __init__(self, db_dir):
        self.db_dir = db_dir

    def fill(self, server):
        largest = max(os.path.getsize(self.db_dir / name) for name in os.listdir(self.db_dir))
        # Only the soft limit: the hard one stays unlimited, so the limit can be lifted again.
        resource.prlimit(server.proc.pid, resource.RLIMIT_FSIZE,
                         (largest + 3 * ITEM_BYTES, resource.RLIM_INFINITY))

    def make_room(self, server):
        resource.prlimit(server.proc.pid, resource.RLIMIT_FSIZE,
                         (resource.RLIM_INFINITY, resource.RLIM_INFINITY))

    def release(self):
        pass


class SmallFileSystem:
    """A real full file system: a 2 MB tmpfs under -dbPath (ENOSPC, "database or disk is full"),
    grown to 64 MB to make room. Mounting needs root, which CI has."""
    reason = "database or disk is full"

    def __init__(self, db_dir):
        self.db_dir = db_dir
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(db_dir)],
                          capture_output=True).returncode != 0:
            pytest.skip("mounting a tmpfs needs root")

    def fill(self, server):
        with open(self.db_dir / "ballast", "wb") as ballast:  # leaves about 3 items of room
            free = os.statvfs(self.db_dir).f_bavail * os.statvfs(self.db_dir).f_frsize
            ballast.write(b"\0" * max(0, free - 3 * ITEM_BYTES))

    def make_room(self, server):
        subprocess.run(["mount", "-o", "remount,size=64m", str(self.db_dir)], check=True)

    def release(self):
        subprocess.run(["umount", "-l", str(self.db_dir)], capture_output=True)


def assert_integrity(db_dir):
    database = sqlite3.connect(os.path.join(db_dir, "shared-local-instance.db"))
    try:
        assert database.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        database.close()


@pytest.mark.parametrize("fault", [FileSizeLimit, SmallFileSystem])
def test_a_full_disk_fails_writes_clearly_and_room_again_recovers(make_server, tmp_path, fault):
    db_dir = tmp_path / "db"
    db_dir.mkdir()
    disk = fault(db_dir)
    try:
        run_out_of_room(make_server, db_dir, disk)
    finally:
        disk.release()


def run_out_of_room(make_server, db_dir, disk):
    server = make_server(db_path=db_dir).start()
    client = make_client(server.endpoint)
    create_table(client, hash_table_spec("full"))
    acknowledged = set()
    for i in range(20):
        client.put_item(TableName="full", Item=item("before-%d" % i))
        acknowledged.add("before-%d" % i)
    disk.fill(server)

    refused = []
    for i in range(30):
        try:
            client.put_item(TableName="full", Item=item("during-%d" % i))
            acknowledged.add("during-%d" % i)
        except botocore.exceptions.ClientError as error:
            refused.append("during-%d" % i)
            assert error.response["Error"]["Code"] == "InternalServerError"
            assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 500
            assert error.response["Error"]["Message"] == (
                "Internal server error: step: " + disk.reason), error.response
    assert len(refused) >= 25, refused
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        client.transact_write_items(TransactItems=[
            {"Put": {"TableName": "full", "Item": item("transaction-%d" % i)}} for i in range(3)])
    assert excinfo.value.response["Error"]["Code"] == "InternalServerError"
    # Reads go on while writes cannot.
    assert client.get_item(TableName="full", Key={"pk": S("before-3")})["Item"]["pk"] == \
        S("before-3")
    log = server.log_text()
    assert "eddy: PutItem failed: step: " + disk.reason in log
    assert "eddy: TransactWriteItems failed: " in log

    disk.make_room(server)
    for key in refused:
        client.put_item(TableName="full", Item=item(key))
        acknowledged.add(key)
    server.kill()
    server.start()
    client = make_client(server.endpoint)
    stored = {i["pk"]["S"] for i in client.scan(TableName="full", ProjectionExpression="pk")
              ["Items"]}
    assert stored == acknowledged  # every acknowledged write, and no part of the transaction
    assert server.stop() == 0
    assert_integrity(db_dir)


def run_as_nobody():
    """Permissions mean nothing to root, so a root test runs eddy as nobody."""
    if os.geteuid() == 0:
        os.setgid(65534)
        os.setuid(65534)


@pytest.fixture
def shared_dir():
    # Not under pytest's tmp_path, whose parents only root may enter.
    path = tempfile.mkdtemp(prefix="eddy-readonly-")
    os.chmod(path, 0o777)
    yield path
    os.chmod(path, 0o777)
    for name in os.listdir(path):
        os.remove(os.path.join(path, name))
    os.rmdir(path)


def set_modes(directory, directory_mode, file_mode):
    for name in os.listdir(directory):
        os.chmod(os.path.join(directory, name), file_mode)
    os.chmod(directory, directory_mode)


@pytest.mark.parametrize("directory_mode, file_mode, reason", [
    (0o555, 0o444, "the file is read-only; the directory %s is not writable"),
    (0o777, 0o444, "the file is read-only"),
])
def test_a_read_only_directory_is_reported_and_writable_again_recovers(
        make_server, shared_dir, directory_mode, file_mode, reason):
    writable = make_server(db_path=shared_dir, preexec_fn=run_as_nobody).start()
    client = make_client(writable.endpoint)
    create_table(client, hash_table_spec("kept"))
    client.put_item(TableName="kept", Item={"pk": S("acknowledged")})
    writable.stop()

    set_modes(shared_dir, directory_mode, file_mode)
    server = make_server(db_path=shared_dir, preexec_fn=run_as_nobody).start()
    client = make_client(server.endpoint)
    database = os.path.join(shared_dir, "shared-local-instance.db")
    expected = "cannot open database %s: %s" % (database, reason.replace("%s", shared_dir)
                                                 if "%s" in reason else reason)
    for call in (lambda: client.list_tables(),
                 lambda: client.put_item(TableName="kept", Item={"pk": S("refused")})):
        with pytest.raises(botocore.exceptions.ClientError) as excinfo:
            call()
        assert excinfo.value.response["Error"]["Code"] == "InternalServerError"
        assert excinfo.value.response["Error"]["Message"] == expected
    assert "eddy: " + expected in server.log_text()

    set_modes(shared_dir, 0o777, 0o666)  # fixed while eddy runs: the next request succeeds
    assert client.get_item(TableName="kept", Key={"pk": S("acknowledged")})["Item"]
    client.put_item(TableName="kept", Item={"pk": S("after")})
    assert {i["pk"]["S"] for i in client.scan(TableName="kept")["Items"]} == {"acknowledged",
                                                                              "after"}
    server.stop()
    assert_integrity(shared_dir)


def test_an_empty_read_only_directory_says_so(make_server, shared_dir):
    os.chmod(shared_dir, 0o555)
    server = make_server(db_path=shared_dir, preexec_fn=run_as_nobody).start()
    client = make_client(server.endpoint)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        client.list_tables()
    message = excinfo.value.response["Error"]["Message"]
    assert message.endswith("; the directory %s is not writable" % shared_dir), message
    os.chmod(shared_dir, 0o777)
    assert client.list_tables()["TableNames"] == []
    assert stat.S_IMODE(os.stat(shared_dir).st_mode) == 0o777
