"""``python -m silkway``: the same as the ``silkway`` command."""

from .cli import run

if __name__ == "__main__":
    run()
