"""Snowflake's own Python libraries read what floe applied, through `floe local serve`.

Usage: ml_clients.py PORT PLAN_JSON   (user and password from FLOE_WIRE_USER /
FLOE_WIRE_PASSWORD)

PLAN_JSON is the output of `floe plan --json` taken before the project was
applied: the `after` value of each change is a declaration resolved for the
environment, so every expectation below comes from the project's YAML.

The calls are those a user of the feature store and the model registry makes
(snowflake-snowpark-python, snowflake-ml-python): a Snowpark session, then
FeatureStore(..., creation_mode=FAIL_IF_NOT_EXIST) with list_entities,
get_entity, list_feature_views and get_feature_view, then Registry with
show_models, get_model, show_versions, the default version, versions by name
and by alias and their metrics, and finally closing the session. Each call is
checked against the declarations; every failed call is reported (with the
exception the library raised) before the script exits non-zero. Prints
`ml clients ok` when all calls return what the project declares.
"""

import json
import sys

try:
    from snowflake.ml.feature_store import CreationMode, FeatureStore
    from snowflake.ml.registry import Registry
    from snowflake.snowpark import Session
except ImportError as missing:
    print(
        f"ml_clients.py needs snowflake-snowpark-python and snowflake-ml-python: {missing}\n"
        "install them with `pip install snowflake-snowpark-python snowflake-ml-python`",
        file=sys.stderr,
    )
    sys.exit(2)


from served import connection_options

# Aliases Snowflake gives versions by itself (SHOW VERSIONS IN MODEL lists them too).
SYSTEM_ALIASES = {"DEFAULT", "FIRST", "LAST"}


class Mismatch(Exception):
    """A call returned something other than what the project declares."""


def expect(actual, declared, what):
    if actual != declared:
        raise Mismatch(f"{what}: got {actual!r}, the project declares {declared!r}")


def text(value):
    """A library identifier (SqlIdentifier) or plain value as text."""
    return None if value is None else str(value)


def json_list(value):
    """An ARRAY or JSON-text column as a Python list."""
    return json.loads(value) if isinstance(value, str) else list(value)


class Declared:
    """The declarations of one environment, read from `floe plan --json`."""

    def __init__(self, plan):
        after = {}
        for change in plan["changes"]:
            if change["after"] is not None:
                after.setdefault(change["kind"], []).append(change["after"])
        self.entities = {e["name"]: e for e in after.get("entity", [])}
        self.feature_views = {(v["feature_view"], v["version"]): v for v in after.get("feature_view", [])}
        self.models = {m["name"]: m for m in after.get("model", [])}
        stores = [s for s in after.get("schema", []) if s.get("feature_store")]
        if len(stores) != 1 or not self.entities or not self.feature_views or not self.models:
            raise SystemExit(
                "the plan must declare one feature store with entities and feature views, and a model"
            )
        self.database = stores[0]["database"]
        self.feature_store = stores[0]["name"]
        registries = {m["schema"] for m in self.models.values()}
        if len(registries) != 1:
            raise SystemExit(f"the models must live in one registry schema, not {sorted(registries)}")
        self.registry = registries.pop()
        warehouses = {v["warehouse"] for v in self.feature_views.values() if v.get("warehouse")}
        self.feature_warehouse = sorted(warehouses)[0]

    def feature_descs(self, view):
        """Column comments of a feature view's feature columns (not its keys or timestamp)."""
        keys = {k for e in view["entities"] for k in self.entities[e]["join_keys"]}
        keys.add(view.get("timestamp_col"))
        return {c["name"]: c["comment"] for c in view["columns"] if c["name"] not in keys and c.get("comment")}


class Calls:
    """Runs each library call, recording which ones fail and why."""

    def __init__(self):
        self.failed = []

    def run(self, name, call):
        try:
            result = call()
        except Exception as error:  # the report names every failing call
            detail = str(error) if isinstance(error, Mismatch) else f"{type(error).__name__}: {error}"
            self.failed.append(name)
            print(f"FAIL {name}\n     {detail.strip()}")
            return None
        print(f"ok   {name}")
        return result


