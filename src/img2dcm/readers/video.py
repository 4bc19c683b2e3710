"""Video reader: MPEG-2 (.mpg), H.264/AVC and HEVC/H.265 in MP4/QuickTime or MPEG-TS, passed through whole.

PS3.5 §8.2.5–§8.2.11: the container is kept (MP4 or MPEG-TS for AVC/HEVC; a program or
elementary stream for MPEG-2), so the file itself is Pixel Data, as dcm4che
jpg2dcm writes it. The transfer syntax follows from the codec's profile and
level; profiles DICOM has no syntax for are refused naming what was found. A
stream longer than one fragment may hold (2^32 - 2 bytes) takes the
fragmentable variant (Supplement 225) and is split; otherwise one fragment.
"""

from __future__ import annotations

import functools
import mmap
from fractions import Fraction
from pathlib import Path

from img2dcm.profile.model import InputOptions
from img2dcm.readers import mpegts
from img2dcm.readers.base import LossyFacts, PixelDescription, SourceImage, VideoFacts
from img2dcm.readers.mapped import parse_mapped
from img2dcm.readers.mp4 import AVC_ENTRIES, HEVC_ENTRIES, Movie, Mp4Error, Track, looks_like_video, read_movie
from img2dcm.readers.mpeg2 import Mpeg2Error, Mpeg2Video, looks_like_mpeg2, read_mpeg2
from img2dcm.readers.mpegts import TransportStream, TsError, looks_like_ts, read_ts
from img2dcm.readers.segments import file_frame

#: The largest fragment (an even length below 2^32 - 1, PS3.5 §A.4).
MAX_FRAGMENT = 0xFFFFFFFE

#: (profile, level) -> (syntax, its fragmentable variant; the same UID when the syntax
#: itself is fragmentable). PS3.5 §8.2.5–§8.2.11 and PS3.6 Table A-1.
MPEG2_SYNTAXES: dict[tuple[str, str], tuple[str, str]] = {
    ("Main", "Main"): ("1.2.840.10008.1.2.4.100", "1.2.840.10008.1.2.4.100.1"),
    ("Main", "High 1440"): ("1.2.840.10008.1.2.4.101", "1.2.840.10008.1.2.4.101.1"),
    ("Main", "High"): ("1.2.840.10008.1.2.4.101", "1.2.840.10008.1.2.4.101.1"),
}
#: H.264 profile_idc -> [(highest level_idc, syntax, fragmentable syntax)].
AVC_SYNTAXES: dict[int, list[tuple[int, str, str]]] = {
    100: [(41, "1.2.840.10008.1.2.4.102", "1.2.840.10008.1.2.4.102.1"),
          (42, "1.2.840.10008.1.2.4.104", "1.2.840.10008.1.2.4.104.1")],
    128: [(42, "1.2.840.10008.1.2.4.106", "1.2.840.10008.1.2.4.106.1")],
}
#: HEVC general_profile_idc -> (highest general_level_idc, syntax); both syntaxes are fragmentable.
HEVC_SYNTAXES: dict[int, tuple[int, str]] = {
    1: (153, "1.2.840.10008.1.2.4.107"),
}
AVC_PROFILES = {66: "Baseline", 77: "Main", 88: "Extended", 100: "High", 110: "High 10", 122: "High 4:2:2",
                244: "High 4:4:4 Predictive", 44: "CAVLC 4:4:4 Intra", 118: "Multiview High", 128: "Stereo High"}
HEVC_PROFILES = {1: "Main", 2: "Main 10", 3: "Main Still Picture", 4: "Range Extensions (e.g. Main 4:4:4)",
                 5: "High Throughput", 9: "Screen Content"}
