"""Real peers for the network tests: DCMTK storescp and wlmscpfs, Orthanc with DICOMweb.

Each server listens on a free 127.0.0.1 port, is started by a fixture and stopped by its
own process id. DCMTK's servers bind all addresses and Orthanc 1.10 has no bind-address
setting, so every server runs with the ``bind_loopback.c`` LD_PRELOAD shim (any-address
binds become loopback binds), and :func:`listening_addresses` proves it from /proc.
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


SHIM_SOURCE = Path(__file__).with_name("bind_loopback.c")
_shim: list[Path] = []


def loopback_shim() -> Path:
    """Compile the bind shim once per test session (gcc; .ci/run installs it)."""
    if not _shim:
        compiler = need("gcc", "gcc")
        import tempfile

        target = Path(tempfile.mkdtemp(prefix="img2dcm-shim-")) / "libbindloopback.so"
        subprocess.run([compiler, "-shared", "-fPIC", "-O2", "-o", str(target), str(SHIM_SOURCE), "-ldl"],
                       check=True, capture_output=True, timeout=120)
        _shim.append(target)
    return _shim[0]


def listening_addresses(pid: int) -> set[str]:
    """Local addresses (hex, as in /proc/net/tcp*) of the TCP sockets ``pid`` listens on."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:  # 0A = LISTEN
                found.add(fields[1].rsplit(":", 1)[0])
    return found


LOOPBACK_HEX = {"0100007F", "00000000000000000000000001000000"}  # 127.0.0.1, ::1 (as /proc writes them)


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
        env = dict(os.environ, LD_PRELOAD=str(loopback_shim()))
        self.process = subprocess.Popen(self.argv, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        env=env)
        handle.close()
        for port in self.wait_ports or (self.port,):
            wait_for_port(port, self.process, self.log)
        exposed = listening_addresses(self.process.pid) - LOOPBACK_HEX
        if exposed:
            self.stop()
            raise RuntimeError(f"{self.argv[0]} listens beyond loopback ({sorted(exposed)}); tests never do")
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
