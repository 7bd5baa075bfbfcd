"""Exit 0 when the PostgreSQL test database answers, 1 otherwise (used by the Makefile)."""
import os
import sys

import psycopg


def main() -> int:
    url = os.environ.get("MIPEVENTS_TEST_DATABASE_URL", "")
    if not url:
        return 1
    try:
        with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), connect_timeout=3):
            return 0
    except psycopg.Error:
        return 1


if __name__ == "__main__":
    sys.exit(main())
