"""`python -m dealquest` does what the `dealquest` command does."""

import sys

from dealquest.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
