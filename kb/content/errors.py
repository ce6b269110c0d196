"""The one error of the import: a source text that cannot be imported, as ``file:line: reason``."""


class ContentError(Exception):
    """A source text that cannot be imported; the message names the file and line."""

    def __init__(self, path, line, message):
        self.path, self.line, self.message = str(path), line, message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


class ContentErrors(ContentError):
    """Several source texts that cannot be imported: ``errors`` has each file's first error."""

    def __init__(self, errors):
        self.errors = list(errors)
        first = self.errors[0]
        more = f" (and {len(self.errors) - 1} more)" if len(self.errors) > 1 else ""
        super().__init__(first.path, first.line, first.message + more)
