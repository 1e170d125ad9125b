"""Errors a user can act on: each carries what went wrong, what to do, and its exit code.

CodegenError
 ├── SourceError       the schema could not be read (missing file, HTTP failure, not JSON)
 ├── SchemaError       it was read but is not a Gradio app we can generate from
 ├── OutputError       the output folder could not be written
 │    └── UnownedFolderError  it holds files, but no lock: they are not ours to replace
 ├── UsageError        an option names what does not exist (a target, a template folder)
 └── TemplateError     a custom template failed to render (its file and line)
"""

from __future__ import annotations


class CodegenError(Exception):
    exit_code = 3

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} (hint: {self.hint})" if self.hint else self.message


class SourceError(CodegenError):
    exit_code = 4


class SchemaError(CodegenError):
    exit_code = 5


class OutputError(CodegenError):
    exit_code = 6


class UnownedFolderError(OutputError):
    exit_code = 2  # a choice of the user's (another folder, or --overwrite), not a failure


class UsageError(CodegenError):
    exit_code = 2


class TemplateError(CodegenError):
    exit_code = 2