def declared_options(port, declared):
    return connection_options(
        port,
        database=declared.database,
        schema=declared.feature_store,
        warehouse=declared.feature_warehouse,
    )


def check_context(session, declared):
    current = [
        text(session.get_current_database()),
        text(session.get_current_schema()),
        text(session.get_current_warehouse()),
    ]
    login = [declared.database, declared.feature_store, declared.feature_warehouse]
    expect([c.strip('"') if c else c for c in current], login, "the login's database, schema and warehouse")


def check_entities(store, declared):
    rows = store.list_entities().collect()
    listed = {row["NAME"]: (json_list(row["JOIN_KEYS"]), row["DESC"]) for row in rows}
    wanted = {name: (e["join_keys"], e["description"]) for name, e in declared.entities.items()}
    expect(listed, wanted, "list_entities() names, join keys and descriptions")


def check_entity(store, entity):
    found = store.get_entity(entity["name"])
    expect(text(found.name), entity["name"], "name")
    expect([text(k) for k in found.join_keys], entity["join_keys"], f"{entity['name']} join keys")
    expect(found.desc, entity["description"], f"{entity['name']} description")


def listed_view(row):
    return {
        "desc": row["DESC"],
        "entities": json_list(row["ENTITIES"]),
        "refresh_freq": row["REFRESH_FREQ"],
        "warehouse": row["WAREHOUSE"],
        "cluster_by": json_list(row["CLUSTER_BY"]) if row["CLUSTER_BY"] else None,
    }


def declared_listing(view):
    return {
        "desc": view["description"],
        "entities": view["entities"],
        "refresh_freq": view.get("refresh_freq"),
        "warehouse": view.get("warehouse"),
        "cluster_by": view.get("cluster_by"),
    }


def check_feature_view_list(store, declared):
    rows = store.list_feature_views().collect()
    listed = {(row["NAME"], row["VERSION"]): listed_view(row) for row in rows}
    wanted = {key: declared_listing(view) for key, view in declared.feature_views.items()}
    expect(sorted(listed), sorted(wanted), "list_feature_views() names and versions")
    for key, view in wanted.items():
        expect(listed[key], view, f"list_feature_views() row of {key[0]}/{key[1]}")


def check_feature_view(store, declared, view):
    fv = store.get_feature_view(view["feature_view"], view["version"])
    where = f"{view['feature_view']}/{view['version']}"
    expect(text(fv.name), view["feature_view"], f"{where} name")
    expect(text(fv.version), view["version"], f"{where} version")
    expect([text(e.name) for e in fv.entities], view["entities"], f"{where} entities")
    expect(
        [[text(k) for k in e.join_keys] for e in fv.entities],
        [declared.entities[e]["join_keys"] for e in view["entities"]],
        f"{where} join keys",
    )
    expect(text(fv.timestamp_col), view.get("timestamp_col"), f"{where} timestamp column")
    expect(fv.desc, view["description"], f"{where} description")
    expect({text(k): v for k, v in fv.feature_descs.items()}, declared.feature_descs(view), f"{where} feature descriptions")
    expect(fv.query.strip(), view["query"].strip(), f"{where} query")
    expect(fv.refresh_freq, view.get("refresh_freq"), f"{where} refresh frequency")
    expect(text(fv.warehouse), view.get("warehouse"), f"{where} warehouse")
    dynamic = view["object"] == "DYNAMIC TABLE"
    expect(fv.status.value, "ACTIVE" if dynamic else "STATIC", f"{where} status")
    if dynamic:
        expect([text(c) for c in fv.cluster_by], view["cluster_by"], f"{where} cluster_by")
        if view.get("refresh_mode") not in (None, "AUTO"):
            expect(fv.refresh_mode, view["refresh_mode"], f"{where} refresh mode")


def check_models(registry, declared):
    frame = registry.show_models()
    listed = {
        row["name"]: (row["comment"], row["default_version_name"])
        for row in frame.to_dict("records")
    }
    wanted = {name: (m["comment"], m["default_version"]) for name, m in declared.models.items()}
    expect(listed, wanted, "show_models() names, comments and default versions")


