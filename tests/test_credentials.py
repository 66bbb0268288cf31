"""Credentials come from options, the environment or netrc, and never show; unsafe targets
are refused unless the user says it is a local test."""

from __future__ import annotations

from pathlib import Path

import pytest

from ibmkg.endpoint.credentials import (
    ENV_PASSWORD,
    ENV_USER,
    Credentials,
    check_target,
    is_loopback,
    resolve_credentials,
)
from ibmkg.errors import CredentialsError

URL = "https://sparql.example.org/sparql"
SECRET = "correct-horse-battery-staple"


class TestResolve:
    def test_options_first(self) -> None:
        found = resolve_credentials(URL, user="editor", password=SECRET,
                                    environ={ENV_USER: "other", ENV_PASSWORD: "x"})
        assert found == Credentials("editor", SECRET, "options")

    def test_user_option_password_from_environment(self) -> None:
        found = resolve_credentials(URL, user="editor", environ={ENV_PASSWORD: SECRET})
        assert found is not None and found.password == SECRET

    def test_environment(self) -> None:
        found = resolve_credentials(URL, environ={ENV_USER: "editor", ENV_PASSWORD: SECRET})
        assert found is not None and found.source == "environment"

    def test_anonymous(self) -> None:
        assert resolve_credentials(URL, environ={}) is None

    def test_password_without_user(self) -> None:
        with pytest.raises(CredentialsError, match="--password given without --user") as err:
            resolve_credentials(URL, password=SECRET, environ={})
        assert SECRET not in str(err.value)

    def test_user_without_password(self) -> None:
        with pytest.raises(CredentialsError, match="needs a password"):
            resolve_credentials(URL, user="editor", environ={})

    def test_environment_user_without_password(self) -> None:
        with pytest.raises(CredentialsError, match=f"{ENV_PASSWORD} is not"):
            resolve_credentials(URL, environ={ENV_USER: "editor"})

    def test_netrc(self, tmp_path: Path) -> None:
        netrc = tmp_path / "netrc"
        netrc.write_text(f"machine sparql.example.org login editor password {SECRET}\n")
        netrc.chmod(0o600)
        found = resolve_credentials(URL, netrc_file=netrc, environ={})
        assert found is not None and (found.user, found.password) == ("editor", SECRET)
        assert SECRET not in repr(found) and found.source == f"netrc {netrc}"

    def test_netrc_without_entry(self, tmp_path: Path) -> None:
        netrc = tmp_path / "netrc"
        netrc.write_text(f"machine elsewhere.org login editor password {SECRET}\n")
        netrc.chmod(0o600)
        with pytest.raises(CredentialsError, match=r"no 'machine sparql\.example\.org' entry"):
            resolve_credentials(URL, netrc_file=netrc, environ={})

    def test_malformed_netrc_names_file_and_line_not_the_secret(self, tmp_path: Path) -> None:
        """Regression: the netrc parser's message quoted a word of an unquoted password."""
        netrc = tmp_path / "netrc"
        netrc.write_text("machine a.org login me password ok\n"
                         "machine sparql.example.org login editor password correct horse\n")
        netrc.chmod(0o600)
        with pytest.raises(CredentialsError, match=rf"^{netrc}:\d+: malformed netrc") as err:
            resolve_credentials(URL, netrc_file=netrc, environ={})
        assert "horse" not in str(err.value)

    def test_missing_netrc(self, tmp_path: Path) -> None:
        with pytest.raises(CredentialsError, match="no such netrc file"):
            resolve_credentials(URL, netrc_file=tmp_path / "absent", environ={})


class TestTarget:
    def test_stock_virtuoso_password_refused(self) -> None:
        with pytest.raises(CredentialsError, match="stock dba/dba"):
            check_target("https://db.example.org/sparql-auth", Credentials("dba", "dba", "x"))

    def test_clear_text_to_another_host_refused(self) -> None:
        with pytest.raises(CredentialsError, match="clear text") as err:
            check_target("http://db.example.org/sparql", Credentials("editor", SECRET, "x"))
        assert SECRET not in str(err.value)

    @pytest.mark.parametrize("url", ["http://127.0.0.1:8890/sparql", "http://localhost/sparql",
                                     "http://[::1]:8890/sparql", "https://db.example.org/q"])
    def test_allowed(self, url: str) -> None:
        check_target(url, Credentials("editor", SECRET, "x"))

    def test_local_test_allows_both(self) -> None:
        check_target("http://db.example.org/sparql", Credentials("dba", "dba", "x"),
                     local_test=True)

    def test_loopback(self) -> None:
        assert is_loopback("http://127.8.0.1/") and not is_loopback("http://10.0.0.1/")
