"""Files as task inputs and outputs: `FlyteFile`, `FlyteFile[format]`, named formats, `TextIO`/`BinaryIO`."""

from flytelite.types.file._ext import (
    CSVFile,
    FileExt,
    HDF5EncodedFile,
    HTMLPage,
    JoblibSerializedFile,
    JPEGImageFile,
    JSONLFile,
    ONNXFile,
    PDFFile,
    PNGImageFile,
    PythonNotebook,
    PythonPickledFile,
    SVGImageFile,
    TFRecordFile,
)
from flytelite.types.file._io import BinaryIOTransformer, TextIOTransformer
from flytelite.types.file.file import FlyteFile, FlyteFilePathTransformer

__all__ = [
    "BinaryIOTransformer",
    "CSVFile",
    "FileExt",
    "FlyteFile",
    "FlyteFilePathTransformer",
    "HDF5EncodedFile",
    "HTMLPage",
    "JPEGImageFile",
    "JSONLFile",
    "JoblibSerializedFile",
    "ONNXFile",
    "PDFFile",
    "PNGImageFile",
    "PythonNotebook",
    "PythonPickledFile",
    "SVGImageFile",
    "TFRecordFile",
    "TextIOTransformer",
]
