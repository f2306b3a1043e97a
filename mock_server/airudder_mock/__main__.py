"""`python -m airudder_mock serve ...`, the same as `airudder-mock serve ...`."""

from .cli import main

main()
