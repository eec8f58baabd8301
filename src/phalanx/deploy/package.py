"""`phalanx build`: one reproducible Lambda zip for every function of a project.

The zip holds, at its root:

- the user's module and the sibling modules it imported (found by loading it),
- the dependencies of `requirements.txt` next to the module, installed by pip
  for Lambda's platform (`--platform manylinux2014_x86_64|aarch64`, and the
  `manylinux_2_17`..`manylinux_2_34` tags for python3.12+ on Amazon Linux 2023,
  `--only-binary=:all: --python-version 3.X`),
- the `phalanx` package itself, pure Python and small (the parts a deployed
  module imports: the model, not the tooling layers), because the user's module runs
  `import phalanx` and builds its `StateMachine` at import time: a stub would
  have to re-create the whole builder API, the real thing costs ~40 kB,
- `phalanx_handlers.py`, generated: one plain function per `phalanx.function`
  calling its `.handler`, so Lambda's handler string is
  `phalanx_handlers.<name>` whatever the user's module is called.

Same inputs, same bytes: entries are sorted, timestamps fixed to 1980-01-01,
modes fixed to 0644 (0755 for a dependency's executables), and caches,
`.pyc`, tests and pip's console scripts (which hold the builder's
interpreter path) are left out.
"""

from __future__ import annotations

import ast
import dataclasses
import hashlib
import io
import keyword
import os
import re
import stat
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import ModuleType

from phalanx.deploy.errors import DeployError
from phalanx.functions import LambdaFunction
from phalanx.project import Project

SHIM_MODULE = "phalanx_handlers"
REQUIREMENTS = "requirements.txt"

# Tooling layers a deployed function never imports: Lambda runs the handler and
# Step Functions runs the machine; some of these need click or boto3.
_PHALANX_LEFT_OUT = frozenset(
    {"cli", "deploy", "console", "api", "graph", "validation", "engine", "store", "runtime"}
    | {"query", "services", "__main__.py", "testing"}  # these run machines: they need the engine
)
_NOISE_DIRS = frozenset({"__pycache__", "tests", "test", ".git", ".mypy_cache", ".pytest_cache"})
_NOISE_SUFFIXES = (".pyc", ".pyo")
# pip's install records: they name the builder's paths and tools, Lambda never reads them.
_PIP_BOOKKEEPING = frozenset({"INSTALLER", "REQUESTED", "RECORD", "direct_url.json"})
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
# Lambda's CodeSizeUnzipped quota: 250 MB for the function and its layers.
UNZIPPED_LIMIT = 262_144_000
_MACHINES = {"x86_64": "x86_64", "arm64": "aarch64"}
# python3.12 and later run on Amazon Linux 2023 (glibc 2.34), earlier ones on
# Amazon Linux 2 (glibc 2.26: manylinux2014). pip does not widen a
# `manylinux_2_34` platform to older glibc tags by itself, so each is listed.
_AL2023_GLIBC_MINORS = range(34, 16, -1)


def lambda_platforms(runtime: str, architecture: str) -> list[str]:
    """pip `--platform` tags whose wheels run on the runtime's Amazon Linux, best first."""
    machine = _MACHINES[architecture]
    minor = int(runtime.removeprefix("python3."))
    newer = [f"manylinux_2_{v}_{machine}" for v in _AL2023_GLIBC_MINORS] if minor >= 12 else []
    return [*newer, f"manylinux2014_{machine}"]


@dataclasses.dataclass(frozen=True, slots=True)
class Package:
    """A built zip: its bytes, content hash and what Lambda calls in it."""

    data: bytes
    sha256: str
    handlers: Mapping[str, str]  # function name -> Lambda handler string
    entries: tuple[str, ...]
    requirements: Path | None
    # Top-level modules the user's files import that the zip does not hold
    # (not stdlib, not theirs, not a requirement): Lambda would fail to import them.
    unpackaged: tuple[str, ...] = ()
    content_sha256: str = ""  # of the entries, whatever the deflate bytes

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def key_name(self) -> str:
        """A content-addressed file name: a new key whenever the code changes.

        From the hash of the entries (names, modes, bytes), not of the zip: a
        Python linked against another zlib (zlib-ng) deflates differently, and
        that alone must not re-upload the code and update every function.
        """
        return f"{(self.content_sha256 or self.sha256)[:20]}.zip"

    def write(self, path: str | Path) -> Path:
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(self.data)
        return target


def handler_name(function: LambdaFunction) -> str:
    """The Python name of a function's entry point in `phalanx_handlers`."""
    name = re.sub(r"\W", "_", function.name)
    if name[0].isdigit() or keyword.iskeyword(name):
        name = f"fn_{name}"
    return name


