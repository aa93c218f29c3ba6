"""The names an organization went by, from the name changes the Committee took note of.

Renames chain ("CTECO - Kizota" became "... Organization (CTECO)", which became "...
Organizers (CTECO)"), and the decision dates do not always follow the chain. All the names of a
chain are one organization, whichever of them the directory or another file uses, and its
current name is the one that was never changed.
"""

from directory.names import name_key, split_abbreviation


class RenameChains:
    def __init__(self, renames=()):
        self.parent: dict[str, str] = {}
        self.spelling: dict[str, str] = {}
        self.changed: set[str] = set()
        for rename in renames:
            old, new = chain_key(rename.old_name), chain_key(rename.new_name)
            self.spelling.setdefault(old, rename.old_name)
            self.spelling.setdefault(new, rename.new_name)
            self.changed.add(old)
            self.parent[self.root(old)] = self.root(new)
        self.members: dict[str, list[str]] = {}
        for key in self.spelling:
            self.members.setdefault(self.root(key), []).append(key)

    def root(self, key: str) -> str:
        while self.parent.get(key, key) != key:
            key = self.parent[key]
        return key

    def names_of(self, name: str) -> list[str]:
        """Every name in the chain of this one (none if it was never renamed)."""
        key = chain_key(name)
        if key not in self.spelling:
            return []
        return [self.spelling[member] for member in self.members[self.root(key)]]

    def current_name(self, name: str) -> str | None:
        """The chain's name that was never changed, if there is exactly one."""
        unchanged = [other for other in self.names_of(name) if chain_key(other) not in self.changed]
        return unchanged[0] if len(unchanged) == 1 else None


def chain_key(name: str) -> str:
    """Names in a chain are compared without their abbreviations, which come and go."""
    return name_key(split_abbreviation(name)[0])
