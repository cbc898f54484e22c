"""`FileExt` for formats with dots (`Annotated[str, FileExt("tar.gz")]`) and flytekit's named file formats."""

from __future__ import annotations

import typing
from typing import Annotated

from flytelite.types.file.file import FlyteFile

__all__ = [
    "CSVFile",
    "FileExt",
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
]


class FileExt:
    """A file format given as a string, usable where a type is expected: `FlyteFile[Annotated[str, FileExt("x")]]`."""

    def __init__(self, ext: str) -> None:
        self._ext = ext

    def __str__(self) -> str:
        return self._ext

    def __repr__(self) -> str:
        return self._ext

    @staticmethod
    def check_and_convert_to_str(item: typing.Any) -> str:
        """Return the format string of `item` (a type, a string, or `Annotated[str, FileExt(...)]`).

        Raises:
            ValueError: an `Annotated` format whose base type is not `str`.
        """
        if typing.get_origin(item) is not Annotated:
            return str(item)
        base, *extra = typing.get_args(item)
        if base is not str:
            raise ValueError("Underlying type of File Extension must be of type <str>")
        return str(extra[0])


HDF5EncodedFile = FlyteFile[Annotated[str, FileExt("hdf5")]]
HTMLPage = FlyteFile[Annotated[str, FileExt("html")]]
JoblibSerializedFile = FlyteFile[Annotated[str, FileExt("joblib")]]
JPEGImageFile = FlyteFile[Annotated[str, FileExt("jpeg")]]
PDFFile = FlyteFile[Annotated[str, FileExt("pdf")]]
PNGImageFile = FlyteFile[Annotated[str, FileExt("png")]]
PythonPickledFile = FlyteFile[Annotated[str, FileExt("python_pickle")]]
PythonNotebook = FlyteFile[Annotated[str, FileExt("ipynb")]]
SVGImageFile = FlyteFile[Annotated[str, FileExt("svg")]]
CSVFile = FlyteFile[Annotated[str, FileExt("csv")]]
ONNXFile = FlyteFile[Annotated[str, FileExt("onnx")]]
TFRecordFile = FlyteFile[Annotated[str, FileExt("tfrecord")]]
JSONLFile = FlyteFile[Annotated[str, FileExt("jsonl")]]
