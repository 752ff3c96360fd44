"""The documentation keeps up with the code (STYLE.md, habit 13).

Fails when a setting, a CLI command or a domain has no documentation, when the README stops
opening with ``make run`` and ``make test``, or when a documented setting or command example
names something that does not exist. Each check is a small helper, and each helper is also
run on a synthetic broken case so that the check itself is known to fail when it should.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
import typer
from pydantic_settings import BaseSettings

from pontive import domains
from pontive.cli import app as cli_app
from pontive.settings import Settings

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
README = REPO / "README.md"
ENV_PREFIX = "PONTIVE_"
# Read by the test suite only (tests/conftest.py and the tests that need a server), and by
# the benchmarks.
TEST_VARIABLES = frozenset(
    {
        "PONTIVE_TEST_DATABASE_URL",
        "PONTIVE_TEST_MQTT_URL",
        "PONTIVE_TEST_BUS_URL",
        "PONTIVE_TEST_ONE_PASS_CLAIMS",
        "PONTIVE_TEST_SCREENSHOTS",
        "PONTIVE_BENCH_POSTGRES_URL",
        "PONTIVE_SOAK",
        "PONTIVE_FUZZ_EXAMPLES",
        "PONTIVE_FUZZ_OPERATIONS",
        "PONTIVE_FUZZ_LOG",
        "PONTIVE_TEST_START_WAIT",
    }
)
_ENV_NAME = re.compile(r"\bPONTIVE_[A-Z][A-Z0-9_]*")
_FENCE = re.compile(r"^[ \t]*```[^\n]*\n(.*?)^[ \t]*```", re.MULTILINE | re.DOTALL)
_SECTION_HEADING = re.compile(r"^#{2,6} ", re.MULTILINE)


# --- helpers -------------------------------------------------------------------------------


def env_names(settings_class: type[BaseSettings]) -> set[str]:
    """``PONTIVE_<FIELD>`` for every field of a settings class."""
    return {ENV_PREFIX + name.upper() for name in settings_class.model_fields}


def undocumented_settings(settings_class: type[BaseSettings], text: str) -> list[str]:
    """Environment names of fields that ``text`` never mentions, sorted."""
    mentioned = set(_ENV_NAME.findall(text))
    return sorted(env_names(settings_class) - mentioned)


def unknown_env_names(text: str, known: Iterable[str]) -> list[str]:
    """``PONTIVE_*`` names in ``text`` that are neither settings nor test variables."""
    return sorted(set(_ENV_NAME.findall(text)) - set(known))


def subcommands(command: object) -> dict[str, object] | None:
    """A group's commands by name, or ``None`` for a runnable command.

    Duck-typed: Typer may ship its own copy of Click, whose classes are not ``click.Group``.
    """
    commands = getattr(command, "commands", None)
    return commands if isinstance(commands, dict) else None


def command_paths(command: object, prefix: tuple[str, ...] = ()) -> Iterator[str]:
    """``pontive <group> <command>`` for every runnable command of a Click tree, recursively."""
    commands = subcommands(command)
    if commands is None:
        yield " ".join(("pontive", *prefix))
        return
    for name, sub in sorted(commands.items()):
        yield from command_paths(sub, (*prefix, name))


def undocumented_commands(root: object, text: str) -> list[str]:
    """Commands of ``root`` that ``text`` does not name in full (``pontive db upgrade``)."""
    return [
        path for path in command_paths(root) if not re.search(re.escape(path) + r"(?![\w-])", text)
    ]


def code_blocks(text: str) -> list[str]:
    """The bodies of the fenced code blocks of a Markdown text, in order."""
    return _FENCE.findall(text)


def readme_problems(text: str) -> list[str]:
    """Why a README does not open with ``make run`` and ``make test`` (empty when it does)."""
    match = _FENCE.search(text)
    if match is None:
        return ["no code block"]
    problems = []
    body = match.group(1)
    for command in ("make run", "make test"):
        if not re.search(rf"^\s*{command}\b", body, re.MULTILINE):
            problems.append(f"first code block lacks `{command}`")
    heading = _SECTION_HEADING.search(text)
    if heading is not None and heading.start() < match.start():
        problems.append("a section heading comes before the first code block")
    return problems


def missing_domain_pages(names: Iterable[str], docs_dir: Path) -> list[str]:
    """Domains without ``docs/<domain>.md``."""
    return [name for name in names if not (docs_dir / f"{name}.md").is_file()]


def cli_examples(text: str) -> Iterator[list[str]]:
    """Argument lists of every ``pontive …`` line in the text's code blocks."""
    for block in code_blocks(text):
        for line in block.splitlines():
            try:
                words = shlex.split(line, comments=True)
            except ValueError:
                continue
            while words and re.fullmatch(r"[A-Z_][A-Z0-9_]*=\S*", words[0]):
                words = words[1:]  # leading VAR=value assignments
            if words and (words[0] == "pontive" or words[0].endswith("/bin/pontive")):
                yield words[1:]


def unknown_command(root: object, args: list[str]) -> str | None:
    """Why ``pontive <args>`` does not name a command, or ``None`` when it does."""
    command, used = root, ["pontive"]
    for word in args:
        commands = subcommands(command)
        if commands is None or word.startswith("-"):
            break
        if word not in commands:
            return f"`{' '.join(used)}` has no command {word!r}"
        command, used = commands[word], [*used, word]
    if subcommands(command) is not None and "--help" not in args:
        return f"`{' '.join(used)}` is a group, not a command"
    return None


def read(path: Path) -> str:
    """A documentation file's text."""
    return path.read_text(encoding="utf-8")


