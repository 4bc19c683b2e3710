"""dicoms:// against storescp with TLS: our CA and client certificate from the profile's send.tls."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.net import servers
from tests.tools import run_cli


def openssl(*args: str | Path) -> None:
    tool = servers.need("openssl", "openssl")
    subprocess.run([tool, *map(str, args)], check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A throw-away CA, a server certificate for 127.0.0.1 and a client certificate (openssl CLI)."""
    folder = tmp_path_factory.mktemp("pki")
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=img2dcm test CA",
            "-keyout", folder / "ca.key", "-out", folder / "ca.pem")
    (folder / "san.cnf").write_text("subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n")
    for name in ("server", "client"):
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={name}", "-keyout", folder / f"{name}.key",
                "-out", folder / f"{name}.csr")
        openssl("x509", "-req", "-in", folder / f"{name}.csr", "-CA", folder / "ca.pem", "-CAkey", folder / "ca.key",
                "-CAcreateserial", "-days", "2", "-extfile", folder / "san.cnf", "-out", folder / f"{name}.pem")
    return folder


@pytest.fixture
def tls_storescp(pki: Path, tmp_path: Path):
    tool = servers.need("storescp", "dcmtk")
    port = servers.free_port()
    folder = tmp_path / "tls-received"
    folder.mkdir()
    argv = [tool, "-aet", "SECURE", "+B", "+xa", "-od", str(folder), "+tls", str(pki / "server.key"),
            str(pki / "server.pem"), "+cf", str(pki / "ca.pem"), str(port)]
    server = servers.Server(argv, port, tmp_path / "storescp-tls.log").start()
    yield server, folder
    server.stop()


def profile(tmp_path: Path, pki: Path, client_cert: bool = True) -> Path:
    tls = f"{{ca: {pki / 'ca.pem'}" + (f", cert: {pki / 'client.pem'}, key: {pki / 'client.key'}}}" if client_cert
                                       else "}")
    path = tmp_path / "site.yaml"
    path.write_text(f"version: 1\nsend:\n  retries: 0\n  timeout: 10\n  tls: {tls}\n", encoding="utf-8")
    return path


def test_dicoms_with_client_certificate_delivers(make_objects, tls_storescp, pki, tmp_path):
    server, folder = tls_storescp
    paths = make_objects(2, "jpeg")
    url = f"dicoms://SECURE@127.0.0.1:{server.port}"
    assert run_cli("echo", url, "--profile", profile(tmp_path, pki)).code == 0
    result = run_cli("send", url, *paths, "--profile", profile(tmp_path, pki))
    assert result.code == 0, result.stderr
    assert len(list(folder.iterdir())) == 2


def test_dicoms_without_trusting_the_server_is_a_one_line_tls_error(tls_storescp, tmp_path):
    server, _ = tls_storescp
    url = f"dicoms://SECURE@127.0.0.1:{server.port}"
    result = run_cli("echo", url, "--timeout", "5")  # system CAs do not know our test CA
    assert result.code == 1
    assert result.stderr.startswith(f"E: SECURE@127.0.0.1:{server.port}: ") and "CERTIFICATE_VERIFY_FAILED" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_tls_file_names_the_setting(tmp_path, pki):
    site = tmp_path / "site.yaml"
    site.write_text(f"version: 1\nsend: {{tls: {{ca: {tmp_path / 'nope.pem'}}}}}\n", encoding="utf-8")
    result = run_cli("echo", "dicoms://SECURE@127.0.0.1:2762", "--profile", site)
    assert result.code == 2 and "send.tls.ca: file not found" in result.stderr
