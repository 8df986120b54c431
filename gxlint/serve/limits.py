"""The limits of ``gxlint serve``: one value each, from the command line, else the ``serve:``
section of ``.gxlint.yaml`` (validated by gxlint.config, :data:`gxlint.config.SERVE_KEYS`), else
the defaults below.

The readers' own bounds (E006: a .docx over 200 MiB unpacked, a text over 4 MiB...) apply to
every uploaded file as in the command; these are the server's, on what a request may hold and
on how much work runs at once.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, fields


@dataclass
class Limits:
    host: str = "127.0.0.1"
    port: int = 0  # 0: a free port, chosen when listening
    max_upload_mb: float = 50.0  # a request's body, counted as it arrives (413 past it)
    max_files: int = 100  # report files in one request: uploaded, in .zip archives, and addresses
    workers: int = 0  # processes linting at once, shared by every user (0: the CPU cores)
    keep_minutes: float = 30.0  # a job's results in memory for the page and its downloads, then dropped
    allow_urls: bool = True  # whether the page may fetch reports by their addresses (the server fetches them)
    max_unzip_mb: float = 0.0  # a .zip upload's reports inflated, in all (0: four times max_upload_mb)
    max_queue: int = 0  # jobs waiting or running at once before the server answers 503 (0: 16 per worker)

    def __post_init__(self):
        if not self.workers:
            self.workers = max(1, os.cpu_count() or 1)
        if not self.max_unzip_mb:
            self.max_unzip_mb = 4 * self.max_upload_mb
        if not self.max_queue:
            self.max_queue = 16 * self.workers

    @property
    def max_upload(self) -> int:
        """The upload limit in bytes."""
        return int(self.max_upload_mb * 1024 * 1024)

    @property
    def max_unzip(self) -> int:
        return int(self.max_unzip_mb * 1024 * 1024)

    @classmethod
    def of(cls, configured: dict, given: dict) -> Limits:
        """The limits: ``given`` (command-line values, None where not given) over ``configured``
        (the config's ``serve:`` section) over the defaults."""
        names = {f.name for f in fields(cls)}
        values = {k: v for k, v in configured.items() if k in names}
        values.update({k: v for k, v in given.items() if k in names and v is not None})
        return cls(**values)
