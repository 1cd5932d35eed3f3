"""What the Python tests share: how to reach `floe local serve`, and how a
check fails (a message on stderr and exit 1, which the Rust side reports).

The user and password come from FLOE_WIRE_USER / FLOE_WIRE_PASSWORD, set by
tests/common/python.rs for the account it serves.
"""

import os
import sys


def connection_options(port, database=None, schema=None, warehouse=None, password=None):
    """Connection settings for the account served on `port` at 127.0.0.1,
    in the form both snowflake.connector.connect(**options) and Snowpark's
    Session.builder.configs(options) take."""
    options = {
        "account": "local",
        "user": os.environ["FLOE_WIRE_USER"],
        "password": password if password is not None else os.environ["FLOE_WIRE_PASSWORD"],
        "host": "127.0.0.1",
        "port": port,
        "protocol": "http",
        "login_timeout": 30,
    }
    for key, value in (("database", database), ("schema", schema), ("warehouse", warehouse)):
        if value is not None:
            options[key] = value
    return options


def checker(script):
    """A `check(condition, message)` that exits 1 naming `script` when the
    condition does not hold."""

    def check(condition, message):
        if not condition:
            print(f"{script} check failed: {message}", file=sys.stderr)
            sys.exit(1)

    return check
