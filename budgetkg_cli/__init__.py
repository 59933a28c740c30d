"""The ``budgetkg`` subcommands, one module per group; ``cli.py`` builds the parser from them.

Each group module has ``register(subparsers)``, adding its subcommands with their options
and the ``cmd_*`` function each dispatches to. Library errors become messages in ``cli.main``.
"""
