"""The Lambda zip: reproducible, small, free of noise, with a working handler shim."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from phalanx.deploy.errors import DeployError
from phalanx.deploy.package import (
    build,
    make_zip,
    pip_arguments,
    unpackaged_imports,
    unpackaged_warning,
)
from phalanx.project import load_file

from .conftest import EXAMPLES


def _names(data: bytes) -> list[str]:
    return zipfile.ZipFile(io.BytesIO(data)).namelist()


def test_building_twice_gives_identical_bytes(roll_die_file: Path) -> None:
    first = build(load_file(roll_die_file))
    os.utime(roll_die_file, (1_000_000_000, 1_000_000_000))  # a new mtime changes nothing
    second = build(load_file(roll_die_file))
    assert first.data == second.data
    assert first.sha256 == second.sha256


def test_the_s3_key_follows_the_contents_not_the_deflate_bytes(
    roll_die_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from phalanx.deploy import package as module

    first = build(load_file(roll_die_file))
    original = zipfile.ZipFile.writestr

    def other_zlib(self: zipfile.ZipFile, info: object, data: object, **_: object) -> None:
        original(self, info, data, compresslevel=1)  # type: ignore[arg-type]

    monkeypatch.setattr(module.zipfile.ZipFile, "writestr", other_zlib)
    second = build(load_file(roll_die_file))
    assert second.data != first.data  # deflated differently
    assert second.key_name == first.key_name  # same contents, same key: no upload, no update


def test_changed_code_gives_a_new_hash(roll_die_file: Path) -> None:
    before = build(load_file(roll_die_file))
    roll_die_file.write_text(roll_die_file.read_text() + "\n# changed\n")
    after = build(load_file(roll_die_file))
    assert after.sha256 != before.sha256
    assert after.key_name != before.key_name


def test_entries_are_sorted_with_fixed_time_and_mode() -> None:
    data = make_zip({"b.py": b"b", "a/x.py": b"x"})
    infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    assert [i.filename for i in infos] == ["a/x.py", "b.py"]
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {i.external_attr >> 16 for i in infos} == {0o100644}


def test_zip_holds_the_module_the_shim_and_phalanx_without_noise(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "roll_die.py", tmp_path / "roll_die.py")
    (tmp_path / "helpers.py").write_text("SIDES = 5\n")
    (tmp_path / "unused.py").write_text("raise SystemExit('never imported')\n")
    (tmp_path / "test_roll_die.py").write_text("def test(): pass\n")
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "roll_die.cpython-311.pyc").write_bytes(b"\0")
    source = (tmp_path / "roll_die.py").read_text()
    (tmp_path / "roll_die.py").write_text("import helpers\n" + source)
    package = build(load_file(tmp_path / "roll_die.py"))
    names = _names(package.data)
    assert {"roll_die.py", "helpers.py", "phalanx_handlers.py", "phalanx/__init__.py"} <= set(names)
    assert "unused.py" not in names and "test_roll_die.py" not in names
    assert not [n for n in names if n.endswith(".pyc") or "__pycache__" in n]
    assert not [n for n in names if n.startswith(("phalanx/cli/", "phalanx/deploy/"))]
    assert package.handlers == {"roll_die": "phalanx_handlers.roll_die"}
    assert package.size < 64 * 1024


def test_shim_runs_the_handler_without_the_installed_phalanx(tmp_path: Path) -> None:
    package = build(load_file(EXAMPLES / "roll_die.py"))
    unpacked = tmp_path / "task"
    zipfile.ZipFile(io.BytesIO(package.data)).extractall(unpacked)
    # -I: isolated, so only the unpacked zip (like /var/task) provides phalanx.
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(unpacked)!r})
        import phalanx_handlers, phalanx
        assert phalanx.__file__.startswith({str(unpacked)!r}), phalanx.__file__
        result = phalanx_handlers.roll_die({{}}, None)
        assert 1 <= result["roll"] <= 5, result
        print("ok")
        """
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", script], capture_output=True, text=True, check=False
    )
    assert result.stdout.strip() == "ok", result.stderr


