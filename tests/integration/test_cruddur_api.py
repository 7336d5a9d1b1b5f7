"""Cruddur's HTTP API (the seeds' Flask routes) against a real eddy: every route, its answers
and its errors, with the items in DynamoDB checked through boto3."""
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from cruddur_helpers import (SEED_GROUP, CruddurServer, conversation_lines, fixture_users,
                             run_cruddur, wait_for)

USERS = fixture_users()


@pytest.fixture
def app(fresh_server, tmp_path):
    assert run_cruddur(fresh_server, "schema-load").returncode == 0
    assert run_cruddur(fresh_server, "seed", data_dir=tmp_path).returncode == 0
    server = CruddurServer(fresh_server, tmp_path)
    try:
        yield server.start()
    finally:
        server.cleanup()


def items_of(eddy, pk):
    table = eddy.resource().Table("cruddur-messages")
    return table.query(KeyConditionExpression="pk = :pk",
                       ExpressionAttributeValues={":pk": pk})["Items"]


def test_dev_sign_in_issues_tokens_for_seeded_users(app):
    listed = app.get("/api/dev/users")
    assert listed.status == 200
    assert {u["handle"]: u["display_name"] for u in listed.json()} == {
        "andrewbrown": "Andrew Brown", "bayko": "Andrew Bayko", "londo": "Londo Mollari"}
    signed_in = app.post("/api/dev/sign_in", {"handle": "bayko"})
    assert signed_in.status == 200
    answer = signed_in.json()
    assert answer["user"] == {"uuid": USERS["bayko"]["uuid"], "handle": "bayko",
                              "display_name": "Andrew Bayko"}
    claims = jwt.decode(answer["access_token"], options={"verify_signature": False})
    assert claims["sub"] == USERS["bayko"]["cognito_user_id"]  # Cognito's sub names the user
    assert claims["token_use"] == "access"
    assert app.get("/api/me", token=answer["access_token"]).json() == answer["user"]
    unknown = app.post("/api/dev/sign_in", {"handle": "ghost"})
    assert (unknown.status, unknown.json()) == (404, {"errors": ["user_not_found"]})


@pytest.mark.parametrize("path", ["/api/me", "/api/message_groups", "/api/messages/" + SEED_GROUP])
def test_requests_without_a_valid_token_get_401(app, path):
    token = app.sign_in("andrewbrown")
    header, payload, signature = token.split(".")
    forged_claims = dict(jwt.decode(token, options={"verify_signature": False}),
                         sub=USERS["bayko"]["cognito_user_id"])
    forged = ".".join([header, jwt.utils.base64url_encode(
        json.dumps(forged_claims).encode()).decode(), signature])
    for headers in ({}, {"Authorization": "Bearer"}, {"Authorization": "Bearer nonsense"},
                    {"Authorization": "Basic " + token}, {"Authorization": "Bearer " + forged},
                    {"Authorization": "Bearer " + token[:-4] + "AAAA"}):
        response = app.get(path, headers=headers)
        assert (response.status, response.json()) == (401, {}), headers
    assert app.get(path, token=token).status == 200
    posted = app.post("/api/messages", {"message": "hi", "handle": "bayko"})
    assert posted.status == 401


def test_message_groups_list_my_conversations_newest_first(app):
    brown = app.sign_in("andrewbrown")
    groups = app.get("/api/message_groups", token=brown).json()
    last_line = conversation_lines()[-1][1]
    assert len(groups) == 1
    group = groups[0]
    assert (group["uuid"], group["handle"], group["display_name"], group["message"]) == (
        SEED_GROUP, "bayko", "Andrew Bayko", last_line)
    # A newer conversation comes first.
    created = app.post("/api/messages", {"message": "Hello Londo", "handle": "londo"},
                       token=brown).json()
    groups = app.get("/api/message_groups", token=brown).json()
    assert [g["uuid"] for g in groups] == [created["message_group_uuid"], SEED_GROUP]
    assert groups[0]["created_at"] > groups[1]["created_at"]
    assert app.get("/api/message_groups", token=app.sign_in("londo")).json()[0]["handle"] == (
        "andrewbrown")


def test_messages_of_a_group_are_the_newest_20_oldest_first(app):
    brown = app.sign_in("andrewbrown")
    messages = app.get("/api/messages/" + SEED_GROUP, token=brown).json()
    expected = conversation_lines()[-20:]
    assert [(m["handle"], m["message"]) for m in messages] == [
        ("andrewbrown" if person == "Person 1" else "bayko", text) for person, text in expected]
    assert [m["created_at"] for m in messages] == sorted(m["created_at"] for m in messages)
    assert set(messages[0]) == {"uuid", "display_name", "handle", "message", "created_at"}


