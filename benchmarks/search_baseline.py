"""The search as it was before stems, synonyms, keywords and typo tolerance: the baseline of bench_search.py.

What an agent types mid-call is matched four ways, strongest first: an error code (any case, with or
without `0x` or `hr`), an error identifier (`DeviceCapReached`), a phrase of an error message as the
end user reads it off the screen, and words (Swedish å, ä and ö folded, so `foretagsportalen` finds
`Företagsportalen`). The last word also matches as a prefix, so hits appear as the agent types.
"""

from __future__ import annotations

import math
import re
import unicodedata
from array import array
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from wizard.core.inline import plain_text
from wizard.core.model import FlowSet, Node, NodeRef, Text

CODE_SCORE = 100.0
IDENTIFIER_SCORE = 90.0
IDENTIFIER_PREFIX_SCORE = 55.0
PHRASE_SCORE = 50.0

# Field weights for words: a word in a title says more about a node than one in its body.
W_MESSAGE = 6.0
W_TITLE = 5.0
W_IDENT_WORD = 4.0
W_BODY = 1.5
PREFIX_FACTOR = 0.6
MIN_PREFIX = 3
PREFIX_LIMIT = 30  # longer words tried for one prefix
COMMON_FRACTION = 0.2  # a word in more than this share of nodes does not pick candidates

