"""img2dcm: turn ordinary images into valid DICOM objects, declaratively."""

__version__ = "0.1.0"
