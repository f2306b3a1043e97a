"""`python -m airudder.webhooks`: the standalone receiver (needs airudder-workflow[webhooks]); `--help` says more."""

from airudder.extras import require

require("webhooks", "python -m airudder.webhooks")

from ._cli import main  # noqa: E402  (after the check: it imports the server stack)

main(prog_name="python -m airudder.webhooks")
