"""snowflake-ml-python builds a feature store through `floe local serve`, and reads it back.

Usage:
  feature_store_register.py PORT DATABASE SCHEMA WAREHOUSE register
  feature_store_register.py PORT DATABASE SCHEMA WAREHOUSE check VIEW VERSION DESC

(user and password from FLOE_WIRE_USER / FLOE_WIRE_PASSWORD)

`register` makes the calls a user of the feature store makes to start one:
FeatureStore(..., creation_mode=CREATE_IF_NOT_EXIST), register_entity, and
register_feature_view twice, for a managed feature view (refresh_freq, a
dynamic table) and for a view (no refresh_freq). Every statement the library
sends must succeed; prints `registered` at the end.

`check` opens the same store with creation_mode=FAIL_IF_NOT_EXIST and checks
that list_feature_views() and get_feature_view() return DESC as the
description of VIEW/VERSION, that the entity and both feature views are still
listed; prints `checked` at the end.
"""

import sys

try:
    from snowflake.ml.feature_store import CreationMode, Entity, FeatureStore, FeatureView
    from snowflake.snowpark import Session
except ImportError as missing:
    print(
        f"feature_store_register.py needs snowflake-snowpark-python and snowflake-ml-python: {missing}\n"
        "install them with `pip install snowflake-snowpark-python snowflake-ml-python`",
        file=sys.stderr,
    )
    sys.exit(2)

from served import connection_options


ENTITY = "POINT"
MANAGED = "POINT_VOLUME"
VIEW = "POINT_SIZES"
VERSION = "V1"


def session(port, database, schema, warehouse):
    return Session.builder.configs(
        connection_options(port, database=database, warehouse=warehouse)
    ).create()


def register(sess, database, schema, warehouse):
    store = FeatureStore(
        sess,
        database,
        schema,
        default_warehouse=warehouse,
        creation_mode=CreationMode.CREATE_IF_NOT_EXIST,
    )
    point = Entity(name=ENTITY, join_keys=["PUDO_ID"], desc="A pick-up point")
    store.register_entity(point)
    parcels = f"{database}.SHARED_DATA.PARCELS"
    volume = FeatureView(
        name=MANAGED,
        entities=[point],
        feature_df=sess.sql(
            f"SELECT PUDO_ID, COUNT(*) AS PARCELS, MAX(ARRIVED_AT) AS UPDATED_AT FROM {parcels} GROUP BY PUDO_ID"
        ),
        timestamp_col="UPDATED_AT",
        refresh_freq="1 day",
        desc="Parcels per point",
    ).attach_feature_desc({"PARCELS": "Parcels that arrived"})
    store.register_feature_view(volume, VERSION)
    sizes = FeatureView(
        name=VIEW,
        entities=[point],
        feature_df=sess.sql(
            f"SELECT PUDO_ID, COUNT_IF(SIZE_CLASS IN ('L', 'XL')) AS LARGE FROM {parcels} GROUP BY PUDO_ID"
        ),
        desc="Large parcels per point",
    )
    store.register_feature_view(sizes, VERSION)
    print("registered")


def expect(actual, wanted, what):
    if actual != wanted:
        raise SystemExit(f"{what}: got {actual!r}, expected {wanted!r}")


def check(sess, database, schema, warehouse, view, version, desc):
    store = FeatureStore(
        sess,
        database,
        schema,
        default_warehouse=warehouse,
        creation_mode=CreationMode.FAIL_IF_NOT_EXIST,
    )
    entities = [row["NAME"] for row in store.list_entities().collect()]
    expect(entities, [ENTITY], "list_entities() names")
    rows = {(row["NAME"], row["VERSION"]): row for row in store.list_feature_views().collect()}
    expect(sorted(rows), sorted([(MANAGED, VERSION), (VIEW, VERSION)]), "list_feature_views() names")
    expect(rows[(view, version)]["DESC"], desc, f"list_feature_views() description of {view}/{version}")
    expect(store.get_feature_view(view, version).desc, desc, f"get_feature_view({view!r}, {version!r}).desc")
    print("checked")


def main():
    port, database, schema, warehouse, action = sys.argv[1:6]
    sess = session(int(port), database, schema, warehouse)
    if action == "register":
        register(sess, database, schema, warehouse)
    else:
        check(sess, database, schema, warehouse, *sys.argv[6:9])
    sess.close()


if __name__ == "__main__":
    main()
