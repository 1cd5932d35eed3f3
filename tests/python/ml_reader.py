"""Reads what floe applied the way Snowflake's Python feature store and model
registry read it, over the official connector and `floe local serve`.

Usage: ml_reader.py PORT DATABASE ENV   (user and password from
FLOE_WIRE_USER / FLOE_WIRE_PASSWORD)

The statements, the columns used and the parsing rules are those of
snowflake-ml-python as recorded in the project's Snowflake reference
(feature store sections 1-3, registry section 4): the feature store is
recognised by its two tags, entities are read from their tags' allowed
values, a feature view's CREATE text must match the library's regex (whose
query and metadata it uses), a cron feature view's schedule comes from its
refresh task, and a model version's metrics come from its metadata JSON.
Prints `ml reader ok` at the end; a failed check exits non-zero with why.
"""

import json
import os
import re
import sys

import snowflake.connector

# The feature store's parse of a feature view's `text` (re.match, so anchored).
FV_TEXT = re.compile(
    r"""CREATE\ (OR\ REPLACE\ )?(?P<obj_type>(DYNAMIC\ ICEBERG\ TABLE|DYNAMIC\ TABLE|VIEW))\ .*
    COMMENT\ =\ '(?P<comment>.*)'\s*
    TAG.*?SNOWML_FEATURE_VIEW_METADATA\ =\ '(?P<fv_metadata>.*?)',?.*?
    AS\ (?P<query>.*)""",
    re.DOTALL | re.IGNORECASE | re.VERBOSE,
)
ENTITY_TAG_PREFIX = "SNOWML_FEATURE_STORE_ENTITY_"
KNOWN_OBJECT_TYPES = {"MANAGED_FEATURE_VIEW", "EXTERNAL_FEATURE_VIEW", "FEATURE_VIEW_REFRESH_TASK"}


def check(condition, message):
    if not condition:
        print(f"ml reader check failed: {message}", file=sys.stderr)
        sys.exit(1)


def rows(cursor, sql):
    cursor.execute(sql)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def object_type(cursor, fs, obj, domain):
    cursor.execute(
        f"SELECT SYSTEM$GET_TAG('{fs}.SNOWML_FEATURE_STORE_OBJECT', '{obj}', '{domain}')"
    )
    value = cursor.fetchone()[0]
    check(value is not None, f"{obj} has no SNOWML_FEATURE_STORE_OBJECT tag")
    return json.loads(value)["type"]


def read_feature_store(cursor, db, schema):
    fs = f"{db}.{schema}"
    check(rows(cursor, f"SHOW SCHEMAS LIKE '{schema}' IN DATABASE {db}"), f"no schema {fs}")
    for tag in ("SNOWML_FEATURE_STORE_OBJECT", "SNOWML_FEATURE_VIEW_METADATA"):
        check(rows(cursor, f"SHOW TAGS LIKE '{tag}' IN SCHEMA {fs}"), f"{fs} lacks the tag {tag}")

    entities = {}
    for tag in rows(cursor, f"SHOW TAGS LIKE '{ENTITY_TAG_PREFIX}%' IN SCHEMA {fs}"):
        name = tag["name"][len(ENTITY_TAG_PREFIX):]
        entities[name] = json.loads(tag["allowed_values"].replace(",", '", "'))
    check(entities, f"no entity in {fs}")

    views = rows(cursor, f"SHOW DYNAMIC TABLES IN SCHEMA {fs}") + rows(cursor, f"SHOW VIEWS IN SCHEMA {fs}")
    feature_views = [v for v in views if "$" in v["name"]]
    check(feature_views, f"no feature view in {fs}")
    for view in feature_views:
        name = view["name"]
        found = FV_TEXT.match(view["text"])
        check(found is not None, f"{name}: the feature store cannot parse its text:\n{view['text']}")
        metadata = json.loads(found.group("fv_metadata"))
        check(set(metadata) == {"entities", "timestamp_col"}, f"{name}: metadata {metadata}")
        for entity in metadata["entities"]:
            check(entity in entities, f"{name}: entity {entity} is not an entity of {fs}")
        query = found.group("query").strip()
        check(query.upper().startswith(("SELECT", "WITH")), f"{name}: query read as {query[:60]!r}")
        domain = "TABLE"
        kind = object_type(cursor, fs, f"{fs}.{name}", domain)
        check(kind in KNOWN_OBJECT_TYPES, f"{name}: object type {kind}")
        if view.get("target_lag") == "DOWNSTREAM":
            tasks = rows(cursor, f"SHOW TASKS LIKE '{name}' IN SCHEMA {fs}")
            check(len(tasks) == 1, f"{name}: no refresh task")
            check(tasks[0]["schedule"].startswith("USING CRON "), f"{name}: schedule {tasks[0]['schedule']}")
            check(tasks[0]["state"] == "started", f"{name}: refresh task {tasks[0]['state']}")
            kind = object_type(cursor, fs, f"{fs}.{name}", "TASK")
            check(kind == "FEATURE_VIEW_REFRESH_TASK", f"{name}: refresh task tagged {kind}")
    return len(entities), len(feature_views)


def read_registry(cursor, db, schema):
    models = rows(cursor, f"SHOW MODELS IN SCHEMA {db}.{schema}")
    check(models, f"no model in {db}.{schema}")
    versions_read = 0
    for model in models:
        fq = f"{db}.{schema}.{model['name']}"
        versions = rows(cursor, f"SHOW VERSIONS IN MODEL {fq}")
        check(versions, f"{fq} has no version")
        defaults = [v["name"] for v in versions if v["is_default_version"] in (True, "true")]
        check(defaults == [model["default_version_name"]], f"{fq}: default {defaults}")
        for version in versions:
            metadata = json.loads(version["metadata"])
            if metadata:
                check(
                    metadata.get("snowpark_ml_schema_version") == "2024-01-01",
                    f"{fq} {version['name']}: metadata {metadata}",
                )
                check(isinstance(metadata.get("metrics"), dict), f"{fq}: metrics {metadata}")
            versions_read += 1
    return len(models), versions_read


def main():
    port, db, env = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    conn = snowflake.connector.connect(
        user=os.environ["FLOE_WIRE_USER"],
        password=os.environ["FLOE_WIRE_PASSWORD"],
        account="local",
        host="127.0.0.1",
        port=port,
        protocol="http",
        login_timeout=30,
    )
    cursor = conn.cursor()
    entities, feature_views = read_feature_store(cursor, db, f"FEATURE_STORE_{env}")
    models, versions = read_registry(cursor, db, f"MODEL_REGISTRY_{env}")
    conn.close()
    print(
        f"read {entities} entities, {feature_views} feature views, "
        f"{models} models with {versions} versions"
    )
    print("ml reader ok")


if __name__ == "__main__":
    main()
