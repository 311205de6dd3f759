"""The public path `mockvoso.intercept`: the callable module mockvoso.testing.intercept."""

import sys

from mockvoso.testing import intercept as _intercept

# `import mockvoso.intercept` and `mockvoso.intercept(...)` both reach the real module,
# which is callable (see mockvoso/testing/intercept.py).
sys.modules[__name__] = _intercept
