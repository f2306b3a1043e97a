"""mkdocs hook (mkdocs.yml `hooks:`): adds the AIRudder API reference, rendered from the spec, to the site."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # scripts/: api_reference, resource_generator

import api_reference


def on_files(files: Files, config: Any) -> Files:
    files.append(File.generated(config, api_reference.PAGE, content=api_reference.markdown()))
    return files
