"""Orthanc as a real PACS: STOW-RS through its DICOMweb plugin, C-STORE, QIDO-RS echo, AE checks."""

from __future__ import annotations

import io
import json

import pytest
from pydicom import dcmread

from img2dcm.net import deliver
from img2dcm.profile.model import SendOptions
from tests.net import servers
from tests.net.files import dataset_bytes
from tests.tools import run_cli

FAST = SendOptions(retries=1, backoff=0.05, timeout=10)


def uids(paths):
    return {dcmread(p, stop_before_pixels=True).SOPInstanceUID for p in paths}


def test_stow_rs_stores_every_object(orthanc, make_objects, tmp_path):
    paths = make_objects(4, "jpeg", folder="stow-jpeg") + make_objects(2, "native", folder="stow-native")
    log = tmp_path / "stow.jsonl"
    result = run_cli("send", orthanc.dicomweb, *paths, "--run-log", log)
    assert result.code == 0, result.stderr
    assert "6 sent" in result.stdout
    assert uids(paths) <= set(orthanc.instance_uids())
    rows = [json.loads(line) for line in log.read_text().splitlines()]
    assert {r["destination"] for r in rows} == {orthanc.dicomweb} and {r["status"] for r in rows} == {"sent"}


def test_stow_rs_file_in_orthanc_is_the_file_sent(orthanc, make_objects):
    path = make_objects(1, "jpeg", folder="stow-one")[0]
    assert [r.status for r in deliver([path], [orthanc.dicomweb], FAST)] == ["sent"]
    uid = dcmread(path, stop_before_pixels=True).SOPInstanceUID
    for orthanc_id in orthanc.rest("/instances"):
        if orthanc.rest(f"/instances/{orthanc_id}/simplified-tags")["SOPInstanceUID"] == uid:
            stored = orthanc.rest(f"/instances/{orthanc_id}/file")
            break
    else:
        raise AssertionError("instance not in Orthanc")
    # Orthanc writes its own File Meta Information; the data set after it must be what we sent.
    assert dataset_bytes(io.BytesIO(stored)) == dataset_bytes(path.open("rb"))


def test_c_store_to_orthanc_and_echo_both_ways(orthanc, make_objects):
    paths = make_objects(3, "native", folder="cstore")
    assert run_cli("echo", orthanc.dicom).code == 0
    echo_web = run_cli("echo", orthanc.dicomweb)
    assert echo_web.code == 0 and "QIDO-RS ok" in echo_web.stdout
    result = run_cli("send", orthanc.dicom, *paths)
    assert result.code == 0, result.stderr
    assert uids(paths) <= set(orthanc.instance_uids())


def test_orthanc_rejects_an_unknown_calling_ae_once_not_per_retry(orthanc, make_objects, tmp_path):
    paths = make_objects(3, "native", folder="stranger")
    log = tmp_path / "log.jsonl"
    result = run_cli("send", orthanc.dicom, *paths, "--calling-ae", "STRANGER", "--run-log", log)
    assert result.code == 1
    assert f"{orthanc.aet}@127.0.0.1:{orthanc.dicom_port}" in result.stderr
    assert "association rejected permanently: calling AE title not recognised" in result.stderr
    rows = [json.loads(line) for line in log.read_text().splitlines()]
    assert "after" not in rows[0]["message"]  # a permanent rejection is not retried
    assert all("not attempted" in row["message"] for row in rows[1:])


def test_wrong_dicomweb_path_is_unsent_with_the_http_status(orthanc, make_objects):
    path = make_objects(1, "jpeg", folder="wrong-path")[0]
    url = orthanc.dicomweb.replace("/dicom-web", "/no-such-service")
    out = list(deliver([path], [url], FAST))
    assert out[0].status == "unsent" and "HTTP 404" in out[0].message
    echo = run_cli("echo", url)
    assert echo.code == 1 and url in echo.stderr and "404" in echo.stderr


@pytest.fixture(scope="module")
def guarded_orthanc(tmp_path_factory):
    peer = servers.orthanc(tmp_path_factory.mktemp("orthanc-auth"), users={"alice": "s3cret"})
    yield peer
    peer.server.stop()


def site_profile(tmp_path):
    path = tmp_path / "site.yaml"
    path.write_text("version: 1\nsend:\n  retries: 0\n  auth: {basic_user_env: PACS_USER, basic_password_env: PACS_PASSWORD}\n",
                    encoding="utf-8")
    return path


def test_basic_credentials_come_from_the_environment_variables_the_profile_names(guarded_orthanc, make_objects,
                                                                                 tmp_path, monkeypatch):
    path = make_objects(1, "jpeg", folder="auth")[0]
    site = site_profile(tmp_path)
    monkeypatch.delenv("PACS_USER", raising=False)
    missing = run_cli("send", guarded_orthanc.dicomweb, path, "--profile", site)
    assert missing.code == 1 and "environment variable PACS_USER (named in send.auth) is not set" in missing.stderr
    monkeypatch.setenv("PACS_USER", "alice")
    monkeypatch.setenv("PACS_PASSWORD", "wrong")
    refused = run_cli("send", guarded_orthanc.dicomweb, path, "--profile", site)
    assert refused.code == 1 and "HTTP 401" in refused.stderr
    monkeypatch.setenv("PACS_PASSWORD", "s3cret")
    assert run_cli("echo", guarded_orthanc.dicomweb, "--profile", site).code == 0
    sent = run_cli("send", guarded_orthanc.dicomweb, path, "--profile", site)
    assert sent.code == 0, sent.stderr
    assert uids([path]) <= set(guarded_orthanc.instance_uids())
    assert "s3cret" not in site.read_text()


def test_orthanc_without_jpeg_refuses_that_object_and_takes_the_native_one(make_objects, tmp_path):
    peer = servers.orthanc(tmp_path / "no-jpeg", jpeg=False)
    try:
        jpeg, native = make_objects(1, "jpeg", folder="nj")[0], make_objects(1, "native", folder="nn")[0]
        out = {r.output: r for r in deliver([jpeg, native], [peer.dicom], FAST)}
        assert out[str(jpeg)].status == "unsent"
        message = out[str(jpeg)].message
        assert "'JPEG Baseline (Process 1)'" in message and f"ORTHANC@127.0.0.1:{peer.dicom_port}" in message
        assert "it accepts this SOP class only as" in message and "Explicit VR Little Endian" in message
        assert out[str(native)].status == "sent"
        assert uids([native]) == set(peer.instance_uids())
    finally:
        peer.server.stop()
