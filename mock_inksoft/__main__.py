"""``python -m mock_inksoft serve …``."""

import sys

from mock_inksoft.cli import main

sys.exit(main())