def build(project: Project, *, pip: Iterable[str] | None = None) -> Package:
    """Build the deployment zip of `project` (a loaded `.py` file).

    `pip` is the command that runs pip (default: this interpreter's).
    Raises `DeployError` when there is nothing to deploy or the dependencies
    cannot be resolved for Lambda.
    """
    if not project.functions:
        raise DeployError(f"{project.path}: declares no phalanx.function: nothing to package")
    module = find_module(project)
    folder = project.path.resolve().parent
    files: dict[str, bytes] = {}
    for path in _user_files(module, folder):
        files[path.relative_to(folder).as_posix()] = path.read_bytes()
    user_sources = dict(files)
    files.update(_phalanx_files())
    requirements = folder / REQUIREMENTS if (folder / REQUIREMENTS).is_file() else None
    executables: set[str] = set()
    if requirements is not None:
        dependencies, executables = _dependencies(
            project, requirements, list(pip or _default_pip())
        )
        # Your own files win over a dependency's of the same name.
        files = {**dependencies, **files}
        executables -= set(user_sources)
    handlers = {fn.name: f"{SHIM_MODULE}.{handler_name(fn)}" for fn in project.functions.values()}
    files[f"{SHIM_MODULE}.py"] = shim_source(project, module).encode()
    unzipped = sum(len(content) for content in files.values())
    if unzipped > UNZIPPED_LIMIT:
        raise DeployError(
            f"the zip would unpack to {unzipped:,} bytes, over Lambda's {UNZIPPED_LIMIT:,} "
            "(250 MB with layers): trim requirements.txt or move big packages to a layer"
        )
    data = make_zip(files, executables)
    return Package(
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        handlers=handlers,
        entries=tuple(sorted(files)),
        requirements=requirements,
        unpackaged=unpackaged_imports(user_sources, files),
        content_sha256=content_hash(files, executables),
    )


def content_hash(files: Mapping[str, bytes], executables: Iterable[str] = ()) -> str:
    """sha256 of what the zip unpacks to: each entry's name, mode and bytes, sorted."""
    runnable = set(executables)
    digest = hashlib.sha256()
    for name in sorted(files):
        mode = b"755" if name in runnable else b"644"
        digest.update(b"%s\0%s\0%d\0" % (name.encode(), mode, len(files[name])))
        digest.update(files[name])
    return digest.hexdigest()


# Modules the Lambda Python runtime itself provides.
_RUNTIME_PROVIDED = frozenset({"boto3", "botocore"})


def unpackaged_imports(sources: Mapping[str, bytes], entries: Iterable[str]) -> tuple[str, ...]:
    """Top-level modules imported by `sources` (the user's files) and not in the zip.

    Read from the code (every `import`, also inside functions), not from
    `sys.modules`, which holds whatever the building process happened to load.
    """
    present = {_top_level(entry) for entry in entries}
    imported: set[str] = set()
    for name, source in sources.items():
        try:
            tree = ast.parse(source, filename=name)
        except SyntaxError:
            continue  # it imported once already; nothing more to learn here
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    return tuple(
        sorted(
            name
            for name in imported
            if name not in sys.stdlib_module_names
            and name not in _RUNTIME_PROVIDED
            and name not in ("phalanx", "__future__")
            and name not in present
        )
    )


def _top_level(entry: str) -> str:
    """`yaml/__init__.py` -> `yaml`; `six.py` -> `six`; `_foo.cpython-312-x86_64.so` -> `_foo`."""
    first, _, rest = entry.partition("/")
    return first if rest else first.split(".", 1)[0]


def unpackaged_warning(project: Project, package: Package) -> str | None:
    """One line about `package.unpackaged`, or None when everything imported is in the zip."""
    if not package.unpackaged:
        return None
    names = ", ".join(package.unpackaged)
    return (
        f"warning: {project.path.name} imports {names}, not in the zip: add "
        f"{'them' if len(package.unpackaged) > 1 else 'it'} to {REQUIREMENTS} next to "
        f'{project.path.name}, or Lambda fails with "Unable to import module"'
    )


def make_zip(files: Mapping[str, bytes], executables: Iterable[str] = ()) -> bytes:
    """A zip of `files` (archive name -> content) that depends on nothing else.

    Files are 0644, except `executables` (a dependency's helper binaries,
    executable where pip installed them), which stay 0755.
    """
    runnable = set(executables)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever builds it, so the mode bits count
            info.external_attr = (0o100755 if name in runnable else 0o100644) << 16
            archive.writestr(info, files[name], compresslevel=9)
    return buffer.getvalue()


def find_module(project: Project) -> ModuleType:
    """The module `load_file` imported for `project`."""
    target = project.path.resolve()
    for module in list(sys.modules.values()):
        file = getattr(module, "__file__", None)
        if file and Path(file).resolve() == target:
            return module
    raise DeployError(f"{project.path}: not loaded as a Python module; build needs a .py file")


