"""The import file's JSON Schema (import.schema.json beside this module): loading it, and checking a
document against it with a problem named by its place in the file (`sessions[12].title: …`).

The schema says what each field is; what needs the whole file (a session's room among the
rooms, an id used twice, a known time zone, an end after the start) the importer checks after it."""
import json
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

SCHEMA_PATH = Path(__file__).with_name("import.schema.json")
TYPE_WORDS = {"string": "a text", "integer": "a whole number", "number": "a number", "object": "an object ({…})",
              "array": "a list ([…])", "boolean": "true or false", "null": "null"}


@cache
def schema() -> dict:
    """The schema as parsed JSON (read once per process)."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(schema())


def place(path) -> str:
    """`sessions[12].title` for the path [sessions, 12, title]; "the file" for the top."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "the file"


def describe(error: ValidationError) -> str:
    """One problem in words, after its place in the file."""
    where, value, expected = place(error.absolute_path), error.instance, error.validator_value
    if error.validator == "required":
        # One error per missing field, each saying which in its message ("'rooms' is a required property").
        missing = next((key for key in expected if key not in value and error.message.startswith(repr(key))),
                       next(key for key in expected if key not in value))
        return f"{where}: missing “{missing}”"
    if error.validator == "additionalProperties":
        unknown = sorted(set(value) - set(error.schema.get("properties", {})))
        return f"{where}: unknown field “{unknown[0]}”"
    if error.validator == "type":
        wanted = [expected] if isinstance(expected, str) else expected
        return f"{where}: should be {' or '.join(TYPE_WORDS[t] for t in wanted)}, not {json.dumps(value, ensure_ascii=False)[:60]}"
    if error.validator == "dependentRequired":
        given = next(key for key in expected if key in value and any(k not in value for k in expected[key]))
        missing = next(k for k in expected[given] if k not in value)
        return f"{where}: “{given}” without “{missing}”"
    if error.validator in ("pattern", "minimum", "minLength") and "title" in error.schema:
        return f"{where}: “{value}” is not {error.schema['title']}"
    return f"{where}: {error.message}"


def problems(document) -> list[str]:
    """Every problem in the document, in the file's order (empty when it fits)."""
    errors = sorted(_validator().iter_errors(document),
                    key=lambda e: [(0, part) if isinstance(part, int) else (1, part) for part in e.absolute_path])
    return [describe(error) for error in errors]
