"""Every kind of FILE a command accepts, read into sources with their positions."""

from __future__ import annotations

from pathlib import Path

import pytest

from phalanx.errors import LoadError
from phalanx.loading import Location, choose, display_path, load, load_sources, machine_of

ASL = '{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}'


def test_a_path_inside_the_cwd_is_shown_relative(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    assert display_path(tmp_path / "sub" / "flow.py") == "flow.py"
    assert display_path("./flow.py") == "flow.py"
    assert display_path(tmp_path / "other.py") == str(tmp_path / "other.py")


def test_a_location_reads_like_a_compilers() -> None:
    assert str(Location("/nowhere/flow.json", 3, 7)) == "/nowhere/flow.json:3:7"
    assert str(Location("/nowhere/flow.json")) == "/nowhere/flow.json"


@pytest.mark.parametrize(
    "name", [pytest.param("flow.json", id="json"), pytest.param("flow.asl.json", id="asl-json")]
)
def test_an_asl_json_file_is_one_machine_named_after_the_file(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text(ASL)
    (source,) = load_sources(tmp_path / name)
    assert source.definition == ASL  # text: the validator sees it as AWS does
    machine_name, machine = machine_of(source)
    assert machine_name == "flow" and machine.start_at == "A"


def test_a_sam_definition_uri_is_read_from_beside_the_template(tmp_path: Path) -> None:
    (tmp_path / "flow.asl.json").write_text(ASL)
    (tmp_path / "template.yaml").write_text(
        "Resources:\n  Flow:\n    Type: AWS::Serverless::StateMachine\n"
        "    Properties:\n      DefinitionUri: flow.asl.json\n"
    )
    (source,) = load_sources(tmp_path / "template.yaml")
    assert (source.name, source.file, source.placeholders) == (
        "Flow",
        str(tmp_path / "flow.asl.json"),
        True,
    )


def test_a_missing_definition_uri_is_placed_at_its_line_in_the_template(tmp_path: Path) -> None:
    (tmp_path / "template.yaml").write_text(
        "Resources:\n  Flow:\n    Type: AWS::Serverless::StateMachine\n"
        "    Properties:\n      DefinitionUri: gone.asl.json\n"
    )
    with pytest.raises(LoadError) as raised:
        load_sources(tmp_path / "template.yaml")
    assert (raised.value.line, raised.value.column) == (5, 22)
    assert "Flow: DefinitionUri: " in raised.value.message and "no such file" in str(raised.value)


def test_a_template_without_machines_is_unusable(tmp_path: Path) -> None:
    (tmp_path / "template.json").write_text('{"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}')
    with pytest.raises(LoadError, match="template holds no AWS::StepFunctions::StateMachine"):
        load_sources(tmp_path / "template.json")


def test_yaml_that_does_not_parse_names_its_line(tmp_path: Path) -> None:
    (tmp_path / "flow.asl.yaml").write_text("StartAt: A\nStates: [\n")
    with pytest.raises(LoadError) as raised:
        load_sources(tmp_path / "flow.asl.yaml")
    assert raised.value.line == 3 and raised.value.message.startswith("not YAML: ")


def test_a_module_is_imported_once_for_its_machines_and_functions(tmp_path: Path) -> None:
    (tmp_path / "count.txt").write_text("")
    (tmp_path / "flow.py").write_text(
        "import pathlib, phalanx\n"
        "from phalanx import StateMachine, Task\n"
        "here = pathlib.Path(__file__).with_name('count.txt')\n"
        "here.write_text(here.read_text() + 'x')\n"
        "@phalanx.function\n"
        "def hello(event, context):\n"
        "    return event\n"
        "machine = StateMachine.of(Task('Call', resource=hello))\n"
    )
    loaded = load(tmp_path / "flow.py")
    assert [s.name for s in loaded.sources] == ["machine"]
    assert list(loaded.functions) == ["hello"]
    assert (tmp_path / "count.txt").read_text() == "x"


def test_choose_names_the_machines_there_are(tmp_path: Path) -> None:
    (tmp_path / "flow.json").write_text(ASL)
    sources = load_sources(tmp_path / "flow.json")
    with pytest.raises(LoadError, match=r"no state machine named 'other' \(found: none\)"):
        choose(sources, "other")
    assert choose(sources, None) is sources[0]
