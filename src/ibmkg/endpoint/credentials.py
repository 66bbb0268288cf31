"""Credentials for a SPARQL endpoint: from options, the environment or a netrc file.

The password is never part of a message, a log line, a ``repr`` or a URL: errors name the
endpoint (scheme, host, port, path) and the *source* of the credentials, not their value.

Before anything is sent, :func:`check_target` refuses two mistakes unless the caller says
explicitly that this is a throw-away local test: Virtuoso's stock ``dba``/``dba`` account,
and plain ``http://`` to a host other than this machine (the password and the data would
cross the network in clear text).

>>> Credentials("editor", "s3cret", "options")
Credentials(user='editor', password='***', source='options')
>>> check_target("http://127.0.0.1:8890/sparql", Credentials("editor", "s3cret", "options"))
>>> check_target("http://db.example.org/sparql", None)
Traceback (most recent call last):
...
ibmkg.errors.CredentialsError: http://db.example.org/sparql: plain http:// to another \
host sends the data (and any password) in clear text; use https://, or pass --local-test \
for a throw-away server you run yourself
"""

from __future__ import annotations

import ipaddress
import netrc
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ibmkg.errors import CredentialsError
from ibmkg.store.http import display_url

__all__ = ["ENV_PASSWORD", "ENV_USER", "Credentials", "check_target", "is_loopback",
           "resolve_credentials"]

#: Environment variables read when no option gives the user or password.
ENV_USER = "IBMKG_ENDPOINT_USER"
ENV_PASSWORD = "IBMKG_ENDPOINT_PASSWORD"


@dataclass(frozen=True)
class Credentials:
    """A user name and password, and where they came from.

    :param user: the user name.
    :param password: the password (hidden from ``repr``).
    :param source: ``options``, ``environment`` or ``netrc <file>``.
    """

    user: str
    password: str = field(repr=False)
    source: str

    def __repr__(self) -> str:
        return f"Credentials(user={self.user!r}, password='***', source={self.source!r})"


def resolve_credentials(url: str, *, user: str | None = None, password: str | None = None,
                        netrc_file: Path | None = None, use_netrc: bool = False,
                        environ: Mapping[str, str] | None = None) -> Credentials | None:
    """Find the credentials for ``url``: options first, then the environment, then netrc.

    :param url: the endpoint (its host selects the netrc entry).
    :param user: ``--user``.
    :param password: ``--password``.
    :param netrc_file: a netrc file (default ``~/.netrc`` when ``use_netrc``).
    :param use_netrc: whether to read a netrc file.
    :param environ: the environment (default :data:`os.environ`).
    :returns: the credentials, or ``None`` for anonymous access.
    :raises CredentialsError: for a password without a user, a user without a password, or
        a netrc file that is missing, malformed or has no entry for the host.

    >>> resolve_credentials("https://x.org/sparql", environ={ENV_USER: "u", ENV_PASSWORD: "p"})
    Credentials(user='u', password='***', source='environment')
    >>> resolve_credentials("https://x.org/sparql", environ={}) is None
    True
    """
    env = os.environ if environ is None else environ
    where = display_url(url)
    if user is None and password is not None:
        raise CredentialsError(f"{where}: --password given without --user; add --user NAME")
    if user is not None:
        if password is not None:
            return Credentials(user, password, "options")
        if env.get(ENV_PASSWORD):
            return Credentials(user, env[ENV_PASSWORD], "options and environment")
        if not (use_netrc or netrc_file is not None):
            raise CredentialsError(f"{where}: --user {user} needs a password: add --password, "
                                   f"set {ENV_PASSWORD}, or use --netrc")
    elif env.get(ENV_USER):
        if not env.get(ENV_PASSWORD):
            raise CredentialsError(f"{where}: {ENV_USER} is set but {ENV_PASSWORD} is not; "
                                   "set both, or use --netrc")
        return Credentials(env[ENV_USER], env[ENV_PASSWORD], "environment")
    if not (use_netrc or netrc_file is not None):
        return None
    path = netrc_file if netrc_file is not None else Path.home() / ".netrc"
    host = urlsplit(url).hostname or ""
    try:
        entry = netrc.netrc(str(path)).authenticators(host)
    except FileNotFoundError:
        raise CredentialsError(f"{path}: no such netrc file; create it or give --netrc-file"
                               ) from None
    except netrc.NetrcParseError as err:
        # The parser's own message may quote a piece of a password: leave it out.
        raise CredentialsError(f"{path}:{err.lineno}: malformed netrc file; fix that line "
                               "(machine HOST login USER password SECRET, one entry a line)"
                               ) from None
    except OSError as err:
        raise CredentialsError(f"{path}: cannot read ({err.strerror})") from None
    if entry is None or (user is not None and entry[0] != user):
        raise CredentialsError(f"{path}: no 'machine {host}' entry"
                               + (f" for login {user}" if user else "")
                               + f"; add one for {where}")
    login, _, secret = entry
    if not login or not secret:
        raise CredentialsError(f"{path}: the entry for {host} needs both login and password")
    return Credentials(login, secret, f"netrc {path}")


def is_loopback(url: str) -> bool:
    """Whether ``url`` names this machine (``localhost``, 127.0.0.0/8, ``::1``).

    :param url: a URL.
    :returns: the answer.

    >>> is_loopback("http://127.0.0.1:8890/sparql"), is_loopback("http://example.org/")
    (True, False)
    """
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_target(url: str, credentials: Credentials | None, *, local_test: bool = False,
                 ) -> None:
    """Refuse unsafe publishing targets (see the module text) unless ``local_test``.

    :param url: the endpoint written to.
    :param credentials: the credentials that will be offered.
    :param local_test: the caller's explicit statement that this is a throw-away local test.
    :raises CredentialsError: for stock credentials or clear text to another host.
    """
    if local_test:
        return
    where = display_url(url)
    if credentials is not None and credentials.user.lower() == "dba" \
            and credentials.password == "dba":
        raise CredentialsError(
            f"{where}: refusing Virtuoso's stock dba/dba account; set a real password "
            "(isql: set password dba NEW), or pass --local-test for a throw-away server")
    if urlsplit(url).scheme.lower() == "http" and not is_loopback(url):
        raise CredentialsError(
            f"{where}: plain http:// to another host sends the data (and any password) in "
            "clear text; use https://, or pass --local-test for a throw-away server you run "
            "yourself")
