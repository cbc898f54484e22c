"""Folders as task inputs and outputs: `FlyteDirectory`, `FlyteDirectory[format]` and named folder formats."""

import typing

from flytelite.types.directory.types import FlyteDirectory, FlyteDirToMultipartBlobTransformer

__all__ = ["FlyteDirToMultipartBlobTransformer", "FlyteDirectory", "TFRecordsDirectory", "TensorboardLogs"]

tensorboard = typing.TypeVar("tensorboard")
TensorboardLogs = FlyteDirectory[tensorboard]
"""A folder of TensorBoard logs (format `tensorboard`)."""

tfrecords_dir = typing.TypeVar("tfrecords_dir")
TFRecordsDirectory = FlyteDirectory[tfrecords_dir]
"""A folder of TFRecord files (format `tfrecords_dir`)."""
