"""The JSON Schema printed by `floe schema`, judged by Python's `jsonschema`.

Usage: schema.py SCHEMA_JSON RESOURCES_DIR

Checks that the schema is a valid draft-07 schema; that every resource
document under RESOURCES_DIR (every `*.yaml`, every `---` document) is
valid against it; that the spellings and `${...}` references floe's
readers accept are accepted; and that a misspelt field, a wrong enum
value, a wrong type, a missing required field and an unknown kind are each
refused. Prints `schema ok` at the end; a failed check exits non-zero with
the reason.
"""

import json
import pathlib
import re
import sys

import jsonschema
import yaml


class Yaml12Loader(yaml.SafeLoader):
    """YAML 1.2's core schema, as floe reads it: `on`, `yes`, `no` stay text."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def fail(message):
    print(f"schema check failed: {message}", file=sys.stderr)
    sys.exit(1)


def documents(resources):
    files = sorted(pathlib.Path(resources).rglob("*.yaml"))
    if not files:
        fail(f"no resource files under {resources}")
    for path in files:
        for i, doc in enumerate(yaml.load_all(path.read_text(), Loader=Yaml12Loader)):
            if doc is not None:
                yield f"{path.relative_to(resources)} document {i + 1}", doc


def errors(validator, doc):
    return [f"{'/'.join(map(str, e.absolute_path)) or '.'}: {e.message}"
            for e in validator.iter_errors(doc)]


def accepted(validator, name, doc):
    found = errors(validator, doc)
    if found:
        fail(f"{name} is refused: {found}")


def refused(validator, name, doc):
    if not errors(validator, doc):
        fail(f"{name} is accepted: {doc}")


WAREHOUSE = {"kind": "Warehouse", "name": "WH", "size": "XSMALL", "auto_suspend": 60}
FEATURE_VIEW = {
    "kind": "FeatureView", "name": "FV", "schema": "FS", "version": "V1",
    "entities": ["E"], "query": "SELECT 1", "refresh_mode": "AUTO",
}


def spellings_and_references(validator):
    for size in ["X-Small", "xsmall", "2X-Large", "X2LARGE", "x_large", "${config.wh.size}"]:
        accepted(validator, f"size {size}", {**WAREHOUSE, "size": size})
    accepted(validator, "type Snowpark-Optimized",
             {**WAREHOUSE, "type": "Snowpark-Optimized"})
    accepted(validator, "auto_suspend null", {**WAREHOUSE, "auto_suspend": None})
    accepted(validator, "auto_suspend ${...}",
             {**WAREHOUSE, "auto_suspend": "${config.wh.auto_suspend}"})
    accepted(validator, "refresh_mode incremental",
             {**FEATURE_VIEW, "refresh_mode": " incremental"})
    accepted(validator, "entities ${...}", {**FEATURE_VIEW, "entities": "${config.fs.entities}"})
    accepted(validator, "lifecycle",
             {**WAREHOUSE, "lifecycle": {"prevent_destroy": True, "ignore_changes": ["size"]}})


def refusals(validator):
    refused(validator, "a misspelt field", {**WAREHOUSE, "auto_suspnd": 60})
    refused(validator, "a wrong enum value", {**WAREHOUSE, "size": "HUGE"})
    refused(validator, "a wrong type", {**WAREHOUSE, "auto_suspend": "ten minutes"})
    refused(validator, "a boolean as text", {**WAREHOUSE, "auto_resume": "yes"})
    refused(validator, "a refresh_mode of another field", {**FEATURE_VIEW, "refresh_mode": "ON_CREATE"})
    refused(validator, "a missing required field",
            {k: v for k, v in FEATURE_VIEW.items() if k != "query"})
    refused(validator, "an unknown kind", {"kind": "Stage", "name": "S"})
    refused(validator, "a nested misspelt field",
            {**WAREHOUSE, "lifecycle": {"prevent_destroy": True, "ignore_change": ["size"]}})
    refused(validator, "ignore_changes naming no field",
            {**WAREHOUSE, "lifecycle": {"ignore_changes": ["sise"]}})


def main():
    schema_path, resources = sys.argv[1], sys.argv[2]
    schema = json.loads(pathlib.Path(schema_path).read_text())
    if schema.get("$schema") != "http://json-schema.org/draft-07/schema#":
        fail(f"the schema is not draft-07: {schema.get('$schema')}")
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)
    kinds = set()
    for name, doc in documents(resources):
        accepted(validator, name, doc)
        kinds.add(doc["kind"])
    if len(kinds) != 6:
        fail(f"the example declares {sorted(kinds)}, not all six kinds")
    spellings_and_references(validator)
    refusals(validator)
    print("schema ok")


main()