TS_NAMES = {
    "1.2.840.10008.1.2.4.100": "MPEG2 Main Profile @ Main Level",
    "1.2.840.10008.1.2.4.100.1": "Fragmentable MPEG2 Main Profile @ Main Level",
    "1.2.840.10008.1.2.4.101": "MPEG2 Main Profile @ High Level",
    "1.2.840.10008.1.2.4.101.1": "Fragmentable MPEG2 Main Profile @ High Level",
    "1.2.840.10008.1.2.4.102": "MPEG-4 AVC/H.264 High Profile / Level 4.1",
    "1.2.840.10008.1.2.4.102.1": "Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.1",
    "1.2.840.10008.1.2.4.104": "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video",
    "1.2.840.10008.1.2.4.104.1": "Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video",
    "1.2.840.10008.1.2.4.106": "MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2",
    "1.2.840.10008.1.2.4.106.1": "Fragmentable MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2",
    "1.2.840.10008.1.2.4.107": "HEVC/H.265 Main Profile / Level 5.1",
}
#: Lossy Image Compression Method defined terms (PS3.3 §C.7.6.1.1.5.1).
METHODS = {"MPEG-2": "ISO_13818_2", "H.264/AVC": "ISO_14496_10", "HEVC/H.265": "ISO_23008_2"}
#: Audio sample entries we keep inside the container: AAC (PS3.5 §8.2.12 names MPEG-4 AAC).
KEPT_AUDIO = {b"mp4a": "AAC"}


class Reject(Exception):
    """Stop reading with a user-facing reason."""


class VideoReader:
    """MPEG-2 program/elementary streams, MP4/QuickTime files and MPEG transport streams."""

    name = "video"

    def accepts(self, prefix: bytes) -> bool:
        return looks_like_video(prefix) or looks_like_mpeg2(prefix) or looks_like_ts(prefix)

    def read(self, path: Path, options: InputOptions) -> SourceImage:
        path = Path(path)
        return parse_mapped(path, "a video", 16, functools.partial(_read, path), (Reject, Mp4Error, Mpeg2Error, TsError))


def _read(path: Path, data: mmap.mmap, size: int) -> SourceImage:
    if looks_like_ts(bytes(data[:16])):
        return _ts_image(path, read_ts(data, size), size)  # type: ignore[arg-type]
    if looks_like_mpeg2(bytes(data[:16])):
        return _mpeg2_image(path, read_mpeg2(data), size)  # type: ignore[arg-type]
    return _mp4_image(path, read_movie(data, size), size)  # type: ignore[arg-type]


def _mpeg2_image(path: Path, video: Mpeg2Video, size: int) -> SourceImage:
    found = f"MPEG-2 {video.profile} Profile @ {video.level} Level"
    syntaxes = MPEG2_SYNTAXES.get((video.profile, video.level))
    if syntaxes is None:
        raise Reject(f"{found}: DICOM has transfer syntaxes only for Main Profile @ Main Level and @ High Level")
    if video.chroma != "4:2:0":
        raise Reject(f"{found} with {video.chroma} chroma: Main Profile is 4:2:0 only")
    if video.frames == 0:
        raise Reject("no coded pictures in the MPEG-2 stream")
    notes = [(f"MPEG-2 video in a {video.container}: {video.width}x{video.height}, {float(video.frame_rate):.3f} fps, "
              f"{video.frames} pictures, {found}, chroma {video.chroma}")]
    audio = "MPEG audio" if video.has_audio else None
    warnings = [] if video.ended else [
        "the last pack runs past the end of the file: the stream is truncated, its last picture may be incomplete"
    ]
    facts = VideoFacts("MPEG-2", f"{video.profile}@{video.level}", video.container,
                       video.frames, float(1000 / video.frame_rate), round(video.frame_rate), audio)
    return _image(path, size, video.height, video.width, syntaxes, facts, notes, warnings)


