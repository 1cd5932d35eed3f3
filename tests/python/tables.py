"""Table rows in `floe local serve` as Snowflake's Python connector reads and writes them.

Usage: tables.py PORT   (user and password from FLOE_WIRE_USER / FLOE_WIRE_PASSWORD)

The served account holds database TEAM with schema FLOE and warehouse
TEAM_WH. Creates a table, inserts rows, updates with WHERE and deletes
(checking `cursor.rowcount`, which the connector reads from Snowflake's
row-count result columns), selects the rows back with their types, and
checks that an explicit transaction is invisible to another session until
COMMIT and leaves nothing after ROLLBACK. Prints `tables ok` at the end; a
failed check exits non-zero with the reason.
"""

import datetime
import decimal
import sys

import snowflake.connector

from served import checker, connection_options


def settings(port):
    return connection_options(port, database="team", schema="floe", warehouse="team_wh")


check = checker("tables")


def rows(cursor, sql, params=None):
    cursor.execute(sql, params)
    return cursor.fetchall()


def dml_counts_rows(cursor):
    cursor.execute(
        "CREATE TABLE IF NOT EXISTS STATE_HEAD ("
        " ENV VARCHAR NOT NULL, SERIAL NUMBER(38,0) NOT NULL,"
        " HOLDER VARCHAR, WRITTEN_AT TIMESTAMP_NTZ)"
    )
    cursor.execute(
        "INSERT INTO STATE_HEAD (ENV, SERIAL, WRITTEN_AT) VALUES"
        " ('DEV', 1, '2026-01-02 03:04:05'), ('QA', 4, NULL), ('PROD', 9, NULL)"
    )
    check(cursor.rowcount == 3, f"INSERT rowcount {cursor.rowcount}")
    cursor.execute(
        "UPDATE STATE_HEAD SET SERIAL = %s, HOLDER = %s WHERE ENV = %s AND SERIAL = %s",
        (2, "ci@runner", "DEV", 1),
    )
    check(cursor.rowcount == 1, f"UPDATE of the expected serial: rowcount {cursor.rowcount}")
    cursor.execute(
        "UPDATE STATE_HEAD SET SERIAL = %s WHERE ENV = %s AND SERIAL = %s",
        (3, "DEV", 1),
    )
    check(cursor.rowcount == 0, f"UPDATE of a stale serial: rowcount {cursor.rowcount}")
    cursor.execute("DELETE FROM STATE_HEAD WHERE ENV = 'QA'")
    check(cursor.rowcount == 1, f"DELETE rowcount {cursor.rowcount}")
    got = rows(cursor, "SELECT ENV, SERIAL, HOLDER, WRITTEN_AT FROM STATE_HEAD ORDER BY ENV")
    want = [
        ("DEV", 2, "ci@runner", datetime.datetime(2026, 1, 2, 3, 4, 5)),
        ("PROD", 9, None, None),
    ]
    check(got == want, f"rows read back: {got}")
    check(isinstance(got[0][1], (int, decimal.Decimal)), f"SERIAL type: {type(got[0][1])}")


def transactions_are_per_session(first, second):
    a, b = first.cursor(), second.cursor()
    count = "SELECT COUNT(*) FROM STATE_HEAD"
    before = rows(a, count)
    a.execute("BEGIN TRANSACTION")
    a.execute("INSERT INTO STATE_HEAD (ENV, SERIAL) VALUES ('STAGING', 1)")
    a.execute("UPDATE STATE_HEAD SET SERIAL = SERIAL + 1")
    check(a.rowcount == 3, f"UPDATE inside the transaction: rowcount {a.rowcount}")
    check(rows(a, count) == [(3,)], f"own session inside the transaction: {rows(a, count)}")
    check(rows(b, count) == before, f"other session saw uncommitted rows: {rows(b, count)}")
    first.rollback()
    check(rows(a, count) == before, f"after ROLLBACK: {rows(a, count)}")
    check(
        rows(b, "SELECT SERIAL FROM STATE_HEAD WHERE ENV = 'DEV'") == [(2,)],
        "ROLLBACK kept the UPDATE",
    )
    a.execute("BEGIN")
    a.execute("DELETE FROM STATE_HEAD WHERE ENV = 'PROD'")
    a.execute("COMMIT")
    check(rows(b, count) == [(1,)], f"other session after COMMIT: {rows(b, count)}")


def main():
    port = int(sys.argv[1])
    first = snowflake.connector.connect(**settings(port))
    second = snowflake.connector.connect(**settings(port))
    try:
        dml_counts_rows(first.cursor())
        transactions_are_per_session(first, second)
    finally:
        first.close()
        second.close()
    print("tables ok")


if __name__ == "__main__":
    main()