def test_every_phalanx_module_in_the_zip_imports_there(tmp_path: Path) -> None:
    package = build(load_file(EXAMPLES / "roll_die.py"))
    unpacked = tmp_path / "task"
    zipfile.ZipFile(io.BytesIO(package.data)).extractall(unpacked)
    modules = [
        name.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
        for name in package.entries
        if name.startswith("phalanx/") and name.endswith(".py")
    ]
    script = textwrap.dedent(
        f"""
        import importlib, sys
        sys.path.insert(0, {str(unpacked)!r})
        for name in {modules!r}:
            importlib.import_module(name)
        print("ok")
        """
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", script], capture_output=True, text=True, check=False
    )
    assert result.stdout.strip() == "ok", result.stderr


def _wheel(folder: Path) -> Path:
    """A tiny pure-Python wheel, so installing requirements needs no index."""
    path = folder / "tinydep-1.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as wheel:
        wheel.writestr("tinydep/__init__.py", "VALUE = 42\n")
        helper = zipfile.ZipInfo("tinydep/helper")  # a binary the package runs
        helper.external_attr = 0o100755 << 16
        wheel.writestr(helper, "#!/bin/sh\necho hi\n")
        wheel.writestr("tinydep/tests/test_it.py", "def test(): pass\n")
        wheel.writestr(
            "tinydep-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: tinydep\nVersion: 1.0\n"
        )
        wheel.writestr(
            "tinydep-1.0.dist-info/WHEEL",
            "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        )
        wheel.writestr("tinydep-1.0.dist-info/RECORD", "")
    return path


def test_requirements_are_installed_for_lambda_reproducibly(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    _wheel(wheels)
    app = tmp_path / "app"
    app.mkdir()
    shutil.copy(EXAMPLES / "roll_die.py", app / "roll_die.py")
    (app / "requirements.txt").write_text(f"--no-index\n--find-links {wheels}\ntinydep==1.0\n")
    first = build(load_file(app / "roll_die.py"))
    names = _names(first.data)
    assert "tinydep/__init__.py" in names
    assert "tinydep-1.0.dist-info/METADATA" in names
    assert not [n for n in names if "/tests/" in n or n.endswith(("RECORD", "INSTALLER"))]
    assert build(load_file(app / "roll_die.py")).data == first.data
    modes = {
        i.filename: i.external_attr >> 16
        for i in zipfile.ZipFile(io.BytesIO(first.data)).infolist()
    }
    assert modes["tinydep/helper"] == 0o100755  # still executable in Lambda
    assert modes["tinydep/__init__.py"] == 0o100644


def test_a_zip_too_big_for_lambda_is_refused_before_upload(
    roll_die_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from phalanx.deploy import package

    monkeypatch.setattr(package, "UNZIPPED_LIMIT", 1000)
    with pytest.raises(DeployError, match=r"unpack to [\d,]+ bytes, over Lambda's 1,000"):
        build(load_file(roll_die_file))


def test_a_third_party_import_without_a_requirement_is_reported(tmp_path: Path) -> None:
    (tmp_path / "dice_sides.py").write_text("SIDES = 5\n")
    source = (EXAMPLES / "roll_die.py").read_text()
    imports = "import json\nimport dice_sides\nimport yaml\nfrom click import echo\nimport boto3\n"
    (tmp_path / "roll_die.py").write_text(imports + source)
    project = load_file(tmp_path / "roll_die.py")
    package = build(project)
    assert package.unpackaged == ("click", "yaml")  # not json (stdlib), dice_sides, boto3
    assert unpackaged_warning(project, package) == (
        "warning: roll_die.py imports click, yaml, not in the zip: add them to requirements.txt "
        'next to roll_die.py, or Lambda fails with "Unable to import module"'
    )


def test_what_the_zip_holds_covers_its_import() -> None:
    sources = {"app.py": b"import tinydep.sub\nimport _speedups\nimport six\nfrom . import x\n"}
    entries = ["app.py", "tinydep/__init__.py", "_speedups.cpython-312-x86_64-linux-gnu.so"]
    assert unpackaged_imports(sources, entries) == ("six",)
    assert unpackaged_imports(sources, [*entries, "six.py"]) == ()


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.py")), ids=lambda p: p.stem)
def test_the_examples_import_nothing_unpackaged(path: Path) -> None:
    project = load_file(path)
    if project.functions:
        assert build(project).unpackaged == ()


def test_unresolvable_requirements_are_one_line(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "roll_die.py", tmp_path / "roll_die.py")
    (tmp_path / "requirements.txt").write_text(f"--no-index\n--find-links {tmp_path}\nnope==1\n")
    with pytest.raises(DeployError, match="pip could not install the dependencies for Lambda"):
        build(load_file(tmp_path / "roll_die.py"))


@pytest.mark.parametrize(
    ("options", "platform", "version"),
    [
        pytest.param(
            "",
            [f"manylinux_2_{v}_x86_64" for v in range(34, 16, -1)] + ["manylinux2014_x86_64"],
            "3.12",
            id="defaults-al2023",
        ),
        pytest.param(
            ", architecture='arm64', runtime='python3.11'",
            ["manylinux2014_aarch64"],
            "3.11",
            id="arm-al2",
        ),
        pytest.param(
            ", architecture='arm64', runtime='python3.14'",
            [f"manylinux_2_{v}_aarch64" for v in range(34, 16, -1)] + ["manylinux2014_aarch64"],
            "3.14",
            id="arm-al2023",
        ),
    ],
)
def test_pip_targets_the_function_platform(
    tmp_path: Path, options: str, platform: list[str], version: str
) -> None:
    file = tmp_path / "app.py"
    file.write_text(f"import phalanx\nf = phalanx.function(name='f'{options})(lambda e, c: e)\n")
    args = pip_arguments(load_file(file), tmp_path / "requirements.txt", tmp_path / "out")
    assert [args[i + 1] for i, arg in enumerate(args) if arg == "--platform"] == platform
    assert args[args.index("--python-version") + 1] == version
    assert "--only-binary=:all:" in args


def test_mixed_platforms_cannot_share_binary_dependencies(tmp_path: Path) -> None:
    file = tmp_path / "app.py"
    file.write_text(
        "import phalanx\n"
        "a = phalanx.function(name='a')(lambda e, c: e)\n"
        "b = phalanx.function(name='b', architecture='arm64')(lambda e, c: e)\n"
    )
    with pytest.raises(DeployError, match="must share runtime and architecture"):
        pip_arguments(load_file(file), tmp_path / "r.txt", tmp_path / "out")


def test_a_function_named_only_inside_parameters_is_deployed_and_callable(tmp_path: Path) -> None:
    app = tmp_path / "app"
    app.mkdir()
    (app / "inline.py").write_text(
        textwrap.dedent(
            """
            import phalanx
            from phalanx import StateMachine, Task

            machine = StateMachine.of(
                Task(
                    "call",
                    "arn:aws:states:::lambda:invoke",
                    parameters={
                        "FunctionName": phalanx.function(name="echo")(lambda e, c: {"echo": e}),
                        "Payload.$": "$",
                    },
                ),
                name="Inline",
            )
            """
        )
    )
    from phalanx.deploy.template import build_template

    project = load_file(app / "inline.py")
    assert list(project.functions) == ["echo"]
    resources = build_template(project).template["Resources"]
    assert resources["EchoFunction"]["Properties"]["Handler"] == "phalanx_handlers.echo"
    package = build(project)
    unpacked = tmp_path / "task"
    zipfile.ZipFile(io.BytesIO(package.data)).extractall(unpacked)
    script = (
        f"import sys; sys.path.insert(0, {str(unpacked)!r}); import phalanx_handlers; "
        "print(phalanx_handlers.echo(1, None))"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", script], capture_output=True, text=True, check=False
    )
    assert result.stdout.strip() == "{'echo': 1}", result.stderr
