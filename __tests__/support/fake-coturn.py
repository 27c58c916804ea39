"""A fake coturn federation listener for tests: DTLS 1.2 on 127.0.0.1, mutual authentication.

Modelled on Wire's coturn fork (github.com/wireapp/coturn, branch wireapp/4.6.2-federation):
- src/apps/relay/federation.c, federation_setup_dtls_ctx: DTLS 1.2 at least, its cipher list,
  and only when a CA file is configured: SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT |
  SSL_VERIFY_CLIENT_ONCE with a certificate verify callback (SSL_CTX_set_cert_verify_callback).
- federation.c, federation_cert_verify: OpenSSL's own chain verification first (X509_verify_cert,
  which for a server checks the client purpose, i.e. the clientAuth usage); then, when a whitelist
  is configured, the certificate's DNS subject alternative names (or its CN when it has no SAN)
  must match a whitelist host (hostcheck.c, wildcard_hostcheck(whitelist host, certificate name)),
  and when the entry names an issuer, the CN of an issuer in the verified chain must equal it.
  A refusal returns -1 with the verify error still X509_V_OK, so OpenSSL sends the alert
  certificate_unknown (ssl_x509err2alert); chain errors send their own (unknown_ca,
  unsupported_certificate, certificate_expired).
- mainrelay.c: `federation-remote-whitelist=<host>[,<issuer CN>]`, split at the first comma.

The cert verify callback is installed through pyOpenSSL's cffi binding (the same OpenSSL calls
as coturn), so the alerts on the wire are the ones coturn sends. Not modelled: the cookie
exchange (HelloVerifyRequest; OpenSSL's client handles both), heartbeats and relaying.

Usage: python3 fake-coturn.py --cert C --key K [--ca CA] [--whitelist host[,issuer]]... [--lifetime S]
Prints {"port": N} on stdout when it listens (port chosen by the OS), one JSON line per
handshake outcome on stdout, and exits after --lifetime seconds (default 60) or on SIGTERM.
"""
import argparse
import json
import select
import signal
import socket
import sys
import time

from OpenSSL import SSL, crypto
from OpenSSL.SSL import _ffi, _lib

COTURN_CIPHERS = (
    "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA256:"
    "ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA:ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES256-SHA384:"
    "ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES256-SHA:ECDHE-ECDSA-AES256-SHA:DHE-RSA-AES128-SHA256:"
    "DHE-RSA-AES128-SHA:DHE-RSA-AES256-SHA256:DHE-RSA-AES256-SHA"
)
DTLS1_2_VERSION = 0xFEFD


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def scan(name):
    """Length without a trailing dot, dot count, end of the first label, stars in it, first star."""
    n = len(name)
    dots = name.count(".")
    if name.endswith("."):
        n -= 1
        dots -= 1
    first_end = name.find(".")
    first_label = name if first_end < 0 else name[:first_end]
    return n, dots, first_end, first_label.count("*"), name.find("*")


def wildcard_hostcheck(hostname, pattern):
    """hostcheck.c: does `hostname` (a whitelist host) match `pattern` (a certificate name)?"""
    if not hostname or not pattern:
        return False
    p_len, p_dots, p_end, p_stars, p_star = scan(pattern)
    if p_stars > 1:
        return False
    h_len, h_dots, h_end, _, h_star = scan(hostname)
    if p_stars == 0:
        return hostname[:h_len].lower() == pattern[:p_len].lower()
    if p_end >= 0 and p_star > p_end:
        return False
    if h_star >= 0 or p_dots < 2 or p_dots != h_dots:
        return False
    if pattern[:4].lower() == "xn--":
        return False
    if h_dots == 3 and hostname[0].isdigit():
        return False
    if hostname[h_end:h_len].lower() != pattern[p_end:p_len].lower():
        return False
    if h_end < p_end:
        return False
    if hostname[:p_star].lower() != pattern[:p_star].lower():
        return False
    right = p_end - p_star - 1
    return hostname[h_end - right:h_end].lower() == pattern[p_star + 1:p_end].lower()


