"""Where the shared folder is: $CAROM_SHARED, or ../shared beside the source tree."""
import os


def find_shared(source_root, *required):
    """The shared folder that has every path of `required` (relative to it), or None."""
    env = os.environ.get("CAROM_SHARED")
    candidates = [env] if env else []
    candidates.append(os.path.join(os.path.dirname(os.path.abspath(source_root)), "shared"))
    for c in candidates:
        if c and all(os.path.isfile(os.path.join(c, r)) for r in required):
            return c
    return None
