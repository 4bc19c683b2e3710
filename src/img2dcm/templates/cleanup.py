"""Remove from a template what describes the template's own pixels or identity.

A template is only a source of patient/study/series and other descriptive attributes;
the image we wrap brings its own Image Pixel module and gets a new SOP Class/Instance.
"""

from __future__ import annotations

import logging

from pydicom.dataset import Dataset

logger = logging.getLogger(__name__)

#: Deleted by DCMTK img2dcm from the top level of every template
#: (``Image2Dcm::cleanupTemplate``, DCMTK 3.6.7/3.7.0; reference behaviour §2 step 1).
DCMTK_CLEANUP: tuple[str, ...] = (
    "PixelDataProviderURL",
    "PhotometricInterpretation",
    "SamplesPerPixel",
    "Rows",
    "Columns",
    "BitsAllocated",
    "BitsStored",
    "HighBit",
    "PixelRepresentation",
    "PixelData",
    "PlanarConfiguration",
    "PixelAspectRatio",
    "SmallestImagePixelValue",
    "LargestImagePixelValue",
    "RedPaletteColorLookupTableDescriptor",
    "GreenPaletteColorLookupTableDescriptor",
    "BluePaletteColorLookupTableDescriptor",
    "RedPaletteColorLookupTableData",
    "GreenPaletteColorLookupTableData",
    "BluePaletteColorLookupTableData",
    "ICCProfile",
    "SOPClassUID",
    "SOPInstanceUID",
)

#: Our addition (fixes reference §18 item 17): these also describe the template's pixel
#: data (frame count and timing, lossy history, offset tables, float pixels, the
#: rescale and window values that map its stored values, its derivation), so keeping
#: them would contradict the image being converted (a CT's intercept of -1024 applied
#: to a photo, an SC's source images named as the photo's sources).
EXTRA_CLEANUP: tuple[str, ...] = (
    "NumberOfFrames",
    "FrameIncrementPointer",
    "FrameTime",
    "LossyImageCompression",
    "LossyImageCompressionRatio",
    "LossyImageCompressionMethod",
    "ExtendedOffsetTable",
    "ExtendedOffsetTableLengths",
    "FloatPixelData",
    "DoubleFloatPixelData",
    "RescaleIntercept",
    "RescaleSlope",
    "RescaleType",
    "ModalityLUTSequence",
    "WindowCenter",
    "WindowWidth",
    "WindowCenterWidthExplanation",
    "VOILUTFunction",
    "VOILUTSequence",
    # The template's own derivation: the images it was derived from and how. Our image is
    # derived from the picture we wrap, never from those; kept, they would also make an OP
    # look DERIVED and need Purpose of Reference items the template may lack (PS3.3 §C.7.6.1,
    # §C.8.17.2).
    "SourceImageSequence",
    "DerivationDescription",
    "DerivationCodeSequence",
)

#: Everything removed, in the order it is checked.
CLEANUP_KEYWORDS: tuple[str, ...] = DCMTK_CLEANUP + EXTRA_CLEANUP


def cleanup_template(ds: Dataset) -> list[str]:
    """Delete the cleanup attributes from the top level of ``ds``; return their keywords.

    Like DCMTK, only the top level is touched: nested sequence items keep their content.
    """
    removed: list[str] = []
    # Command elements (group 0000) belong to DIMSE messages, never to a stored object.
    for elem in [e for e in ds if e.tag.group == 0x0000]:
        del ds[elem.tag]
        removed.append(elem.keyword or str(elem.tag))
    for keyword in CLEANUP_KEYWORDS:
        if keyword in ds:
            delattr(ds, keyword)
            removed.append(keyword)
    if removed:
        logger.debug("template cleanup removed: %s", ", ".join(removed))
    return removed
