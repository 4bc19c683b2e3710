"""Real peers for the network tests: DCMTK storescp and wlmscpfs, Orthanc with DICOMweb.

Each server listens on a free 127.0.0.1 port, is started by a fixture and stopped by its
own process id. Orthanc 1.10 has no bind-address setting: it is confined by
RemoteAccessAllowed=false (HTTP) and by accepting DICOM only from a known AE at 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ORTHANC_PLUGINS = Path("/usr/share/orthanc/plugins")


def need(tool: str, package: str) -> str:
    """A required external peer; missing means failure (CI installs it via .ci/run), never a skip."""
    found = shutil.which(tool) or shutil.which(tool, path="/usr/sbin:/sbin")  # Orthanc lives in /usr/sbin
    if found is None:
        pytest.fail(f"{tool} is required (apt-get install {package}; .ci/run does this)")
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, log: Path, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}: {log.read_text(errors='replace')[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"server did not listen on {port} within {seconds} s")


@dataclass
class Server:
    """A started peer; ``stop()`` ends exactly this process (by its pid)."""

    argv: list[str]
    port: int
    log: Path
    wait_ports: tuple[int, ...] = ()
    process: subprocess.Popen | None = field(default=None, repr=False)

    def start(self) -> Server:
        handle = self.log.open("ab")
        self.process = subprocess.Popen(self.argv, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        handle.close()
        for port in self.wait_ports or (self.port,):
            wait_for_port(port, self.process, self.log)
        return self

    def kill(self) -> None:
        """SIGKILL: the peer dies mid-conversation, as in a crash."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait(10)


def storescp(folder: Path, *, port: int | None = None, ae: str = "STORESCP", accept_all: bool = True) -> Server:
    """storescp writing each received dataset bit-preserving (+B) into ``folder``.

    ``accept_all=False`` keeps storescp's default: uncompressed syntaxes only (so JPEG is refused).
    """
    tool = need("storescp", "dcmtk")
    folder.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    argv = [tool, "-aet", ae, "+B", "-od", str(folder)] + (["+xa"] if accept_all else []) + [str(port)]
    return Server(argv, port, folder.parent / f"storescp-{port}.log").start()


def wlmscpfs(database: Path, *, port: int | None = None) -> Server:
    """wlmscpfs serving ``database/<AE>/*.wl``, returning each file's own Specific Character Set."""
    tool = need("wlmscpfs", "dcmtk")
    port = port or free_port()
    argv = [tool, "-dfp", str(database), "-csk", str(port)]
    return Server(argv, port, database.parent / f"wlmscpfs-{port}.log").start()


def worklist_file(folder: Path, name: str, dump_text: str, encoding: str) -> Path:
    """A worklist item made with dump2dcm from a dump written in ``encoding``."""
    tool = need("dump2dcm", "dcmtk")
    dump = folder / f"{name}.dump"
    dump.write_bytes(dump_text.encode(encoding))
    target = folder / f"{name}.wl"
    subprocess.run([tool, "-q", "-g", str(dump), str(target)], check=True, timeout=30)
    return target


@dataclass
class Orthanc:
    server: Server
    http_port: int
    dicom_port: int
    aet: str

    @property
    def dicomweb(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/dicom-web"

    @property
    def dicom(self) -> str:
        return f"dicom://{self.aet}@127.0.0.1:{self.dicom_port}"

    auth: tuple[str, str] | None = None

    def rest(self, path: str) -> object:
        import httpx

        response = httpx.get(f"http://127.0.0.1:{self.http_port}{path}", timeout=30, auth=self.auth)
        response.raise_for_status()
        return response.json() if "json" in response.headers.get("content-type", "") else response.content

    def instance_uids(self) -> list[str]:
        uids = []
        for orthanc_id in self.rest("/instances"):  # type: ignore[union-attr]
            tags = self.rest(f"/instances/{orthanc_id}/simplified-tags")
            uids.append(tags["SOPInstanceUID"])  # type: ignore[index]
        return uids


def orthanc(folder: Path, *, calling_ae: str = "IMG2DCM", jpeg: bool = True,
            users: dict[str, str] | None = None) -> Orthanc:
    """Our own Orthanc (storage in ``folder``), DICOMweb plugin on, DICOM only from ``calling_ae`` at 127.0.0.1."""
    tool = need("Orthanc", "orthanc")
    plugin = ORTHANC_PLUGINS / "libOrthancDicomWeb.so"
    if not plugin.exists():
        pytest.fail("the Orthanc DICOMweb plugin is required (apt-get install orthanc-dicomweb; .ci/run does this)")
    folder.mkdir(parents=True, exist_ok=True)
    http_port, dicom_port = free_port(), free_port()
    config = {
        "Name": "img2dcm-test", "StorageDirectory": str(folder / "db"), "IndexDirectory": str(folder / "db"),
        "HttpPort": http_port, "DicomPort": dicom_port, "DicomAet": "ORTHANC",
        "RemoteAccessAllowed": False, "AuthenticationEnabled": bool(users), "RegisteredUsers": users or {},
        "DicomCheckCalledAet": True, "DicomAlwaysAllowEcho": False, "DicomAlwaysAllowStore": False,
        "DicomCheckModalityHost": True, "DicomModalities": {"img2dcm": [calling_ae, "127.0.0.1", 104]},
        "JpegTransferSyntaxAccepted": jpeg,
        "Plugins": [str(plugin)], "DicomWeb": {"Enable": True, "Root": "/dicom-web/"},
        "StableAge": 1, "SaveJobs": False, "ConcurrentJobs": 1, "HttpThreadsCount": 4,
    }
    (folder / "orthanc.json").write_text(json.dumps(config), encoding="utf-8")
    argv = [tool, "--no-jobs", str(folder / "orthanc.json")]
    server = Server(argv, dicom_port, folder / "orthanc.log", wait_ports=(http_port, dicom_port)).start()
    auth = next(iter(users.items())) if users else None
    return Orthanc(server, http_port, dicom_port, "ORTHANC", auth)
