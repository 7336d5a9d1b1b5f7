"""eddy -tls CERT KEY serves HTTPS, for clients that refuse plain HTTP: boto3, the AWS CLI and
Cruddur's own client (OpenSSL through Boost.Beast) all talk to it with the certificate trusted."""
import datetime
import http.client
import ipaddress
import json
import socket
import ssl

import boto3
import botocore.config
import botocore.exceptions
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from cruddur_helpers import run_cruddur
from eddy_helpers import ACCESS_KEY, REGION, SECRET_KEY, EddyServer, run_aws


def write_self_signed_certificate(directory):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "eddy test")])
    now = datetime.datetime.utcnow()
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([
            x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256()))
    cert_path, key_path = directory / "eddy.crt", directory / "eddy.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@pytest.fixture(scope="module")
def tls(tmp_path_factory):
    directory = tmp_path_factory.mktemp("tls")
    cert, key = write_self_signed_certificate(directory)
    server = EddyServer(in_memory=True, shared_db=True, extra_args=["-tls", str(cert), str(key)])
    server.certificate = cert
    server.directory = directory
    try:
        server.start()
        yield server
        assert server.stop() == 0, server.log_text()
    finally:
        server.cleanup()


def client(tls, verify):
    return boto3.session.Session().client(
        "dynamodb", endpoint_url=tls.endpoint, region_name=REGION, aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY, verify=verify,
        config=botocore.config.Config(retries={"total_max_attempts": 1}))


def test_boto3_reads_and_writes_over_https(tls):
    assert tls.endpoint.startswith("https://")
    ddb = client(tls, str(tls.certificate))
    ddb.create_table(TableName="over-tls", BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
    ddb.put_item(TableName="over-tls", Item={"pk": {"S": "secret"}, "v": {"S": "x" * 100_000}})
    item = ddb.get_item(TableName="over-tls", Key={"pk": {"S": "secret"}})["Item"]
    assert item["v"]["S"] == "x" * 100_000


def test_a_client_that_does_not_trust_the_certificate_refuses_it(tls):
    with pytest.raises(botocore.exceptions.SSLError):
        client(tls, True).list_tables()
    client(tls, str(tls.certificate)).list_tables()


def test_plain_http_on_the_tls_port_gets_no_answer_and_harms_nothing(tls):
    connection = http.client.HTTPConnection(tls.host, tls.port, timeout=10)
    with pytest.raises((http.client.RemoteDisconnected, http.client.BadStatusLine,
                        ConnectionResetError)):
        connection.request("POST", "/", body="{}", headers={
            "X-Amz-Target": "DynamoDB_20120810.ListTables"})
        connection.getresponse()
    connection.close()
    context = ssl.create_default_context(cafile=str(tls.certificate))
    with context.wrap_socket(socket.create_connection((tls.host, tls.port)),
                             server_hostname="127.0.0.1") as wrapped:
        assert wrapped.version() in ("TLSv1.2", "TLSv1.3")
    client(tls, str(tls.certificate)).list_tables()


def test_aws_cli_over_https(tls):
    rc, out, err = run_aws(tls.endpoint, "--ca-bundle", str(tls.certificate), "dynamodb",
                           "list-tables")
    assert rc == 0, err
    assert isinstance(json.loads(out)["TableNames"], list)
    rc, out, err = run_aws(tls.endpoint, "dynamodb", "list-tables")
    assert rc != 0 and "SSL" in err


def test_cruddur_talks_to_eddy_over_https(tls):
    trusted = {"SSL_CERT_FILE": str(tls.certificate)}  # OpenSSL's default trust store
    result = run_cruddur(tls, "schema-load", data_dir=tls.directory, env_extra=trusted)
    assert result.returncode == 0, result.stderr
    result = run_cruddur(tls, "list-tables", data_dir=tls.directory, env_extra=trusted)
    assert result.returncode == 0, result.stderr
    assert "cruddur-messages" in result.stdout
    result = run_cruddur(tls, "list-tables", data_dir=tls.directory)
    assert result.returncode != 0
    assert "certificate" in result.stderr.lower() or "ssl" in result.stderr.lower(), \
        result.stderr


@pytest.mark.parametrize("problem", ["missing-certificate", "key-of-another-certificate"])
def test_unusable_tls_files_stop_eddy_at_start(tmp_path, problem):
    cert, key = write_self_signed_certificate(tmp_path)
    if problem == "missing-certificate":
        args, complaint = [str(tmp_path / "none.crt"), str(key)], "-tls: cannot use certificate"
    else:
        other = tmp_path / "other"
        other.mkdir()
        _, other_key = write_self_signed_certificate(other)
        args, complaint = [str(cert), str(other_key)], "key values mismatch"
    server = EddyServer(in_memory=True, extra_args=["-tls"] + args)
    try:
        with pytest.raises(RuntimeError):
            server.start()
        assert complaint in server.log_text()
    finally:
        server.cleanup()