_WORD = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*", re.UNICODE)
_HEX_CODE = re.compile(r"(?:hr)?(?:0x)?([0-9a-f]{3,10})\Z")


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower-case without diacritics: 'Företagsportalen' -> 'foretagsportalen'."""
    lowered = text.casefold()
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    return [fold(word) for word in _WORD.findall(text)]


def normalize_code(code: str) -> str | None:
    """Canonical form of an error code: '0x80CF0437', '80cf0437' and 'hr 0x80CF0437' agree."""
    compact = re.sub(r"\s+", "", code.casefold())
    match = _HEX_CODE.match(compact)
    if not match or not any(ch.isdigit() for ch in match.group(1)):
        return None
    return match.group(1).lstrip("0") or "0"


@dataclass(frozen=True, slots=True)
class Hit:
    ref: NodeRef
    score: float
    reason: str
    title: Text

    def as_dict(self, lang: str) -> dict[str, Any]:
        return {
            "flow": self.ref.flow,
            "node": self.ref.node,
            "title": plain_text(self.title.get(lang)),
            "score": round(self.score, 2),
            "reason": self.reason,
        }


class SearchIndex:
    def __init__(self, flowset: FlowSet) -> None:
        self._refs: list[NodeRef] = []
        self._titles: list[Text] = []
        self._codes: dict[str, list[int]] = {}
        self._identifiers: dict[str, list[int]] = {}
        self._messages: list[tuple[str, int]] = []  # folded message text, doc
        self._messages_by_word: dict[str, list[int]] = {}  # word -> positions in _messages
        # Postings go straight into compact arrays (token -> documents, scores): a dict per token
        # would take several times the memory on large sets, and keep it after the build.
        self._postings: dict[str, tuple[array[int], array[float]]] = {}
        for flow in flowset:
            for node in flow.nodes.values():
                self._add(NodeRef(flow.id, node.id), node)
        # idf is fixed once the index is built, so it is folded into the stored scores.
        count = max(1, len(self._refs))
        for docs, weights in self._postings.values():
            idf = math.log(1.0 + count / len(docs))
            for position, weight in enumerate(weights):
                weights[position] = weight * idf
        self._vocabulary = sorted(self._postings)
        self._identifier_names = sorted(self._identifiers)
        self._doc_count = max(1, len(self._refs))

    def __len__(self) -> int:
        return len(self._refs)

    def _add(self, ref: NodeRef, node: Node) -> None:
        doc = len(self._refs)
        self._refs.append(ref)
        self._titles.append(node.title)
        best: dict[str, float] = {}  # this node's words and the weight of the best field each is in

        def add_words(text: str, weight: float) -> None:
            for token in words(plain_text(text)):
                if best.get(token, 0.0) < weight:
                    best[token] = weight

        for code in node.error_codes:
            key = normalize_code(code)
            if key is not None:
                self._codes.setdefault(key, []).append(doc)
            add_words(code, W_IDENT_WORD)
        for identifier in node.error_ids:
            self._identifiers.setdefault(identifier.casefold(), []).append(doc)
            add_words(identifier, W_IDENT_WORD)
        for message in node.messages:
            for value in message.values():
                folded = words(plain_text(value))
                for word in set(folded):
                    self._messages_by_word.setdefault(word, []).append(len(self._messages))
                self._messages.append((" ".join(folded), doc))
                add_words(value, W_MESSAGE)
        for value in node.title.values():
            add_words(value, W_TITLE)
        for text in _body_texts(node):
            for value in text.values():
                add_words(value, W_BODY)
        for step in node.steps:
            if step.command:
                add_words(step.command, W_BODY)
        postings = self._postings
        for token, weight in best.items():
            entry = postings.get(token)
            if entry is None:
                postings[token] = (array("I", (doc,)), array("f", (weight,)))
            else:
                entry[0].append(doc)
                entry[1].append(weight)

    def search(self, query: str, limit: int = 20) -> list[Hit]:
        query = query.strip()
        if not query:
            return []
        scores: dict[int, float] = {}
        reasons: dict[int, str] = {}

        def award(doc: int, score: float, reason: str) -> None:
            if score > 0:
                scores[doc] = scores.get(doc, 0.0) + score
                if doc not in reasons or reason.startswith(("error code", "identifier", "message")):
                    reasons.setdefault(doc, reason)

        raw_tokens = query.split()
        pairs = (" ".join(raw_tokens[i : i + 2]) for i in range(len(raw_tokens) - 1))
        matched_codes: set[str] = set()
        for candidate in dict.fromkeys([query, *raw_tokens, *pairs]):
            key = normalize_code(candidate)
            if key is not None and key not in matched_codes:
                matched_codes.add(key)
                for doc in self._codes.get(key, ()):
                    award(doc, CODE_SCORE, f"error code {candidate}")
        for token in raw_tokens:
            name = token.strip(".,;:!?()[]\"'").casefold()
            if len(name) < MIN_PREFIX:
                continue
            for doc in self._identifiers.get(name, ()):
                award(doc, IDENTIFIER_SCORE, f"identifier {token}")
            if len(name) >= 4 and name not in self._identifiers:
                for identifier in self._prefixed(self._identifier_names, name):
                    for doc in self._identifiers[identifier]:
                        award(doc, IDENTIFIER_PREFIX_SCORE, f"identifier {identifier}")

        tokens = words(query)
        if len(tokens) >= 2:
            phrase = " ".join(tokens)
            # Only messages holding the phrase's first whole word can hold the phrase.
            for position in self._messages_by_word.get(tokens[1] if len(tokens) > 2 else tokens[0], ()):
                message, doc = self._messages[position]
                if phrase in message:
                    award(doc, PHRASE_SCORE * min(1.0, len(tokens) / 4), "message")

        if tokens:
            self._score_words(tokens, award)

        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]
        return [
            Hit(self._refs[doc], score, reasons.get(doc, "words"), self._titles[doc]) for doc, score in ranked
        ]

    def _score_words(self, tokens: list[str], award: Any) -> None:
        unique = list(dict.fromkeys(tokens))
        last = len(unique) - 1
        maps = [
            self._token_scores(
                token, allow_prefix=len(token) >= MIN_PREFIX and (position == last or len(token) >= 5)
            )
            for position, token in enumerate(unique)
        ]
        # Candidates come from the selective words; very common words only add to their scores.
        selective = [scores for scores in maps if 0 < len(scores) <= self._doc_count * COMMON_FRACTION]
        candidates: set[int] = set().union(*(selective or maps))
        total = len(unique)
        for doc in candidates:
            score = 0.0
            matched = 0
            for scores in maps:
                value = scores.get(doc)
                if value is not None:
                    score += value
                    matched += 1
            coverage = matched / total
            award(doc, score * coverage * coverage, "words")

    def _token_scores(self, token: str, allow_prefix: bool) -> dict[int, float]:
        """Document -> score for one query word, the best of its exact and prefix matches."""
        postings = self._postings.get(token)
        best: dict[int, float] = dict(zip(*postings, strict=True)) if postings else {}
        if allow_prefix:
            for longer in self._prefixed(self._vocabulary, token, PREFIX_LIMIT):
                if longer == token:
                    continue
                docs, scores = self._postings[longer]
                get = best.get
                for doc, score in zip(docs, scores, strict=True):
                    score *= PREFIX_FACTOR
                    if get(doc, 0.0) < score:
                        best[doc] = score
        return best

    @staticmethod
    def _prefixed(sorted_words: list[str], prefix: str, limit: int = 50) -> Iterator[str]:
        start = bisect_left(sorted_words, prefix)
        for word in sorted_words[start : start + limit]:
            if not word.startswith(prefix):
                break
            yield word


def _body_texts(node: Node) -> Iterator[Text]:
    if node.body is not None:
        yield node.body
    for callout in node.callouts:
        yield callout.text
    for step in node.steps:
        yield step.text
        if step.hint is not None:
            yield step.hint
    for link in node.links:
        yield link.label
    for choice in node.choices:
        yield choice.label
    for text in (node.escalate_to, node.reason):
        if text is not None:
            yield text
    for screenshot in node.all_screenshots():
        yield screenshot.alt