def _mp4_image(path: Path, movie: Movie, size: int) -> SourceImage:
    videos = [t for t in movie.tracks if t.handler == b"vide"]
    if not videos:
        raise Reject("no video track in the MP4/QuickTime file")
    if len(videos) > 1:
        raise Reject(f"{len(videos)} video tracks: a DICOM video object holds one")
    track = videos[0]
    notes: list[str] = []
    warnings: list[str] = []
    if track.entry in AVC_ENTRIES:
        codec, found, syntaxes = _avc_config(track)
    elif track.entry in HEVC_ENTRIES:
        codec, found, syntaxes = _hevc_config(track)
    else:
        raise Reject(f"video codec '{track.entry.decode('latin-1')}': DICOM video is MPEG-2, H.264/AVC or HEVC/H.265")
    if track.entry in (b"avc3", b"hev1"):
        notes.append(f"sample entry '{track.entry.decode()}': parameter sets travel in the stream (accepted)")
    if track.sample_count == 0 or track.timescale == 0:
        raise Reject("the video track has no samples or no timescale")
    ticks = track.duration or sum(count * delta for count, delta in track.durations)
    if ticks == 0:
        raise Reject("the video track has no duration: no frame rate")
    rate = Fraction(track.sample_count * track.timescale, ticks)
    if len({delta for _count, delta in track.durations}) > 1:
        warnings.append("variable frame rate: Frame Time is the mean frame duration")
    audio = _audio(movie, warnings)
    notes.insert(0, f"{movie.brand} container: {track.width}x{track.height}, {float(rate):.3f} fps, "
                    f"{track.sample_count} frames, {found}")
    container = "QuickTime" if movie.brand == "qt" else "MP4"
    if container == "QuickTime":
        warnings.append(
            "QuickTime container (brand 'qt'): PS3.5 names the MP4 container; it is kept as is, as dcm4che "
            "does, and common decoders read it, but a strict receiver may want it remuxed to MP4"
        )
    facts = VideoFacts(codec, found.split(" ", 1)[1], container, track.sample_count,
                       float(Fraction(1000) / rate), round(rate), audio)
    return _image(path, size, track.height, track.width, syntaxes, facts, notes, warnings)


def _avc_config(track: Track) -> tuple[str, str, tuple[str, str]]:
    """avcC (14496-15 §5.3.3.1): byte 1 profile_idc, byte 3 level_idc."""
    if len(track.config) < 4:
        raise Reject("H.264 track without an avcC configuration record")
    return _avc(track.config[1], track.config[3])


def _avc(profile: int, level: int, chroma: int = 1, depth: int = 8) -> tuple[str, str, tuple[str, str]]:
    """The syntax for an H.264 profile/level (High implies 4:2:0 or monochrome, 8-bit)."""
    name = AVC_PROFILES.get(profile, f"profile_idc {profile}")
    found = f"H.264 {name}@{level / 10:g}"
    limits = AVC_SYNTAXES.get(profile)
    if limits is None:
        supported = ", ".join(f"{AVC_PROFILES[p]} (level <= {max(lv for lv, _s, _f in v) / 10:g})" for p, v in AVC_SYNTAXES.items())
        raise Reject(f"{found} (profile_idc {profile}, level_idc {level}): DICOM has H.264 syntaxes only for {supported}")
    if chroma != 1 or depth != 8:
        raise Reject(f"{found} with chroma_format_idc {chroma}, {depth}-bit: DICOM video is 8-bit 4:2:0 (YBR_PARTIAL_420)")
    for limit, syntax, fragmentable in limits:
        if level <= limit:
            return "H.264/AVC", found, (syntax, fragmentable)
    raise Reject(f"{found}: level above {limits[-1][0] / 10:g}, the highest DICOM has a syntax for with this profile")


def _hevc_config(track: Track) -> tuple[str, str, tuple[str, str]]:
    """hvcC (14496-15 §8.3.3.1): profile_idc in byte 1, level in byte 12, chroma 16, bit depth 17."""
    config = track.config
    if len(config) < 19:
        raise Reject("HEVC track without an hvcC configuration record")
    return _hevc(config[1] & 0x1F, config[12], config[16] & 0x03, (config[17] & 0x07) + 8)


def _hevc(profile: int, level: int, chroma: int, depth: int) -> tuple[str, str, tuple[str, str]]:
    """The syntax for an HEVC profile/level; Main (8-bit 4:2:0) only."""
    name = HEVC_PROFILES.get(profile, f"general_profile_idc {profile}")
    found = f"HEVC {name}@{level / 30:g}"
    if profile == 2:
        raise Reject(
            f"{found}: 10-bit HEVC (.108) is not written yet: the video IODs' VL Image module is "
            "described here for 8-bit samples only"
        )
    entry = HEVC_SYNTAXES.get(profile)
    if entry is None or chroma != 1 or depth != 8:
        raise Reject(
            f"{found} ({'4:2:0' if chroma == 1 else f'chroma_format_idc {chroma}'}, {depth}-bit): "
            "DICOM has an HEVC syntax for Main Profile (8-bit 4:2:0) only here"
        )
    limit, syntax = entry
    if level > limit:
        raise Reject(f"{found}: level above 5.1, the highest DICOM has a syntax for")
    return "HEVC/H.265", found, (syntax, syntax)


