#!/usr/bin/python3
"""Writes tests/unit/data/jwt_vectors.json: Cognito-shaped JWTs signed by an independent
implementation, Debian's python3-jwt (PyJWT) on python3-cryptography, with the fixed test key
below, and the JWKS that publishes it. Cruddur's TokenVerifier (app/auth/jwt.h) must accept the
tokens marked valid and refuse the others at the vectors' fixed "now". Every token is first
decoded by PyJWT itself, so the expectations are PyJWT's as well as ours.

Regenerate (the output is deterministic: RS256 signatures have no randomness):

    tests/tools/make_jwt_vectors.py > tests/unit/data/jwt_vectors.json

The RSA key is a throwaway made for these vectors with `openssl genrsa 2048`; it signs nothing else.
"""
import datetime
import hashlib
import hmac
import json
from unittest import mock

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

RSA_KID = "vectors-rsa-1"
EC_KID = "vectors-ec-1"
ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_VeCt0rS"
CLIENT_ID = "5example0client0id0vectors"
NOW = 1795219200  # 2026-11-21T00:00:00Z
SUB = "9a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d"

RSA_PRIVATE_KEY_PEM = b"""\
-----BEGIN PRIVATE KEY-----
MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDA5fGc+VKu8Nx1
Wt2DPKengxXxGV8mlSiBDWg4k7A4QNGjJfI9eVjPVgr5RyHFKhLs56AX2LrMj+3l
W+QZBKxYgC/IDc6qwkgR16jqrKynoqNpwuXp/fK0JCHckAGkAkCGFGO6VhU/Zi9K
noiINWyPDjwUYzhrnAYk/5tgSCdHUt788Kc3xa7HPfLHmObmkjBTF+Z+/6E9jufk
Q/WDOvdB3gNoFGfmakoVzXyzJPmU4qnui/C2DFvD7IlYhpbpqbjyqt19uJX/ZQvZ
LRQrRm98tql2elZVOWhRTFl7s3QKiAhQSjDqb2usglp/eDzAxdQws4oG3EkMf1je
hYK0elqHAgMBAAECggEABVGRwuFA/V/YxEeYGfk/Kig8H6Syce7k6gIDoKO51SM8
ZII0VquU3kqiDNOAQ95wHSYZzO6F4AQL7CoHdQUi92G5b4up6h1nPU6z8pyGOi0K
0my0SCpfWcYxRNKXqP0C6G+BfG7JMTFRFn6ehxrp/lvHHkzKDnWD2dtOXm4+3wGG
oDGhybPAhnTNCDDPko8PYHOBcaE/ajJAq17rUohR7vdeT3MB8eH+Tq2Rr322OxpH
eOPOsmnSuMeyptqRqWII0yde/LCGxLLKQLZ5XiDpNgNWNSIrsVtjlksIB5zfJFWb
Nc9SRt470cMaw1S354shX+XBenbio5uRHZu2T7ftwQKBgQD2sPW7YoZqcezvv/Wu
cSLnRctiaDp5r/sUq+Q9SVGRYsBbUsb3Q6pb8w8UiCfkYX3X8cHtXlhpxANW+H2w
X2VAbP+OULFLIhn557dcO5Fae0Am0QJLlE4dDaBVfp4l1R8/NetiR/0c0ZqH6WZM
Wr57SBIKwUUktFzgEgEQFlgD5wKBgQDILVe37xizO3xvjR07qjBAMiZr2A2vEc3J
o9GqtBVAATdCh96Y4ss8qwyO1e32oERLzQGbUxiDRNhrG29Bf/fwWXCjLaoCA3cj
A6Holf1tj5+QUmVdsr2KxzJqd6SR5fennBDgLMl66lvG6FAZcjUeZP/wS1jvAYtZ
Cis0ybwgYQKBgQDGfrsrLOrVKZgpjX7k/xnDl7BAHXe3xHc2Od1rxtwALMJ0eRWp
jeO9GsUukyPuKtf0cw3Erl5btCGv0EBqM0goX8v9ukX+G5FlOSKb7z5U3MlQsmqz
X8C+teEmCby82lDLLtqYeS5cCvfZll7+3yFX1zTVPJAjKZF1pmb+h8wITwKBgDos
oz97Jux/rywkEIjUbu1ZJb1VrrRgMjQVfctkRoCxWcPmBJTd5D6fXyjrlxqDfRWi
YIMpZQhRK6wE7xJUBFQ/SfLCRJQNOcRdO+KCJIKAqNiieX7/gQIh3c7/Mj6MXKrD
OkxL98nW7hEiVpTuke1hYNgOravYAQ1BXUkcD6ZBAoGBAMKGjMLXv/M28OvHf0Jq
IxXdQ53ELqxzk9GK/p9VsdxPx21dVzIEcyXru3N99SlbDYaf4umLWkuqNr4mJZ4M
DV1A88eiqiNCcwBRg5XhAJtlcsIluavU9ISygG4qx7InU1EPb20Z04YMCQnRXKTB
6ECCehiSvcxBSg2FYxU9BedU
-----END PRIVATE KEY-----
"""