def names_of(cert):
    """The DNS SANs of a certificate, or [CN] when it has no SAN extension (federation.c)."""
    for i in range(cert.get_extension_count()):
        ext = cert.get_extension(i)
        if ext.get_short_name() == b"subjectAltName":
            return [part.strip()[4:] for part in str(ext).split(",") if part.strip().startswith("DNS:")]
    cn = cert.get_subject().CN
    return [cn] if cn else []


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--ca")
    parser.add_argument("--whitelist", action="append", default=[])
    parser.add_argument("--lifetime", type=float, default=60.0)
    args = parser.parse_args()

    whitelist = []
    for entry in args.whitelist:
        host, _, issuer = entry.partition(",")
        whitelist.append((host, issuer))

    ctx = SSL.Context(SSL.DTLS_METHOD)
    ctx.set_min_proto_version(DTLS1_2_VERSION)
    ctx.use_certificate_chain_file(args.cert)
    ctx.use_privatekey_file(args.key)
    ctx.set_cipher_list(COTURN_CIPHERS.encode())
    outcome = {}

    @_ffi.callback("int(X509_STORE_CTX *, void *)")
    def federation_cert_verify(store, _arg):
        preverify_ok = _lib.X509_verify_cert(store)
        if preverify_ok != 1:
            outcome["refused"] = "chain"
            outcome["verifyError"] = _lib.X509_STORE_CTX_get_error(store)
            return -1
        if not whitelist:
            return 1
        leaf_ptr = _lib.X509_STORE_CTX_get0_cert(store)
        _lib.X509_up_ref(leaf_ptr)
        leaf = crypto.X509._from_raw_x509_ptr(leaf_ptr)
        position = -1
        for name in names_of(leaf):
            position = next((i for i, (host, _) in enumerate(whitelist) if wildcard_hostcheck(host, name)), -1)
            if position >= 0:
                break
        if position < 0:
            outcome["refused"] = "whitelist"
            return -1
        issuer = whitelist[position][1]
        if not issuer:
            return 1
        chain = _lib.X509_STORE_CTX_get1_chain(store)
        try:
            for i in range(_lib.sk_X509_num(chain)):
                ptr = _lib.sk_X509_value(chain, i)
                _lib.X509_up_ref(ptr)
                if crypto.X509._from_raw_x509_ptr(ptr).get_issuer().CN == issuer:
                    return 1
        finally:
            for i in range(_lib.sk_X509_num(chain)):
                _lib.X509_free(_lib.sk_X509_value(chain, i))
            _lib.sk_X509_free(chain)
        outcome["refused"] = "issuer"
        return -1

    if args.ca:
        ctx.load_verify_locations(args.ca)
        ctx.set_verify(SSL.VERIFY_PEER | SSL.VERIFY_FAIL_IF_NO_PEER_CERT | SSL.VERIFY_CLIENT_ONCE)
        _lib.SSL_CTX_set_cert_verify_callback(ctx._context, federation_cert_verify, _ffi.NULL)

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    emit({"port": sock.getsockname()[1]})
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

    connections = {}
    established = set()
    deadline = time.monotonic() + args.lifetime
    while time.monotonic() < deadline:
        ready, _, _ = select.select([sock], [], [], 0.2)
        if not ready:
            continue
        data, addr = sock.recvfrom(65536)
        conn = connections.get(addr)
        if conn is None:
            conn = SSL.Connection(ctx, None)
            conn.set_accept_state()
            connections[addr] = conn
        conn.bio_write(data)
        closed = False
        try:
            if addr not in established:
                conn.do_handshake()
                established.add(addr)
                emit({"event": "accepted", "client": addr[1]})
            try:
                conn.recv(65536)
            except SSL.ZeroReturnError:
                closed = True
        except SSL.WantReadError:
            pass
        except SSL.Error as e:
            emit({"event": "refused", "client": addr[1], "reason": outcome.pop("refused", "handshake"), "error": str(e)})
            closed = True
        while True:
            try:
                pending = conn.bio_read(65536)
            except SSL.WantReadError:
                break
            if not pending:
                break
            sock.sendto(pending, addr)
        if closed:
            connections.pop(addr, None)
            established.discard(addr)


if __name__ == "__main__":
    main()