def _ts_image(path: Path, stream: TransportStream, size: int) -> SourceImage:
    sps = stream.sps
    if sps is None:
        raise Reject("no sequence parameter set found at the start of the video stream")
    if stream.video_type == mpegts.AVC:
        codec, found, syntaxes = _avc(sps.profile_idc, sps.level_idc, sps.chroma_format_idc, sps.bit_depth)
    else:
        codec, found, syntaxes = _hevc(sps.profile_idc, sps.level_idc, sps.chroma_format_idc, sps.bit_depth)
    if stream.pictures < 1 or stream.frame_ticks == 0:
        raise Reject("the video stream has too few pictures with time stamps to give a frame rate")
    rate = Fraction(mpegts.PTS_HZ, stream.frame_ticks)
    warnings: list[str] = []
    audio = _kept_audio(stream.audio, "transport stream", warnings)
    notes = [f"MPEG-TS container: {sps.width}x{sps.height}, {float(rate):.3f} fps, {stream.pictures} frames, {found}"]
    facts = VideoFacts(codec, found.split(" ", 1)[1], "MPEG-TS", stream.pictures,
                       float(Fraction(1000) / rate), round(rate), audio)
    return _image(path, size, sps.height, sps.width, syntaxes, facts, notes, warnings)


def _kept_audio(kinds: list[str], container: str, warnings: list[str]) -> str | None:
    """AAC stays in the container with a warning; any other audio codec is refused."""
    if not kinds:
        return None
    unknown = [kind for kind in kinds if not kind.startswith("AAC")]
    if unknown:
        raise Reject(
            f"audio codec '{unknown[0]}': DICOM video carries AAC audio only; re-encode the audio "
            "as AAC or remove it (ffmpeg -c:a aac / -an)"
        )
    audio = f"{', '.join(sorted(set(kinds)))} x{len(kinds)}"
    warnings.append(
        f"audio track ({audio}) kept inside the {container}: PS3.5 §8.2.12 allows audio "
        "in AVC and HEVC streams; receivers that ignore it still show the video"
    )
    return audio


def _audio(movie: Movie, warnings: list[str]) -> str | None:
    sounds = [t for t in movie.tracks if t.handler == b"soun"]
    kinds = [KEPT_AUDIO.get(t.entry, t.entry.decode("latin-1")) for t in sounds]
    return _kept_audio(kinds, f"{movie.brand} container", warnings)


def _image(path: Path, size: int, rows: int, columns: int, syntaxes: tuple[str, str], facts: VideoFacts,
           notes: list[str], warnings: list[str]) -> SourceImage:
    """One stream, one fragment when it fits, else the fragmentable syntax and several fragments."""
    syntax, fragmentable = syntaxes
    if size > MAX_FRAGMENT:
        syntax = fragmentable
        notes.append(f"stream of {size} bytes > {MAX_FRAGMENT}: fragmentable syntax, {-(-size // MAX_FRAGMENT)} fragments")
    ranges = [(start, min(MAX_FRAGMENT, size - start)) for start in range(0, size, MAX_FRAGMENT)]
    frames = tuple(file_frame(path, ((start, length),)) for start, length in ranges)
    notes.append(f"transfer syntax: {syntax} {TS_NAMES.get(syntax, '')}; the whole file is Pixel Data (container kept)")
    pixels = PixelDescription(
        rows=rows,
        columns=columns,
        samples_per_pixel=3,
        photometric_interpretation="YBR_PARTIAL_420",
        bits_allocated=8,
        bits_stored=8,
        high_bit=7,
        transfer_syntax=syntax,
        planar_configuration=0,
        lossy=LossyFacts(METHODS[facts.codec]),
    )
    return SourceImage(path=path, format="video", pixels=pixels, frames=frames,
                       notes=tuple(notes), warnings=tuple(warnings), video=facts)