def test_messages_are_only_for_members_of_the_group(app):
    londo = app.sign_in("londo")
    for group in (SEED_GROUP, "00000000-0000-0000-0000-000000000000"):
        response = app.get("/api/messages/" + group, token=londo)
        assert (response.status, response.json()) == (404, ["message_group_not_found"])
        posted = app.post("/api/messages", {"message": "let me in", "message_group_uuid": group},
                          token=londo)
        assert (posted.status, posted.json()) == (404, ["message_group_not_found"])
    assert items_of(app.eddy, "MSG#" + SEED_GROUP)[-1]["message"] != "let me in"


def test_posting_to_an_existing_group_puts_one_message(app):
    bayko = app.sign_in("bayko")
    answer = app.post("/api/messages", {"message": "Zathras is used to being beast of burden",
                                        "message_group_uuid": SEED_GROUP}, token=bayko)
    assert answer.status == 200
    created = answer.json()
    assert {k: created[k] for k in ("message_group_uuid", "uuid", "handle", "display_name",
                                    "message")} == {
        "message_group_uuid": SEED_GROUP, "uuid": USERS["bayko"]["uuid"], "handle": "bayko",
        "display_name": "Andrew Bayko", "message": "Zathras is used to being beast of burden"}
    stored = items_of(app.eddy, "MSG#" + SEED_GROUP)[-1]
    assert stored["sk"] == created["created_at"]
    assert {k: stored[k] for k in ("message", "user_uuid", "user_handle", "user_display_name")} == {
        "message": created["message"], "user_uuid": USERS["bayko"]["uuid"],
        "user_handle": "bayko", "user_display_name": "Andrew Bayko"}
    messages = app.get("/api/messages/" + SEED_GROUP, token=app.sign_in("andrewbrown")).json()
    assert messages[-1]["message"] == created["message"] and len(messages) == 20


def test_a_new_conversation_writes_both_group_rows_and_the_message(app):
    brown = app.sign_in("andrewbrown")
    answer = app.post("/api/messages", {"message": "Who are you?", "handle": "londo"},
                      token=brown)
    assert answer.status == 200
    group = answer.json()["message_group_uuid"]
    assert set(answer.json()) == {"message_group_uuid"}
    (message,) = items_of(app.eddy, "MSG#" + group)
    assert (message["message"], message["user_handle"]) == ("Who are you?", "andrewbrown")
    rows = app.eddy.client().query(
        TableName="cruddur-messages", IndexName="message-group-sk-index",
        KeyConditionExpression="message_group_uuid = :g",
        ExpressionAttributeValues={":g": {"S": group}})["Items"]
    by_owner = {row["pk"]["S"]: row for row in rows}
    assert set(by_owner) == {"GRP#" + USERS["andrewbrown"]["uuid"], "GRP#" + USERS["londo"]["uuid"]}
    assert by_owner["GRP#" + USERS["londo"]["uuid"]]["user_handle"]["S"] == "andrewbrown"
    assert by_owner["GRP#" + USERS["andrewbrown"]["uuid"]]["user_handle"]["S"] == "londo"
    for row in rows:
        assert row["sk"]["S"] == message["sk"]
        assert row["message"]["S"] == "Who are you?"
    londo_view = app.get("/api/messages/" + group, token=app.sign_in("londo")).json()
    assert [m["message"] for m in londo_view] == ["Who are you?"]


@pytest.mark.parametrize("body,status,errors", [
    ({"message": "", "message_group_uuid": SEED_GROUP}, 422, ["message_blank"]),
    ({"message_group_uuid": SEED_GROUP}, 422, ["message_blank"]),
    ({"message": "x" * 1025, "message_group_uuid": SEED_GROUP}, 422, ["message_exceed_max_chars"]),
    ({"message": "é" * 1025, "handle": "bayko"}, 422, ["message_exceed_max_chars"]),
    ({"message": "hello"}, 422, ["user_reciever_handle_blank"]),
    ({"message": "hello", "handle": ""}, 422, ["user_reciever_handle_blank"]),
    ({"message": "hello", "message_group_uuid": ""}, 422, ["message_group_uuid_blank"]),
    ({"message": "", "handle": ""}, 422, ["message_blank"]),  # the seeds: the last check wins
    ({"message": "hello", "handle": "ghost"}, 404, ["user_not_found"]),
    ({"message": "hello", "handle": "andrewbrown"}, 422, ["user_reciever_is_sender"]),
])
def test_invalid_messages_are_refused_and_nothing_is_written(app, body, status, errors):
    before = app.eddy.client().scan(TableName="cruddur-messages", Select="COUNT")["Count"]
    response = app.post("/api/messages", body, token=app.sign_in("andrewbrown"))
    assert (response.status, response.json()) == (status, errors)
    assert app.eddy.client().scan(TableName="cruddur-messages", Select="COUNT")["Count"] == before


