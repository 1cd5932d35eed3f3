"""Talks to a floe wire server with the official Snowflake Python connector.

Usage: interop.py PORT   (user and password from FLOE_WIRE_USER / FLOE_WIRE_PASSWORD)

Checks what a Python user of the account would: SHOW WAREHOUSES answers rows
with Snowflake's column names, a CREATE / ALTER is visible to the next SHOW, a
refused statement raises ProgrammingError with Snowflake's code and SQLSTATE,
and a wrong password is refused at connect. Prints `interop ok` at the end;
any failed check exits non-zero with the reason.
"""

import os
import sys

import snowflake.connector
from snowflake.connector.errors import DatabaseError, ProgrammingError

from served import checker, connection_options


def connect(port, password):
    return snowflake.connector.connect(**connection_options(port, password=password))


def show_warehouses(cursor):
    cursor.execute("SHOW WAREHOUSES")
    names = [column[0] for column in cursor.description]
    return names, [dict(zip(names, row)) for row in cursor.fetchall()]


check = checker("interop")


def main():
    port = int(sys.argv[1])
    password = os.environ["FLOE_WIRE_PASSWORD"]

    connection = connect(port, password)
    try:
        cursor = connection.cursor()
        names, rows = show_warehouses(cursor)
        for column in ("name", "state", "size"):
            check(column in names, f"SHOW WAREHOUSES has no `{column}` column: {names}")

        cursor.execute("CREATE WAREHOUSE INTEROP_WH WAREHOUSE_SIZE = XSMALL")
        cursor.execute("ALTER WAREHOUSE INTEROP_WH SET WAREHOUSE_SIZE = LARGE")
        _, rows = show_warehouses(cursor)
        created = [row for row in rows if row["name"] == "INTEROP_WH"]
        check(len(created) == 1, f"INTEROP_WH is not listed after CREATE: {rows}")
        size = str(created[0]["size"]).upper().replace("-", "")
        check(size == "LARGE", f"INTEROP_WH size is {created[0]['size']!r} after ALTER")

        try:
            cursor.execute("ALTER WAREHOUSE INTEROP_MISSING_WH SET WAREHOUSE_SIZE = LARGE")
            check(False, "ALTER of a missing warehouse did not fail")
        except ProgrammingError as error:
            check(error.errno == 2003, f"expected error 002003, got {error.errno}: {error}")
            check(error.sqlstate == "02000", f"expected SQLSTATE 02000, got {error.sqlstate}")
            check("does not exist" in error.msg, f"unexpected message: {error.msg}")

        cursor.execute("DROP WAREHOUSE INTEROP_WH")
    finally:
        connection.close()

    try:
        connect(port, password + "-wrong").close()
        check(False, "a wrong password was accepted")
    except DatabaseError as error:
        check("Incorrect username or password" in str(error), f"unexpected login error: {error}")

    print("interop ok")


if __name__ == "__main__":
    main()
