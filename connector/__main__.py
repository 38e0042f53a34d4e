"""``python -m connector``: the same as ``inksoft-connector``."""

import sys

from connector.cli import main

sys.exit(main())