def shim_source(project: Project, module: ModuleType) -> str:
    """The generated `phalanx_handlers.py` for `project`."""
    user = project.path.stem
    if not user.isidentifier():
        raise DeployError(f"{project.path}: Lambda cannot import a module named {user!r}")
    lines = [
        '"""Lambda entry points, generated by `phalanx build`: do not edit.',
        "",
        f"Each calls the handler of the phalanx.function of that name in {user}.py.",
        '"""',
        "",
        f"import {user} as _user",
        "from phalanx.asl import StateMachine as _StateMachine",
        "from phalanx.functions import LambdaFunction as _LambdaFunction",
        "from phalanx.project import machine_functions as _machine_functions",
        "",
        "",
        "def _declared(name):",
        "    for value in vars(_user).values():",
        "        if isinstance(value, _LambdaFunction) and value.name == name:",
        "            return value.handler",
        "        if isinstance(value, _StateMachine):",
        "            for function in _machine_functions(value):",
        "                if function.name == name:",
        "                    return function.handler",
        '    raise LookupError(f"{_user.__name__} declares no phalanx.function named {name!r}")',
    ]
    seen: dict[str, str] = {}
    for function in sorted(project.functions.values(), key=lambda fn: fn.name):
        entry = handler_name(function)
        if entry in seen:
            raise DeployError(
                f"functions {seen[entry]!r} and {function.name!r} both map to the "
                f"handler {SHIM_MODULE}.{entry}; rename one"
            )
        seen[entry] = function.name
        lines += [
            "",
            "",
            f"_{entry} = _declared({function.name!r})",
            "",
            "",
            f"def {entry}(event, context):",
            f"    return _{entry}(event, context)",
        ]
    return "\n".join(lines) + "\n"


def _user_files(module: ModuleType, folder: Path) -> list[Path]:
    """The user's module and every module it imported from its own folder."""
    found = {Path(str(module.__file__)).resolve()}
    for name, other in list(sys.modules.items()):
        file = getattr(other, "__file__", None)
        if not file or name == "phalanx" or name.startswith("phalanx."):
            continue
        path = Path(file).resolve()
        if not path.is_relative_to(folder):
            continue
        parts = path.relative_to(folder).parts
        if "site-packages" in parts or any(part.startswith(".") for part in parts):
            continue  # a virtualenv inside the project folder is not the user's code
        if not _is_noise(parts):
            if path.name == "__init__.py":  # a package: take all of it
                found.update(p for p in _tree(path.parent) if p.suffix == ".py")
            else:
                found.add(path)
    return sorted(p for p in found if p.suffix == ".py")


def _phalanx_files() -> dict[str, bytes]:
    import phalanx

    root = Path(str(phalanx.__file__)).resolve().parent
    files: dict[str, bytes] = {}
    for path in _tree(root):
        parts = path.relative_to(root).parts
        if parts[0] in _PHALANX_LEFT_OUT or path.suffix not in (".py", ".typed"):
            continue
        files["phalanx/" + "/".join(parts)] = path.read_bytes()
    return files


def _tree(root: Path) -> Iterator[Path]:
    for directory, subdirs, names in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if d not in _NOISE_DIRS and not d.startswith("."))
        for name in sorted(names):
            path = Path(directory, name)
            if not _is_noise(path.relative_to(root).parts):
                yield path


def _is_noise(parts: tuple[str, ...]) -> bool:
    if any(part in _NOISE_DIRS for part in parts[:-1]):
        return True
    name = parts[-1]
    return name.endswith(_NOISE_SUFFIXES) or name.startswith("test_") or name == "conftest.py"


def _default_pip() -> list[str]:
    return [sys.executable, "-m", "pip"]


def pip_arguments(project: Project, requirements: Path, target: Path) -> list[str]:
    """pip's arguments to install `requirements` for the project's Lambda platform."""
    runtimes = {fn.runtime for fn in project.functions.values()} or {"python3.12"}
    architectures = {fn.architecture for fn in project.functions.values()} or {"x86_64"}
    if len(runtimes) > 1 or len(architectures) > 1:
        raise DeployError(
            "one zip serves every function, so with a requirements file they must share "
            f"runtime and architecture (found {sorted(runtimes)} and {sorted(architectures)})"
        )
    runtime = runtimes.pop()
    version = runtime.removeprefix("python")
    return [
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-compile",
        "--target",
        str(target),
        *(
            argument
            for platform in lambda_platforms(runtime, architectures.pop())
            for argument in ("--platform", platform)
        ),
        "--implementation",
        "cp",
        "--python-version",
        version,
        "--only-binary=:all:",
        "--requirement",
        str(requirements),
    ]


def _dependencies(
    project: Project, requirements: Path, pip: list[str]
) -> tuple[dict[str, bytes], set[str]]:
    """The installed files, and those among them pip made executable."""
    with tempfile.TemporaryDirectory(prefix="phalanx-build-") as scratch:
        target = Path(scratch)
        command = [*pip, *pip_arguments(project, requirements, target)]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip().splitlines()
            raise DeployError(
                f"{requirements}: pip could not install the dependencies for Lambda "
                f"({detail[-1] if detail else 'no output'}); every package needs a wheel for "
                "the function's platform and Python version"
            )
        files: dict[str, bytes] = {}
        executables: set[str] = set()
        for path in _tree(target):
            parts = path.relative_to(target).parts
            if parts[0] == "bin" or parts[-1] in _PIP_BOOKKEEPING:
                continue
            name = "/".join(parts)
            files[name] = path.read_bytes()
            if path.stat().st_mode & stat.S_IXUSR:
                executables.add(name)
        return files, executables