ROOT_COMMAND = typer.main.get_command(cli_app)
DOC_FILES = sorted(DOCS.rglob("*.md"))


# --- the real documentation ----------------------------------------------------------------


def test_every_setting_is_documented_in_configuration_md() -> None:
    assert undocumented_settings(Settings, read(DOCS / "configuration.md")) == []


def test_test_only_variables_are_documented_in_configuration_md() -> None:
    mentioned = set(_ENV_NAME.findall(read(DOCS / "configuration.md")))
    assert sorted(TEST_VARIABLES - mentioned) == []


@pytest.mark.parametrize("path", [README, *DOC_FILES], ids=lambda p: str(p.relative_to(REPO)))
def test_documented_variables_exist(path: Path) -> None:
    assert unknown_env_names(read(path), env_names(Settings) | TEST_VARIABLES) == []


def test_every_cli_command_is_documented_in_operations_md() -> None:
    assert undocumented_commands(ROOT_COMMAND, read(DOCS / "operations.md")) == []


def test_the_command_walk_reaches_domain_groups() -> None:
    # A walk that stopped at the root's own commands would make the check above toothless.
    paths = set(command_paths(ROOT_COMMAND))
    assert {"pontive serve", "pontive db upgrade", "pontive audit verify"} <= paths
    for domain, module in domains.domain_modules("cli"):
        for path in command_paths(typer.main.get_command(module.app), (domain,)):
            assert path in paths


@pytest.mark.parametrize("path", [README, *DOC_FILES], ids=lambda p: str(p.relative_to(REPO)))
def test_cli_examples_name_real_commands(path: Path) -> None:
    problems = [unknown_command(ROOT_COMMAND, args) for args in cli_examples(read(path))]
    assert [p for p in problems if p] == []


def test_readme_opens_with_make_run_and_make_test() -> None:
    assert readme_problems(read(README)) == []


def test_every_domain_has_a_docs_page() -> None:
    assert domains.DOMAINS, "no domains registered"
    assert missing_domain_pages(domains.DOMAINS, DOCS) == []


@pytest.mark.parametrize(
    "name", ["architecture", "configuration", "operations", "development", "security", "glossary"]
)
def test_the_core_pages_exist(name: str) -> None:
    assert (DOCS / f"{name}.md").is_file()


# --- the helpers fail on broken input ------------------------------------------------------


class _TwoSettings(BaseSettings):
    database_url: str = ""
    secret_key: str = ""


def test_a_setting_missing_from_the_docs_is_reported() -> None:
    text = "`PONTIVE_DATABASE_URL` is the database. PONTIVE_SECRET_KEYS is another thing."
    assert undocumented_settings(_TwoSettings, text) == ["PONTIVE_SECRET_KEY"]
    assert undocumented_settings(_TwoSettings, text + " PONTIVE_SECRET_KEY") == []


def test_an_unknown_variable_in_the_docs_is_reported() -> None:
    text = "Set PONTIVE_DATABASE_URL, not PONTIVE_DB_URL; the prefix is PONTIVE_."
    assert unknown_env_names(text, {"PONTIVE_DATABASE_URL"}) == ["PONTIVE_DB_URL"]


def _synthetic_cli() -> object:
    root = typer.Typer()
    sensors = typer.Typer()

    @root.command()
    def serve() -> None:
        """Serve."""

    @sensors.command("import")
    def import_readings() -> None:
        """Import."""

    @sensors.command("import-all")
    def import_all() -> None:
        """Import all."""

    root.add_typer(sensors, name="sensors")
    return typer.main.get_command(root)


def test_the_command_walk_descends_into_groups() -> None:
    paths = list(command_paths(_synthetic_cli()))
    assert paths == ["pontive sensors import", "pontive sensors import-all", "pontive serve"]


def test_a_command_missing_from_the_docs_is_reported() -> None:
    # "import-all" must not count as documenting "import", nor a bare group name its commands.
    text = "Run `pontive serve`, then `pontive sensors import-all` (see `pontive sensors`)."
    assert undocumented_commands(_synthetic_cli(), text) == ["pontive sensors import"]


def test_a_cli_example_with_a_wrong_command_is_reported() -> None:
    root = _synthetic_cli()
    text = (
        "```sh\npontive serve --port 8080\nPONTIVE_ENV=dev .venv/bin/pontive sensors import\n"
        "pontive sensors\npontive sensor import  # typo\npontive sensors --help\n"
        "src/pontive/\n  cli.py  the pontive command\n```\n"
    )
    problems = [unknown_command(root, args) for args in cli_examples(text)]
    assert problems == [
        None,
        None,
        "`pontive sensors` is a group, not a command",
        "`pontive` has no command 'sensor'",
        None,
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# P\n\n```sh\nmake run\nmake test\n```\n\n## Next\n", []),
        ("# P\n\nNo commands.\n", ["no code block"]),
        ("# P\n\n```sh\nmake run\n```\n", ["first code block lacks `make test`"]),
        (
            "# P\n\n```sh\npip install .\n```\n\n```sh\nmake run\nmake test\n```\n",
            [
                "first code block lacks `make run`",
                "first code block lacks `make test`",
            ],
        ),
        (
            "# P\n\n## Install\n\n```sh\nmake run\nmake test\n```\n",
            ["a section heading comes before the first code block"],
        ),
    ],
)
def test_readme_check_catches_a_late_or_missing_quick_start(text: str, expected: list[str]) -> None:
    assert readme_problems(text) == expected


def test_a_domain_without_a_page_is_reported(tmp_path: Path) -> None:
    (tmp_path / "reference.md").write_text("# Reference\n", encoding="utf-8")
    assert missing_domain_pages(["reference", "complaints"], tmp_path) == ["complaints"]
