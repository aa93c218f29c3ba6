"""Read a JSON array of objects one object at a time, so that a backup of any size needs
memory for one record, not for the whole file. The standard library's decoder parses each
object; this only finds where one ends and the next begins, whatever the file's layout."""

import json

from website.backup.contents import BackupError

CHUNK = 1 << 16
# A record larger than this is taken for a broken one, rather than reading on to the end of
# a file that will not decode (uploaded import files are the largest records, a few MB).
MAX_RECORD = 64 << 20
WHITESPACE = " \t\n\r"


class ArrayReader:
    def __init__(self, stream, chunk=CHUNK):
        self.stream, self.chunk = stream, chunk
        self.buffer, self.position, self.ended = "", 0, False
        self.decoder = json.JSONDecoder()

    def read_more(self, at_least):
        """Append at least `at_least` characters to the buffer, dropping what is read."""
        self.buffer = self.buffer[self.position :]
        self.position = 0
        text = self.stream.read(max(at_least, self.chunk))
        self.ended = not text
        self.buffer += text

    def next_character(self):
        """Skip whitespace and return the next character, or "" at the end of the file."""
        while True:
            while self.position < len(self.buffer) and self.buffer[self.position] in WHITESPACE:
                self.position += 1
            if self.position < len(self.buffer):
                return self.buffer[self.position]
            self.read_more(self.chunk)
            if self.ended:
                return ""

    def objects(self):
        if self.next_character() != "[":
            raise BackupError(
                "This is not a directory backup: it does not start with a JSON array ([)."
            )
        self.position += 1
        number = 0
        while True:
            character = self.next_character()
            if character == "]" and number == 0:
                self.position += 1
                break
            if character != "{":
                raise BackupError(self.broken(number, "a record ({) was expected"))
            yield self.decode(number)
            number += 1
            character = self.next_character()
            self.position += 1
            if character == "]":
                break
            if character != ",":
                raise BackupError(self.broken(number, "a comma or the closing ] was expected"))
        if self.next_character() != "":
            raise BackupError(self.broken(number, "there is more after the closing ]"))

    def decode(self, number):
        """The object starting here. An incomplete object never decodes (it lacks its closing
        brace), so on failure read on, twice as much each time, until it decodes or the file
        ends."""
        wanted = self.chunk
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buffer, self.position)
            except json.JSONDecodeError as error:
                if self.ended or len(self.buffer) - self.position > MAX_RECORD:
                    raise BackupError(
                        f"Record {number + 1} is cut short or not valid JSON ({error.msg}, "
                        f"character {error.pos - self.position} of the record)."
                    ) from error
                self.read_more(wanted)
                wanted *= 2
                continue
            self.position = end
            return value

    def broken(self, number, problem):
        place = f"after record {number}" if number else "before the first record"
        if self.ended and self.position >= len(self.buffer):
            return f"The file ends {place}: it is cut short ({problem})."
        return f"The file is not valid JSON {place}: {problem}."


def read_records(stream):
    """Each object of the JSON array in the stream, in order."""
    return ArrayReader(stream).objects()
