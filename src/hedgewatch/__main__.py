"""``python -m hedgewatch``: the command line, as the ``hedgewatch`` script runs it."""

from hedgewatch.cli import main

if __name__ == "__main__":
    main()