def access_claims(**changes):
    claims = {
        "sub": SUB,
        "iss": ISSUER,
        "client_id": CLIENT_ID,
        "origin_jti": "4d5e6f70-8192-4a3b-9c4d-5e6f708192a3",
        "event_id": "b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e",
        "token_use": "access",
        "scope": "aws.cognito.signin.user.admin",
        "auth_time": NOW - 600,
        "exp": NOW + 3000,
        "iat": NOW - 600,
        "jti": "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
        "username": "andrewbrown",
    }
    claims.update(changes)
    return claims


def id_claims(**changes):
    claims = {
        "sub": SUB,
        "email_verified": True,
        "iss": ISSUER,
        "cognito:username": "andrewbrown",
        "origin_jti": "4d5e6f70-8192-4a3b-9c4d-5e6f708192a3",
        "aud": CLIENT_ID,
        "event_id": "b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e",
        "token_use": "id",
        "auth_time": NOW - 600,
        "name": "Andr\u00e9 Br\u00f6wn \u2603",
        "exp": NOW + 3000,
        "iat": NOW - 600,
        "jti": "a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d",
        "email": "andrew@example.com",
    }
    claims.update(changes)
    return claims


class FrozenDatetime(datetime.datetime):
    """PyJWT reads the clock through jwt.api_jwt.datetime.now; the vectors are judged at NOW."""

    @classmethod
    def now(cls, tz=None):
        return datetime.datetime.fromtimestamp(NOW, tz=tz)


def b64url(data):
    return jwt.utils.base64url_encode(data).decode()


def pyjwt_accepts(token, public_key, audience):
    try:
        with mock.patch("jwt.api_jwt.datetime", FrozenDatetime):
            jwt.decode(token, public_key, algorithms=["RS256"], issuer=ISSUER, audience=audience,
                       options={"require": ["exp", "iat", "sub"]})
        return True
    except jwt.InvalidTokenError:
        return False


def hs256_keyed_with(secret, claims):
    """The classic algorithm confusion: an HMAC keyed with the public key's own bytes. PyJWT
    refuses to make one, so it is spelled out here."""
    header = b64url(json.dumps({"alg": "HS256", "kid": RSA_KID, "typ": "JWT"}).encode())
    payload = b64url(json.dumps(claims).encode())
    mac = hmac.new(secret, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{b64url(mac)}"


def main():
    private_key = serialization.load_pem_private_key(RSA_PRIVATE_KEY_PEM, password=None)
    public_key = private_key.public_key()
    rsa_jwk = json.loads(RSAAlgorithm.to_jwk(public_key))
    rsa_jwk.pop("key_ops", None)  # Cognito publishes kty, kid, alg, use, n and e only
    rsa_jwk.update({"kid": RSA_KID, "alg": "RS256", "use": "sig"})
    # A fixed private scalar keeps the EC key (there only to be skipped) the same on every run.
    ec_public = ec.derive_private_key(0x5EC7035, ec.SECP256R1()).public_key()
    ec_jwk = json.loads(ECAlgorithm.to_jwk(ec_public))
    ec_jwk.update({"kid": EC_KID, "alg": "ES256", "use": "sig"})

    def signed(claims, algorithm="RS256", kid=RSA_KID):
        return jwt.encode(claims, private_key, algorithm=algorithm, headers={"kid": kid})

    public_pem = public_key.public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)
    cases = [
        # (name, claims, token, audience PyJWT checks, valid)
        ("access token", access_claims(), None, None, True),
        ("id token", id_claims(), None, CLIENT_ID, True),
        ("access token expiring a second after now", access_claims(exp=NOW + 1), None, None, True),
        ("access token expiring at now", access_claims(exp=NOW), None, None, False),
        ("access token not valid before now + 60", access_claims(nbf=NOW + 60), None, None,
         False),
        ("access token issued at now + 60", access_claims(iat=NOW + 60), None, None, False),
        ("access token of another issuer", access_claims(iss=ISSUER + "x"), None, None, False),
        ("id token for another client", id_claims(aud=CLIENT_ID + "x"), None, CLIENT_ID, False),
        ("RS512 signature", access_claims(), "RS512", None, False),
        ("RS384 signature", access_claims(), "RS384", None, False),
        ("HS256 keyed with the public key PEM", access_claims(),
         hs256_keyed_with(public_pem, access_claims()), None, False),
    ]
    tokens = []
    for name, claims, how, audience, valid in cases:
        if how is None or how.startswith("RS"):
            token = signed(claims, algorithm=how or "RS256")
        else:
            token = how
        assert pyjwt_accepts(token, public_key, audience) == valid, name
        tokens.append({"name": name, "token": token, "valid": valid, "claims": claims})

    print(json.dumps({
        "generator": "tests/tools/make_jwt_vectors.py (PyJWT %s)" % jwt.__version__,
        "now": NOW,
        "issuer": ISSUER,
        "client_id": CLIENT_ID,
        "subject": SUB,
        "jwks": {"keys": [ec_jwk, rsa_jwk]},
        "tokens": tokens,
    }, indent=2))


if __name__ == "__main__":
    main()
