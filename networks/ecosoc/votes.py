"""What a roll-call vote's row says: the member state, its vote, the vote's outcome, and the
organization the vote was about, if its topic names one.

A vote's topic is written as the report wrote it: an NGO's name ("Coptic Solidarity"), a name
and what was decided ("Reporters without Borders: rejected the noaction motion."), or a
sentence about a motion or proposal ("The proposal by the Sudan to recommend the withdrawal
of ..."). The rule for the organization:

1. an agenda heading at the start is removed ("Application(s) not recommended",
   "Consideration of special reports/complaints by Member States", "Statement(s) in
   explanation of (the) vote before the vote", "Explanation(s) of vote before the vote",
   "General statements before the vote", "New applications for consultative status"),
   and so are a leading "application of" and "non-governmental organization";
2. the topic's head is what comes before its first colon (or before ", Withdrawal of");
3. the head names an organization unless it is a motion: it starts with a lower-case letter
   or a punctuation mark, or with motion, proposal, amendment, adjourn, no-action, "The
   proposal", "The request", "The representative", "The Committee", upon, following, citing,
   matters, review or "he proposal" (a cut-off "The proposal"), or it is longer than
   twenty words (a quoted sentence, not a name).

A sentence that mentions an organization in passing ("... the withdrawal of the consultative
status of the organization Al Zubair Charity Foundation (special, 2008) was adopted") is a
motion: where its name ends is a guess, and the vote is kept with its topic as written.
"""

import re

from django_countries import countries

HEADING = re.compile(
    r"^(?:applications? not recommended"
    r"|consideration of special reports(?:/| and )complaints by member states"
    r"|statements? in explanation of (?:the )?vote before the vote"
    r"|explanations? of vote before the vote"
    r"|general statements before the vote"
    r"|new applications for consultative status)\s*:?\s*",
    re.I,
)
LEADING = re.compile(r"^(?:application of |non-governmental organization )")
NAME_MAX_WORDS = 20
HEAD_END = re.compile(r"\s*:|, Withdrawal of")
MOTION_WORDS = re.compile(
    r"^(?:motion|proposal|amendment|adjourn|no-action|the proposal|the request"
    r"|the representative|the committee|upon|following|citing|matters|review|he proposal)\b",
    re.I,
)


def topic_organization(topic: str) -> str | None:
    """The name of the organization the vote's topic names, or None for a motion."""
    text = " ".join(topic.split())
    text = LEADING.sub("", HEADING.sub("", text))
    head = HEAD_END.split(text, maxsplit=1)[0].strip().rstrip(".,;")
    if (
        not head
        or not (head[0].isupper() or head[0] in '“"')
        or MOTION_WORDS.match(head)
        or len(head.split()) > NAME_MAX_WORDS
    ):
        return None
    return head


# Names the file gives member states that django_countries does not know as they are written.
COUNTRY_NAMES = {
    "United States": "US",
    "Islamic Republic of Iran": "IR",
    "the Sudan": "SD",
}


def country_code(name) -> str | None:
    if not isinstance(name, str) or not name.strip():
        return None
    name = " ".join(name.split()).rstrip(".").replace("\u2019", "'")
    return COUNTRY_NAMES.get(name) or countries.by_name(name) or None


# How each member state voted, as the file writes it ("abstent" is a misspelling).
CAST_CHOICES = {
    "in favor": "in_favour",
    "in favour": "in_favour",
    "against": "against",
    "abstaining": "abstained",
    "abstent": "abstained",
    "absent": "absent",
}


def cast_choice(value) -> str | None:
    if not isinstance(value, str):
        return None
    return CAST_CHOICES.get(" ".join(value.split()).lower())


# The vote's outcome, as the file writes it ("supported": the proposal was carried).
OUTCOME_CHOICES = {
    "in favor": "in_favour",
    "supported": "in_favour",
    "against": "against",
    "adopted": "adopted",
    "rejected": "rejected",
}


def outcome_choice(value) -> str:
    """The outcome as one of the choices; "other" for one written as a sentence."""
    if not isinstance(value, str):
        return "other"
    return OUTCOME_CHOICES.get(" ".join(value.split()).lower(), "other")
