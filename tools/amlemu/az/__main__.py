"""`python -m amlemu.az`: run one `az` command, through the resident helper when one can serve it."""

import sys

from amlemu.az.entry import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