def test_the_longest_message_and_bad_json(app):
    brown = app.sign_in("andrewbrown")
    longest = "é" * 1024  # 1024 characters, 2048 bytes
    ok = app.post("/api/messages", {"message": longest, "message_group_uuid": SEED_GROUP},
                  token=brown)
    assert ok.status == 200 and ok.json()["message"] == longest
    for raw in ("{", "[]", "null"):
        bad = app.request("POST", "/api/messages", raw_body=raw, token=brown)
        assert (bad.status, bad.json()) == (400, ["invalid_json"])


def test_user_short_finds_a_user_by_handle(app):
    found = app.get("/api/users/@londo/short")
    assert (found.status, found.json()) == (200, {
        "uuid": USERS["londo"]["uuid"], "handle": "londo", "display_name": "Londo Mollari"})
    missing = app.get("/api/users/@ghost/short")
    assert (missing.status, missing.json()) == (404, ["user_not_found"])


def test_the_page_and_its_files_are_served(app):
    for path in ("/", "/messages", "/messages/" + SEED_GROUP, "/messages/new/londo"):
        page = app.get(path)
        assert page.status == 200 and page.headers["Content-Type"].startswith("text/html")
        assert "<html" in page.body.lower()
    script = app.get("/app.js")
    assert script.status == 200 and "javascript" in script.headers["Content-Type"]
    for path in ("/missing.js", "/../../CMakeLists.txt", "/%2e%2e/CMakeLists.txt"):
        assert app.get(path).status in (404,), path
    assert app.get("/api/nothing").status == 404
    assert app.request("DELETE", "/api/messages", token=app.sign_in("bayko")).status == 405


# --- Cognito: RS256 tokens checked against a JWKS file -------------------------------------

ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example"
CLIENT_ID = "4ab2ex2mpl3cl1ent"


def jwks_of(key, kid):
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    return dict(public, kid=kid, alg="RS256", use="sig")


def cognito_token(key, kid, **claims):
    now = int(time.time())
    payload = {"sub": USERS["londo"]["cognito_user_id"], "iss": ISSUER, "client_id": CLIENT_ID,
               "token_use": "access", "scope": "aws.cognito.signin.user.admin",
               "auth_time": now, "iat": now, "exp": now + 3600, "username": "londo"}
    payload.update(claims)
    return jwt.encode({k: v for k, v in payload.items() if v is not None}, key,
                      algorithm="RS256", headers={"kid": kid})


def test_cognito_tokens_are_verified_against_the_jwks(fresh_server, tmp_path):
    pool_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps({"keys": [jwks_of(pool_key, "pool-key-1")]}))
    assert run_cruddur(fresh_server, "schema-load").returncode == 0
    server = CruddurServer(fresh_server, tmp_path, extra_args=[
        "--jwks", str(jwks), "--cognito-issuer", ISSUER, "--cognito-client-id", CLIENT_ID])
    try:
        server.start()
        good = cognito_token(pool_key, "pool-key-1")
        me = server.get("/api/me", token=good)
        assert (me.status, me.json()["handle"]) == (200, "londo")
        id_token = cognito_token(pool_key, "pool-key-1", token_use="id", client_id=None,
                                 aud=CLIENT_ID)
        assert server.get("/api/me", token=id_token).status == 200
        refused = {
            "another key": cognito_token(other_key, "pool-key-1"),
            "unknown kid": cognito_token(pool_key, "pool-key-2"),
            "expired": cognito_token(pool_key, "pool-key-1", exp=int(time.time()) - 10),
            "another pool": cognito_token(pool_key, "pool-key-1", iss=ISSUER + "x"),
            "another app client": cognito_token(pool_key, "pool-key-1", client_id="other"),
            "refresh token": cognito_token(pool_key, "pool-key-1", token_use="refresh"),
            "unknown user": cognito_token(pool_key, "pool-key-1", sub="not-a-user"),
            "HS256": jwt.encode({"sub": USERS["londo"]["cognito_user_id"], "iss": ISSUER,
                                 "client_id": CLIENT_ID, "token_use": "access",
                                 "exp": int(time.time()) + 60}, "secret", algorithm="HS256",
                                headers={"kid": "pool-key-1"}),
        }
        for reason, token in refused.items():
            response = server.get("/api/me", token=token)
            assert (response.status, response.json()) == (401, {}), reason
        # With a real pool there is no dev sign-in.
        assert server.post("/api/dev/sign_in", {"handle": "londo"}).status == 404
        assert server.get("/api/dev/users").status == 404
    finally:
        server.cleanup()
