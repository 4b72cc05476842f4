"""A small OpenID Connect provider for tests: the county's identity provider, on 127.0.0.1.

It speaks the authorization-code flow over real HTTP from a thread (wsgiref): discovery,
authorization (redirect back with a code), token (client secret, redirect URI and PKCE checked),
userinfo (bearer token) and JWKS. ID tokens are RS256 JWTs signed with a fresh RSA key (PyJWT +
cryptography). Whoever is `signed_in` at the provider is the person who "typed their county
password"; tests can also make it misbehave (`audience`, `issuer`) to check that Systeemi refuses.
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode, urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass


@dataclass
class LocalProvider:
    client_id: str = "systeemi"
    client_secret: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    redirect_uris: list[str] = field(default_factory=list)
    signed_in: dict | None = None  # the claims of the person signed in at the provider
    audience: str | None = None  # None: the client id (a test may sign for another client)
    issuer: str | None = None  # None: the provider's own address
    requests: list[str] = field(default_factory=list)

    def __post_init__(self):
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._kid = secrets.token_hex(8)
        self._codes: dict[str, dict] = {}
        self._tokens: dict[str, dict] = {}
        self._server: WSGIServer | None = None

    # ---- lifecycle ----------------------------------------------------------------------------

    def start(self) -> "LocalProvider":
        self._server = make_server("127.0.0.1", 0, self._app, handler_class=_QuietHandler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def settings(self) -> dict:
        """What Systeemi's environment would say about this provider."""
        return {
            "OIDC_ENABLED": True,
            "OIDC_PROVIDER_NAME": "Testilän hyvinvointialue",
            "OIDC_RP_CLIENT_ID": self.client_id,
            "OIDC_RP_CLIENT_SECRET": self.client_secret,
            "OIDC_OP_ISSUER": self.url,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.url}/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.url}/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.url}/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.url}/jwks",
        }

    # ---- the protocol -------------------------------------------------------------------------

    def _app(self, environ, start_response):
        path = environ["PATH_INFO"]
        self.requests.append(path)
        query = {k: v[-1] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        if environ["REQUEST_METHOD"] == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            form = {k: v[-1] for k, v in parse_qs(environ["wsgi.input"].read(length).decode()).items()}
        else:
            form = {}
        handler = {
            "/.well-known/openid-configuration": self._discovery,
            "/authorize": self._authorize,
            "/token": self._token,
            "/userinfo": self._userinfo,
            "/jwks": self._jwks,
        }.get(path)
        if handler is None:
            return self._json(start_response, 404, {"error": "not_found"})
        return handler(environ, start_response, query, form)

    @staticmethod
    def _json(start_response, status, body, headers=()):
        data = json.dumps(body).encode()
        reason = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found"}[status]
        start_response(f"{status} {reason}", [("Content-Type", "application/json"), ("Cache-Control", "no-store"), *headers])
        return [data]

    def _discovery(self, environ, start_response, query, form):
        return self._json(
            start_response,
            200,
            {
                "issuer": self.url,
                "authorization_endpoint": f"{self.url}/authorize",
                "token_endpoint": f"{self.url}/token",
                "userinfo_endpoint": f"{self.url}/userinfo",
                "jwks_uri": f"{self.url}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
            },
        )

    def _authorize(self, environ, start_response, query, form):
        redirect_uri = query.get("redirect_uri", "")
        if query.get("client_id") != self.client_id or redirect_uri not in self.redirect_uris:
            return self._json(start_response, 400, {"error": "invalid_request", "error_description": "unknown client or redirect_uri"})
        if query.get("response_type") != "code" or "openid" not in query.get("scope", "").split():
            return self._json(start_response, 400, {"error": "invalid_request"})
        if self.signed_in is None:
            params = {"error": "access_denied", "state": query.get("state", "")}
        else:
            code = secrets.token_urlsafe(24)
            self._codes[code] = {
                "claims": dict(self.signed_in),
                "redirect_uri": redirect_uri,
                "nonce": query.get("nonce"),
                "challenge": query.get("code_challenge"),
                "challenge_method": query.get("code_challenge_method"),
                "expires": time.time() + 60,
            }
            params = {"code": code, "state": query.get("state", "")}
        start_response("302 Found", [("Location", f"{redirect_uri}?{urlencode(params)}")])
        return [b""]

    def _token(self, environ, start_response, query, form):
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        auth = environ.get("HTTP_AUTHORIZATION", "")
        if auth.startswith("Basic "):
            client_id, _, client_secret = base64.b64decode(auth[6:]).decode().partition(":")
        if client_id != self.client_id or not secrets.compare_digest(client_secret or "", self.client_secret):
            return self._json(start_response, 401, {"error": "invalid_client"})
        grant = self._codes.pop(form.get("code", ""), None)  # a code works once
        if form.get("grant_type") != "authorization_code" or grant is None or grant["expires"] < time.time():
            return self._json(start_response, 400, {"error": "invalid_grant"})
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return self._json(start_response, 400, {"error": "invalid_grant", "error_description": "redirect_uri"})
        if grant["challenge"]:
            verifier = form.get("code_verifier", "")
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if grant["challenge_method"] != "S256" or digest != grant["challenge"]:
                return self._json(start_response, 400, {"error": "invalid_grant", "error_description": "PKCE"})
        now = int(time.time())
        claims = grant["claims"]
        id_token = jwt.encode(
            {
                "iss": self.issuer or self.url,
                "aud": self.audience or self.client_id,
                "sub": claims["sub"],
                "iat": now,
                "exp": now + 300,
                "nonce": grant["nonce"],
                "amr": ["pwd"],
            },
            self._key,
            algorithm="RS256",
            headers={"kid": self._kid},
        )
        access_token = secrets.token_urlsafe(24)
        self._tokens[access_token] = claims
        return self._json(
            start_response, 200, {"access_token": access_token, "token_type": "Bearer", "expires_in": 300, "id_token": id_token}
        )

    def _userinfo(self, environ, start_response, query, form):
        auth = environ.get("HTTP_AUTHORIZATION", "")
        claims = self._tokens.get(auth[7:]) if auth.startswith("Bearer ") else None
        if claims is None:
            return self._json(start_response, 401, {"error": "invalid_token"}, headers=[("WWW-Authenticate", "Bearer")])
        return self._json(start_response, 200, claims)

    def _jwks(self, environ, start_response, query, form):
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self._key.public_key()))
        jwk.update({"kid": self._kid, "alg": "RS256", "use": "sig"})
        return self._json(start_response, 200, {"keys": [jwk]})


def follow_to_provider_and_back(client, start_url: str) -> tuple[str, object]:
    """Run the browser's part of the code flow: Systeemi → provider → Systeemi's callback.

    Returns the provider's redirect (the callback URL) and Systeemi's answer to it.
    """
    import requests

    start = client.get(start_url)
    assert start.status_code == 302, start
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302, at_provider.text
    callback = at_provider.headers["Location"]
    parts = urlsplit(callback)
    return callback, client.get(f"{parts.path}?{parts.query}")
