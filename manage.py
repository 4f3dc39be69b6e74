#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    # Commands (imports, export builds, load_geography…) may run statements for minutes: the
    # settings give them COMMAND_STATEMENT_TIMEOUT, not the web's DATABASE_STATEMENT_TIMEOUT.
    # runserver serves pages and keeps the web's.
    if sys.argv[1:2] != ["runserver"]:
        os.environ.setdefault("DJANGO_PROCESS", "command")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
