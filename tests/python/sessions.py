"""Sessions of `floe local serve` as Snowflake's Python connector and Snowpark use them.

Usage: sessions.py PORT TABLES   (user and password from FLOE_WIRE_USER / FLOE_WIRE_PASSWORD)

The served account holds database CONF_DB (schemas RAW, FEATURES, BIG),
warehouse CONF_WH, and TABLES tables in CONF_DB.BIG. Checks what a Python
user relies on: each connection is its own session with the context it
logged in with; a SHOW larger than one page comes back whole through the
connector's chunk downloads; a text of two statements is refused unless the
statement count allows it, and then each statement's result is reached with
`nextset()`; heartbeat, SYSTEM$CANCEL_ALL_QUERIES and close answer as
Snowflake does, so that Snowpark sessions open and close. Prints
`sessions ok` at the end; a failed check exits non-zero with the reason.
"""

import sys

import snowflake.connector
from snowflake.connector.errors import ProgrammingError

from served import checker, connection_options


def settings(port):
    return connection_options(port, database="conf_db", schema="raw", warehouse="conf_wh")


check = checker("sessions")


def one(cursor, sql, **options):
    cursor.execute(sql, **options)
    return cursor.fetchall()


def refused(cursor, sql, **options):
    try:
        cursor.execute(sql, **options)
    except ProgrammingError as error:
        return error
    check(False, f"{sql!r} was not refused")


def each_login_is_its_own_session(first, second):
    a, b = first.cursor(), second.cursor()
    context = "SELECT CURRENT_DATABASE(), CURRENT_SCHEMA(), CURRENT_WAREHOUSE()"
    rows = one(a, context)
    check(rows == [("CONF_DB", "RAW", "CONF_WH")], f"login context: {rows}")
    check(first.database == "CONF_DB", f"connection.database is {first.database!r}")
    check(first.schema == "RAW", f"connection.schema is {first.schema!r}")
    check(first.session_id != second.session_id, "two logins share a session id")
    one(a, "USE SCHEMA CONF_DB.FEATURES")
    check(one(a, "SELECT CURRENT_SCHEMA()") == [("FEATURES",)], "USE SCHEMA had no effect")
    check(first.schema == "FEATURES", f"connection.schema is {first.schema!r} after USE")
    rows = one(b, "SELECT CURRENT_SCHEMA()")
    check(rows == [("RAW",)], f"USE SCHEMA on one connection changed another: {rows}")


def a_large_show_comes_in_chunks(first, tables):
    cursor = first.cursor()
    cursor.execute("SHOW TABLES IN SCHEMA CONF_DB.BIG")
    batches = cursor.get_result_batches()
    check(len(batches) > 1, f"{tables} rows came in {len(batches)} batch(es), not in chunks")
    rows = cursor.fetchall()
    check(len(rows) == tables, f"SHOW TABLES answered {len(rows)} rows, not {tables}")
    name = [column[0] for column in cursor.description].index("name")
    names = [row[name] for row in rows]
    check(names == [f"T{n:05}" for n in range(tables)], "the rows are not all there, in order")


def statement_counts(first, second):
    a, b = first.cursor(), second.cursor()
    error = refused(a, "SELECT 1; SELECT 2")
    check(error.errno == 8, f"expected error 000008, got {error.errno}: {error}")
    check(error.sqlstate == "0A000", f"expected SQLSTATE 0A000, got {error.sqlstate}")
    check(
        "Actual statement count 2 did not match the desired statement count 1." in error.msg,
        f"unexpected message: {error.msg}",
    )
    # num_statements travels as the statement parameter MULTI_STATEMENT_COUNT.
    a.execute("SELECT 'one'; SELECT 'two'", num_statements=2)
    check(a.fetchall() == [("one",)], "the first statement's result is not first")
    check(a.nextset() is a, "nextset() did not move to the second result")
    check(a.fetchall() == [("two",)], "the second statement's result is wrong")
    check(a.nextset() is None, "a third result appeared")
    error = refused(a, "SELECT 1", num_statements=2)
    check(error.errno == 8, f"a count of 2 for one statement: {error}")
    # The statement parameter lasted one request.
    refused(a, "SELECT 1; SELECT 2")
    # ALTER SESSION changes the count of that session only.
    one(b, "ALTER SESSION SET MULTI_STATEMENT_COUNT = 0")
    b.execute("SELECT 'x'; SELECT 'y'; SELECT 'z'")
    check(b.fetchall() == [("x",)], "ALTER SESSION did not allow three statements")
    refused(a, "SELECT 1; SELECT 2")


def session_endpoints(first):
    answer = first.rest._heartbeat()
    check(answer.get("success"), f"heartbeat failed: {answer}")
    rows = one(first.cursor(), f"SELECT SYSTEM$CANCEL_ALL_QUERIES({first.session_id})")
    check(rows == [("0 cancelled.",)], f"SYSTEM$CANCEL_ALL_QUERIES answered {rows}")


def snowpark_opens_and_closes(port):
    from snowflake.snowpark import Session

    session = Session.builder.configs(settings(port)).create()
    try:
        database = session.get_current_database()
        check(database == '"CONF_DB"' or database == "CONF_DB", f"Snowpark database: {database}")
        rows = session.sql("SELECT CURRENT_SCHEMA()").collect()
        check(rows[0][0] == "RAW", f"Snowpark schema: {rows}")
    finally:
        session.close()


def main():
    port = int(sys.argv[1])
    tables = int(sys.argv[2])
    first = snowflake.connector.connect(**settings(port))
    second = snowflake.connector.connect(**settings(port))
    try:
        each_login_is_its_own_session(first, second)
        a_large_show_comes_in_chunks(first, tables)
        statement_counts(first, second)
        session_endpoints(first)
    finally:
        first.close()
        second.close()
    snowpark_opens_and_closes(port)
    print("sessions ok")


if __name__ == "__main__":
    main()