def check_versions(model, declared_model):
    frame = model.show_versions()
    rows = {row["name"]: row for row in frame.to_dict("records")}
    versions = declared_model["versions"]
    expect(sorted(rows), sorted(v["name"] for v in versions), "show_versions() names")
    for version in versions:
        row = rows[version["name"]]
        expect(row["comment"], version["comment"], f"{version['name']} comment")
        default = str(row["is_default_version"]).lower() == "true"
        expect(default, version["name"] == declared_model["default_version"], f"{version['name']} is_default_version")
        aliases = [a for a in json_list(row["aliases"]) if a not in SYSTEM_ALIASES]
        expect(sorted(aliases), sorted(version["aliases"]), f"{version['name']} aliases")


def check_version(model, version):
    found = model.version(version["name"])
    expect(found.version_name, version["name"], "version name")
    expect(found.comment, version["comment"], f"{version['name']} comment")
    expect(found.show_metrics(), version["metrics"], f"{version['name']} show_metrics()")


def read_feature_store(calls, session, declared):
    store = calls.run(
        f"FeatureStore(session, {declared.database!r}, {declared.feature_store!r}, "
        f"default_warehouse={declared.feature_warehouse!r}, creation_mode=FAIL_IF_NOT_EXIST)",
        lambda: FeatureStore(
            session,
            declared.database,
            declared.feature_store,
            default_warehouse=declared.feature_warehouse,
            creation_mode=CreationMode.FAIL_IF_NOT_EXIST,
        ),
    )
    if store is None:
        return
    calls.run("list_entities()", lambda: check_entities(store, declared))
    for entity in declared.entities.values():
        calls.run(f"get_entity({entity['name']!r})", lambda e=entity: check_entity(store, e))
    calls.run("list_feature_views()", lambda: check_feature_view_list(store, declared))
    for (name, version), view in declared.feature_views.items():
        kind = view["object"].lower()
        calls.run(
            f"get_feature_view({name!r}, {version!r}) ({kind})",
            lambda v=view: check_feature_view(store, declared, v),
        )


def read_registry(calls, session, declared):
    registry = calls.run(
        f"Registry(session, database_name={declared.database!r}, schema_name={declared.registry!r})",
        lambda: Registry(session, database_name=declared.database, schema_name=declared.registry),
    )
    if registry is None:
        return
    calls.run("show_models()", lambda: check_models(registry, declared))
    for name, declared_model in declared.models.items():
        model = calls.run(f"get_model({name!r})", lambda n=name: registry.get_model(n))
        if model is None:
            continue
        calls.run(f"{name}.show_versions()", lambda: check_versions(model, declared_model))
        calls.run(
            f"{name}.default",
            lambda: expect(model.default.version_name, declared_model["default_version"], "default version"),
        )
        for version in declared_model["versions"]:
            calls.run(
                f"{name}.version({version['name']!r}) and show_metrics()",
                lambda v=version: check_version(model, v),
            )
            for alias in version["aliases"]:
                calls.run(
                    f"{name}.version({alias!r})",
                    lambda a=alias, v=version: expect(model.version(a).version_name, v["name"], f"alias {a}"),
                )


def main():
    port, plan_path = int(sys.argv[1]), sys.argv[2]
    with open(plan_path, encoding="utf-8") as plan:
        declared = Declared(json.load(plan))
    calls = Calls()
    session = calls.run(
        "Session.builder.configs(...).create()",
        lambda: Session.builder.configs(declared_options(port, declared)).create(),
    )
    if session is None:
        sys.exit(1)
    calls.run("session.get_current_database(), _schema(), _warehouse()", lambda: check_context(session, declared))
    read_feature_store(calls, session, declared)
    read_registry(calls, session, declared)
    calls.run("session.close()", session.close)
    versions = sum(len(m["versions"]) for m in declared.models.values())
    print(
        f"read {len(declared.entities)} entities, {len(declared.feature_views)} feature views, "
        f"{len(declared.models)} models with {versions} versions"
    )
    if calls.failed:
        print(f"{len(calls.failed)} calls failed: {', '.join(calls.failed)}", file=sys.stderr)
        sys.exit(1)
    print("ml clients ok")


if __name__ == "__main__":
    main()
