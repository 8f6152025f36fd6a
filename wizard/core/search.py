"""One index over every node of every flow, in every language.

What an agent types mid-call is matched several ways, strongest first: an error code (any case, with
or without `0x` or `hr`), an error identifier (`DeviceCapReached`), a phrase of an error message as
the end user reads it off the screen, a node's keywords, and words. Words match as written (Swedish
å, ä and ö folded, so `foretagsportalen` finds `Företagsportalen`), by their Snowball stem
(`synkroniseringen` finds `synkronisering`), through the synonyms files (`iphone` -> iOS, `cert` ->
certifikat), by their parts when a Swedish compound is not in the flows (`företagsnamnet` ->
`företag` + `namn`), and, for words of five letters or more and identifiers, within one or two typing
errors (`devicecapreched`), always ranked below an exact match. The last word also matches as a
prefix, so hits appear as the agent types. Both languages are searched; the UI language ranks first,
and platform words (`iphone`, `mac`, `dator`) favour the nodes of that platform's flows.

Every hit says why it matched (`Hit.why`), and `SearchIndex.answer` says what to offer when nothing
fits: an error code that no flow knows comes back with the nearest known codes of its family.
"""

from __future__ import annotations

import heapq
import math
import re
import unicodedata
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from wizard.core.inline import plain_text
from wizard.core.model import FlowSet, Node, NodeRef, Text
from wizard.core.walks import start_ref

MAX_QUERY_CHARS = 300
MAX_QUERY_WORDS = 20
MAX_WORD_CHARS = 60  # longer "words" are pasted data, not something to stem, split or correct

CODE_SCORE = 100.0
IDENTIFIER_SCORE = 90.0
IDENTIFIER_SIMILAR_SCORE = 60.0
IDENTIFIER_PREFIX_SCORE = 55.0
PHRASE_SCORE = 50.0
KEYWORD_SCORE = 30.0

# Field weights for words: a word in a title says more about a node than one in its body.
W_MESSAGE = 6.0
W_TITLE = 5.0
W_KEYWORD = 5.0
W_IDENT_WORD = 4.0
W_BODY = 1.5
W_CHOICE = 0.8  # a question lists its answers' words: the answer itself should rank above it
PART_FACTOR = 0.8  # a part of a hyphenated word (`APNs-certifikatet`)
# How much a match of each kind is worth next to an exact one.
STEM_FACTOR = 0.85
SYNONYM_FACTOR = 0.8
COMPOUND_FACTOR = 0.7
PREFIX_FACTOR = 0.6
SIMILAR_FACTOR = 0.5
OTHER_LANGUAGE_FACTOR = 0.9  # a word only found in the other language's text
PLATFORM_BOOST = 1.6
MIN_PREFIX = 3
MIN_SIMILAR = 5  # shorter words have too many neighbours one typo away
MIN_IDENTIFIER_TYPO = 10  # a lower-case word this long may be an identifier typed wrong
PREFIX_LIMIT = 30  # longer words tried for one prefix
STEM_SCAN_LIMIT = 200  # words stemmed to find those sharing a query word's stem
COMMON_FRACTION = 0.2  # a word in more than this share of nodes does not pick candidates…
COMMON_FLOOR = 300  # …unless the set is so small that scoring every node costs nothing
FEW_DOCS = 8  # a word found in fewer nodes is also tried as a compound of two known words
CONFIDENT_COVERAGE = 0.6  # below this share of the query's words, a word hit is a guess

# Why a hit matched, as shown beside it (worded by the window, kept as data here).
WHY_CODE = "error code"
WHY_IDENTIFIER = "identifier"
WHY_MESSAGE = "message"
WHY_KEYWORD = "keyword"
WHY_WORDS = "words"
WHY_STEM = "stem"
WHY_SYNONYM = "synonym"
WHY_PART = "word part"
WHY_SIMILAR = "similar word"
WHY_PLATFORM = "platform"
WHY_ORDER = (
    WHY_CODE,
    WHY_IDENTIFIER,
    WHY_MESSAGE,
    WHY_KEYWORD,
    WHY_WORDS,
    WHY_STEM,
    WHY_SYNONYM,
    WHY_PART,
    WHY_SIMILAR,
    WHY_PLATFORM,
)

# Where to go when nothing fits: the platform question and the escalation of the built-in flows.
ESCALATE_REF = NodeRef("general", "escalate")

_WORD = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*", re.UNICODE)
_HEX_CODE = re.compile(r"(?:hr)?(?:0x)?([0-9a-f]{3,10})\Z")
_CODE_LIKE = re.compile(r"(?:hr)?0x[0-9a-f]{3,8}\Z|(?:hr)?[0-9a-f]{8}\Z")
_PART_SPLIT = re.compile(r"[-'’.]")
_STEMMERS = {"sv": "swedish", "en": "english"}
_LANG_BITS = {"sv": 1, "en": 2}


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


def query_words(text: str) -> list[str]:
    """The words of a query, hyphenated ones in their parts: `push-certifikatet` -> push, certifikatet."""
    found: list[str] = []
    for word in words(text):
        found.extend(part for part in _PART_SPLIT.split(word) if part)
    return found


def normalize_code(code: str) -> str | None:
    """Canonical form of an error code: '0x80CF0437', '80cf0437' and 'hr 0x80CF0437' agree."""
    compact = re.sub(r"\s+", "", code.casefold())
    match = _HEX_CODE.match(compact)
    if not match or not any(ch.isdigit() for ch in match.group(1)):
        return None
    return match.group(1).lstrip("0") or "0"


def looks_like_code(token: str) -> bool:
    """Whether a typed token is meant as an error code (`0x80180014`, `80180014`), not a number."""
    compact = token.casefold().strip(".,;:!?()[]\"'")
    return _CODE_LIKE.match(compact) is not None and normalize_code(compact) is not None


def code_family(key: str) -> str:
    """The facility part of an HRESULT: '80180014' -> '0x8018'; shorter codes are their own family."""
    padded = key.rjust(8, "0")
    return f"0x{padded[:4].upper()}" if len(key) > 4 else f"0x{key.upper()}"


@lru_cache(maxsize=1 << 16)
def stem(lang: str, word: str) -> str:
    name = _STEMMERS.get(lang)
    return _stemmer(name).stemWord(word) if name else word


@lru_cache(maxsize=4)
def _stemmer(name: str) -> Any:
    # Loaded on the first search, not at start: the case store imports `fold` from here, and the
    # stemmers (all languages) and rapidfuzz would cost the first window some 30 ms.
    import snowballstemmer  # type: ignore[import-untyped]

    return snowballstemmer.stemmer(name)


@dataclass(frozen=True, slots=True)
class Hit:
    ref: NodeRef
    score: float
    reason: str
    title: Text
    why: tuple[str, ...] = ()  # WHY_* tags, strongest first
    coverage: float = 1.0  # share of the query's words the node matched

    def as_dict(self, lang: str) -> dict[str, Any]:
        return {
            "kind": "node",
            "flow": self.ref.flow,
            "node": self.ref.node,
            "title": plain_text(self.title.get(lang)),
            "score": round(self.score, 2),
            "reason": self.reason,
            "why": list(self.why),
        }


@dataclass(frozen=True, slots=True)
class KnownCode:
    code: str  # as the flow writes it
    ref: NodeRef


@dataclass(frozen=True, slots=True)
class UnknownCode:
    """An error code the agent typed that no flow knows, with the nearest known codes of its family."""

    code: str  # as typed, e.g. '0x80180014'
    family: str  # '0x8018'
    nearest: tuple[KnownCode, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "unknown-code",
            "code": self.code,
            "family": self.family,
            "nearest": [{"code": k.code, "flow": k.ref.flow, "node": k.ref.node} for k in self.nearest],
        }


@dataclass(frozen=True)
class SearchAnswer:
    """Everything a search has to offer: hits, and when nothing fits, what to say and where to go on."""

    query: str
    hits: list[Hit]
    unknown_codes: tuple[UnknownCode, ...] = ()
    suggestions: tuple[str, ...] = ()  # "did you mean"
    ways_on: tuple[NodeRef, ...] = ()  # the platform start and escalation, when nothing fits
    confident: bool = True

    @property
    def top(self) -> NodeRef | None:
        return self.hits[0].ref if self.hits and self.confident else None


class _Slot:
    """One thing the query asks for (a word, or a phrase that has synonyms): document -> best score.

    The sources (posting lists or ready maps, each with its factor and why) are kept so that the few
    documents shown can be explained afterwards without a tag per document during the search."""

    __slots__ = ("optional", "scores", "sources")

    def __init__(self) -> None:
        self.scores: dict[int, float] = {}
        self.sources: list[tuple[Any, Any, float, str]] = []
        self.optional = False  # a platform word: boosts, never counts against coverage

    def add_postings(self, docs: array[int], weights: array[float], factor: float, why: str) -> None:
        self.sources.append((docs, weights, factor, why))
        scores = self.scores
        if not scores and factor == 1.0:
            scores.update(zip(docs, weights, strict=True))
            return
        get = scores.get
        for doc, score in zip(docs, weights, strict=True):
            score *= factor
            if score > get(doc, 0.0):
                scores[doc] = score

    def add_map(self, found: dict[int, float], factor: float, why: str) -> None:
        if not found:
            return
        self.sources.append((found, None, factor, why))
        scores = self.scores
        get = scores.get
        for doc, score in found.items():
            score *= factor
            if score > get(doc, 0.0):
                scores[doc] = score

    def why(self, doc: int) -> str:
        """Which kind of match gave `doc` its score here."""
        best, tag = 0.0, ""
        for docs, weights, factor, why in self.sources:
            if weights is None:
                score = docs.get(doc)
            else:
                at = bisect_left(docs, doc)  # a posting list is in document order
                score = weights[at] if at < len(docs) and docs[at] == doc else None
            if score is not None and score * factor > best:
                best, tag = score * factor, why
        return tag


class SearchIndex:
    def __init__(self, flowset: FlowSet) -> None:
        self._start = start_ref(flowset)  # a way on when nothing fits
        self._refs: list[NodeRef] = []
        self._titles: list[Text] = []
        self._doc_flow: array[int] = array("H")  # doc -> position of its flow in _flow_platforms
        self._flow_platforms: list[frozenset[str]] = []
        self._codes: dict[str, list[int]] = {}
        self._code_text: dict[str, str] = {}  # normalized code -> as a flow writes it
        self._identifiers: dict[str, list[int]] = {}
        self._messages: list[tuple[str, int]] = []  # folded message text, doc
        self._messages_by_word: dict[str, list[int]] = {}  # word -> positions in _messages
        self._keyphrases: dict[str, dict[str, list[int]]] = {}  # first word -> folded keyword -> docs
        # Postings go straight into compact arrays (token -> documents, scores): a dict per token
        # would take several times the memory on large sets, and keep it after the build.
        self._postings: dict[str, tuple[array[int], array[float]]] = {}
        self._word_langs: dict[str, int] = {}  # word -> bits of the languages whose text has it
        self._lang_words: dict[int, set[str]] = {1: set(), 2: set(), 4: set()}  # while building
        for flow in flowset:
            self._doc_flow_index = len(self._flow_platforms)
            self._flow_platforms.append(frozenset(flow.platforms))
            for node in flow.nodes.values():
                self._add(NodeRef(flow.id, node.id), node)
        # idf is fixed once the index is built, so it is folded into the stored scores.
        count = max(1, len(self._refs))
        for docs, weights in self._postings.values():
            idf = math.log(1.0 + count / len(docs))
            for position, weight in enumerate(weights):
                weights[position] = weight * idf
        word_langs = self._word_langs
        for bit, seen in self._lang_words.items():
            for word in seen:
                word_langs[word] = word_langs.get(word, 0) | bit
        self._lang_words = {}
        self._vocabulary = sorted(self._postings)
        self._identifier_names = sorted(self._identifiers)
        self._doc_count = count
        self._stems: dict[tuple[str, str], tuple[str, ...]] = {}  # (language, word) -> same stem
        self._families: dict[str, list[tuple[int, str]]] | None = None  # likewise, for unknown codes
        self._synonyms = _SynonymLookup(flowset)

    def __len__(self) -> int:
        return len(self._refs)

    # -- building ---------------------------------------------------------------------------------

    def _add(self, ref: NodeRef, node: Node) -> None:
        doc = len(self._refs)
        self._refs.append(ref)
        self._titles.append(node.title)
        self._doc_flow.append(self._doc_flow_index)
        best: dict[str, float] = {}  # this node's words and the weight of the best field each is in
        get = best.get
        lang_words = self._lang_words

        def add_words(text: str, weight: float, lang: str | None = None) -> None:
            tokens = words(plain_text(text))
            if not tokens:
                return
            seen_in = lang_words[_LANG_BITS.get(lang or "", 4)]
            seen_in.update(tokens)
            for token in tokens:
                if get(token, 0.0) < weight:
                    best[token] = weight
            part_weight = weight * PART_FACTOR
            for token in tokens:
                if token.isalnum():
                    continue
                for part in _PART_SPLIT.split(token):  # 'apns-certifikatet' is also apns, certifikatet
                    if len(part) >= 2:
                        if get(part, 0.0) < part_weight:
                            best[part] = part_weight
                        seen_in.add(part)

        def add_text(text: Text, weight: float) -> None:
            for lang, value in text.by_lang.items():
                add_words(value, weight, lang)

        for code in node.error_codes:
            key = normalize_code(code)
            if key is not None:
                self._codes.setdefault(key, []).append(doc)
                self._code_text.setdefault(key, code.split()[-1])
            add_words(code, W_IDENT_WORD)
        for identifier in node.error_ids:
            self._identifiers.setdefault(identifier.casefold(), []).append(doc)
            add_words(identifier, W_IDENT_WORD)
        for message in node.messages:
            for lang, value in message.by_lang.items():
                folded = words(plain_text(value))
                for word in set(folded):
                    self._messages_by_word.setdefault(word, []).append(len(self._messages))
                self._messages.append((" ".join(folded), doc))
                add_words(value, W_MESSAGE, lang)
        for lang, keywords in node.keywords.by_lang.items():
            for keyword in keywords:
                phrase = " ".join(query_words(keyword))
                if phrase:
                    docs = self._keyphrases.setdefault(phrase.split()[0], {}).setdefault(phrase, [])
                    if not docs or docs[-1] != doc:
                        docs.append(doc)
                add_words(keyword, W_KEYWORD, lang)
        add_text(node.title, W_TITLE)
        for text, weight in _body_texts(node):
            add_text(text, weight)
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

    def _same_stem(self, lang: str, token: str) -> tuple[str, ...]:
        """The words of the flows (in `lang`'s texts) with the Snowball stem of `token` in `lang`.

        Snowball only cuts and changes word endings (`happy` -> `happi`), so a word with stem S begins
        with S but its last letter: only the words under that prefix are stemmed, once each (cached),
        and no search stems the whole vocabulary."""
        key = (lang, token)
        found = self._stems.get(key)
        if found is None:
            target = stem(lang, token)
            prefix = target[:-1] if len(target) > MIN_PREFIX else target
            bit = _LANG_BITS.get(lang, 0)
            word_langs = self._word_langs
            found = tuple(
                word
                for word in self._prefixed(self._vocabulary, prefix, STEM_SCAN_LIMIT)
                if word_langs.get(word, 0) & bit and stem(lang, word) == target
            )
            self._stems[key] = found
        return found

    # -- searching --------------------------------------------------------------------------------

    def search(self, query: str, limit: int = 20, lang: str = "en") -> list[Hit]:
        return self.answer(query, limit, lang).hits

    def answer(self, query: str, limit: int = 20, lang: str = "en") -> SearchAnswer:
        """The hits for `query` with `lang` (the UI language) first, and what to offer beside them."""
        query = query.strip()[:MAX_QUERY_CHARS]  # what an agent types; pasted logs are cut short
        if not query:
            return SearchAnswer(query, [])
        scores: dict[int, float] = {}
        whys: dict[int, dict[str, None]] = {}
        reasons: dict[int, str] = {}
        coverages: dict[int, float] = {}

        def award(doc: int, score: float, reason: str, *why: str) -> None:
            if score > 0:
                scores[doc] = scores.get(doc, 0.0) + score
                tags = whys.setdefault(doc, {})
                for tag in why:
                    tags[tag] = None
                stronger = doc not in reasons or reason.startswith(("error code", "identifier", "message"))
                if stronger and not reasons.get(doc, "").startswith(("error code", "identifier")):
                    reasons[doc] = reason

        raw_tokens = list(dict.fromkeys(query.split()))[:MAX_QUERY_WORDS]
        unknown = self._score_codes(query, raw_tokens, award)
        self._score_identifiers(raw_tokens, award)

        tokens = [token for token in query_words(query) if len(token) <= MAX_WORD_CHARS][:MAX_QUERY_WORDS]
        phrase_tokens = words(query)
        if len(phrase_tokens) >= 2:
            phrase = " ".join(phrase_tokens)
            # Only messages holding the phrase's first whole word can hold the phrase.
            anchor = phrase_tokens[1] if len(phrase_tokens) > 2 else phrase_tokens[0]
            for position in self._messages_by_word.get(anchor, ()):
                message, doc = self._messages[position]
                if phrase in message:
                    award(doc, PHRASE_SCORE * min(1.0, len(phrase_tokens) / 4), "message", WHY_MESSAGE)
        if tokens:
            joined = f" {' '.join(tokens)} "
            for first in dict.fromkeys(tokens):  # keywords by their first word: no scan of them all
                for keyphrase, docs in self._keyphrases.get(first, {}).items():
                    if f" {keyphrase} " not in joined:
                        continue
                    share = min(1.0, (keyphrase.count(" ") + 1) / len(tokens))
                    for doc in docs:
                        award(doc, KEYWORD_SCORE * share, "keyword", WHY_KEYWORD)
            word_scores, slots, platforms = self._score_words(tokens, lang, coverages)
            if scores:
                get = scores.get
                for doc, value in word_scores.items():
                    if value > 0:
                        scores[doc] = get(doc, 0.0) + value
            else:
                scores = {doc: value for doc, value in word_scores.items() if value > 0}
        else:
            slots, platforms = [], frozenset()

        top = heapq.nlargest(limit, scores, key=scores.__getitem__)  # no full sort of thousands
        ranked = sorted(((doc, scores[doc]) for doc in top), key=lambda item: (-item[1], item[0]))
        for doc, _score in ranked:  # explained only for what is shown
            if doc in coverages:
                tags = whys.setdefault(doc, {})
                for tag in self._word_whys(doc, slots, platforms):
                    tags[tag] = None
        hits = [
            Hit(
                self._refs[doc],
                score,
                reasons.get(doc, "words"),
                self._titles[doc],
                tuple(sorted(whys.get(doc, {}), key=WHY_ORDER.index)),
                coverages.get(doc, 1.0),
            )
            for doc, score in ranked
        ]
        confident = bool(hits) and (
            hits[0].coverage >= CONFIDENT_COVERAGE
            or bool({WHY_CODE, WHY_IDENTIFIER, WHY_MESSAGE, WHY_KEYWORD} & set(hits[0].why))
        )
        if unknown and not any(WHY_CODE in hit.why for hit in hits):
            confident = False
        suggestions = () if confident else self._suggestions(tokens)
        start = self._start
        ways_on = () if confident else tuple(ref for ref in (start, ESCALATE_REF) if ref is not None)
        return SearchAnswer(query, hits, tuple(unknown), suggestions, ways_on, confident)

    def _score_codes(
        self, query: str, raw_tokens: list[str], award: Callable[..., None]
    ) -> list[UnknownCode]:
        pairs = (" ".join(raw_tokens[i : i + 2]) for i in range(len(raw_tokens) - 1))
        matched_codes: set[str] = set()
        typed: dict[str, str] = {}  # codes typed that look like codes, key -> as typed
        for candidate in dict.fromkeys([query, *raw_tokens, *pairs]):
            key = normalize_code(candidate)
            if key is None:
                continue
            if key in self._codes and key not in matched_codes:
                matched_codes.add(key)
                for doc in self._codes[key]:
                    award(doc, CODE_SCORE, f"error code {candidate}", WHY_CODE)
            elif key not in self._codes and " " not in candidate and looks_like_code(candidate):
                typed.setdefault(key, candidate.strip(".,;:!?()[]\"'"))
        unknown = []
        for key, as_typed in typed.items():
            if key in matched_codes:
                continue
            family = code_family(key)
            value = int(key, 16)
            near = sorted(
                (abs(number - value), known) for number, known in self._code_families().get(family, ())
            )[:5]
            nearest = tuple(KnownCode(self._code_text[k], self._refs[self._codes[k][0]]) for _, k in near)
            shown = as_typed if as_typed.casefold().startswith(("0x", "hr")) else f"0x{as_typed}"
            unknown.append(UnknownCode(shown.removeprefix("hr").removeprefix("HR").strip(), family, nearest))
        return unknown

    def _code_families(self) -> dict[str, list[tuple[int, str]]]:
        """Known codes by family ('0x80CF' -> [(0x80CF0437, '80cf0437'), …]), built on first need."""
        if self._families is None:
            families: dict[str, list[tuple[int, str]]] = {}
            for known in self._codes:
                if len(known) > 4:
                    families.setdefault(code_family(known), []).append((int(known, 16), known))
            self._families = families
        return self._families

    def _score_identifiers(self, raw_tokens: list[str], award: Callable[..., None]) -> None:
        for token in raw_tokens:
            name = token.strip(".,;:!?()[]\"'").casefold()
            if len(name) < MIN_PREFIX:
                continue
            for doc in self._identifiers.get(name, ()):
                award(doc, IDENTIFIER_SCORE, f"identifier {token}", WHY_IDENTIFIER)
            if name in self._identifiers or len(name) < 4:
                continue
            if name in self._postings and len(raw_tokens) > 1:
                continue  # a plain word of the flows ('device'), not the start of an identifier
            prefixed = list(self._prefixed(self._identifier_names, name))
            for identifier in prefixed:
                for doc in self._identifiers[identifier]:
                    award(doc, IDENTIFIER_PREFIX_SCORE, f"identifier {identifier}", WHY_IDENTIFIER)
            identifier_like = len(name) >= MIN_IDENTIFIER_TYPO or any(ch.isupper() for ch in token[1:])
            if (
                not prefixed
                and identifier_like
                and name.isalnum()
                and name not in self._postings
                and not looks_like_code(name)
            ):
                for identifier, _distance in _similar(name, self._identifier_names):
                    for doc in self._identifiers[identifier]:
                        award(doc, IDENTIFIER_SIMILAR_SCORE, f"identifier {identifier}", WHY_SIMILAR)

    def _score_words(
        self,
        tokens: list[str],
        lang: str,
        coverages: dict[int, float],
    ) -> tuple[dict[int, float], list[_Slot], frozenset[str]]:
        """Document -> score for the words, the slots (to explain hits) and the platforms named."""
        slots, platforms = self._slots(tokens, lang)
        found: dict[int, float] = {}
        if not slots:
            return found, slots, platforms
        all_optional = all(slot.optional for slot in slots)
        counted = [all_optional or not slot.optional for slot in slots]
        total = sum(counted)
        # Candidates come from the selective words; very common words only add to their scores.
        maps = [slot.scores for slot, counts in zip(slots, counted, strict=True) if counts]
        common = max(COMMON_FLOOR, self._doc_count * COMMON_FRACTION)
        selective = [m for m in maps if 0 < len(m) <= common]
        candidates: set[int] = set().union(*(selective or maps))
        weighted = list(zip([slot.scores for slot in slots], counted, strict=True))
        boosted = {index for index, names in enumerate(self._flow_platforms) if names & platforms}
        doc_flow = self._doc_flow
        for doc in candidates:
            score = 0.0
            matched = 0
            for scores, counts in weighted:
                value = scores.get(doc)
                if value is not None:
                    score += value
                    matched += counts
            coverage = matched / total
            if boosted and doc_flow[doc] in boosted:
                score *= PLATFORM_BOOST
            coverages[doc] = coverage
            found[doc] = score * coverage * coverage
        return found, slots, platforms

    def _word_whys(self, doc: int, slots: list[_Slot], platforms: frozenset[str]) -> list[str]:
        tags = [tag for slot in slots if doc in slot.scores and (tag := slot.why(doc))]
        if platforms and self._flow_platforms[self._doc_flow[doc]] & platforms:
            tags.append(WHY_PLATFORM)
        return tags

    def _slots(self, tokens: list[str], lang: str) -> tuple[list[_Slot], frozenset[str]]:
        """One slot a word, or a phrase the synonyms know; and the platforms the query names."""
        slots: list[_Slot] = []
        platforms: set[str] = set()
        seen: set[str] = set()
        last = len(tokens) - 1
        position = 0
        while position < len(tokens):
            taken = 1
            slot = _Slot()
            for length in (3, 2):
                phrase = " ".join(tokens[position : position + length])
                if position + length <= len(tokens) and self._synonyms.knows(phrase):
                    taken = length
                    self._fill_phrase(slot, tokens[position : position + length], lang)
                    break
            else:
                token = tokens[position]
                if token in seen:  # a word typed twice counts once
                    position += 1
                    continue
                seen.add(token)
                self._fill_word(slot, token, lang, allow_prefix=position == last or len(token) >= 5)
            for word in tokens[position : position + taken]:
                platform = self._synonyms.platform_of(word)
                if platform:
                    platforms.add(platform)
                    slot.optional = True
            slots.append(slot)
            position += taken
        return slots, frozenset(platforms)

    def _fill_phrase(self, slot: _Slot, phrase_words: list[str], lang: str) -> None:
        slot.add_map(self._phrase_map(phrase_words, lang, with_stems=True), 1.0, WHY_WORDS)
        for alternative in self._synonyms.alternatives(" ".join(phrase_words)):
            self._offer_alternative(slot, alternative, lang, SYNONYM_FACTOR, WHY_SYNONYM)

    def _offer_alternative(self, slot: _Slot, alternative: str, lang: str, factor: float, why: str) -> None:
        """A synonym: one word as written and by stem, a phrase by its words as written."""
        alternative_words = alternative.split()
        if len(alternative_words) == 1:
            self._offer_word(slot, alternative, lang, factor, why)
        else:
            slot.add_map(self._phrase_map(alternative_words, lang, with_stems=False), factor, why)

    def _phrase_map(self, phrase_words: list[str], lang: str, with_stems: bool) -> dict[int, float]:
        """Documents holding every word of a phrase, at the mean of the words' scores."""
        maps = []
        for word in phrase_words:
            word_slot = _Slot()
            if with_stems:
                self._offer_word(word_slot, word, lang, 1.0, WHY_WORDS)
            else:
                self._offer_postings(word_slot, word, lang, 1.0, WHY_WORDS)
            if not word_slot.scores:
                return {}
            maps.append(word_slot.scores)
        maps.sort(key=len)
        rarest, others = maps[0], maps[1:]
        count = len(maps)
        combined = {}
        for doc, score in rarest.items():
            total = score
            for other in others:
                value = other.get(doc)
                if value is None:
                    break
                total += value
            else:
                combined[doc] = total / count
        return combined

    def _offer_word(self, slot: _Slot, token: str, lang: str, factor: float, why: str) -> None:
        """A word as written and by its stem (in both languages)."""
        self._offer_postings(slot, token, lang, factor, why)
        if len(token) >= MIN_PREFIX and not token.isdigit():
            stem_why = why if why != WHY_WORDS else WHY_STEM
            for stem_lang in _ordered_languages(lang):
                for word in self._same_stem(stem_lang, token):
                    if word != token:
                        self._offer_postings(slot, word, lang, factor * STEM_FACTOR, stem_why)

    def _offer_postings(self, slot: _Slot, word: str, lang: str, factor: float, why: str) -> None:
        postings = self._postings.get(word)
        if postings is None:
            return
        bits = self._word_langs.get(word, 0)
        if bits & 3 and not bits & _LANG_BITS.get(lang, 0):
            factor *= OTHER_LANGUAGE_FACTOR
        slot.add_postings(postings[0], postings[1], factor, why)

    def _fill_word(self, slot: _Slot, token: str, lang: str, allow_prefix: bool) -> None:
        exact = self._postings.get(token)
        self._offer_postings(slot, token, lang, 1.0, WHY_WORDS)
        if exact is not None and len(exact[0]) > max(COMMON_FLOOR, self._doc_count * COMMON_FRACTION):
            return  # a very common word: its other forms would only add noise and time
        if looks_like_code(token) or token in self._identifiers:
            return  # matched as a code or an identifier already
        if len(token) >= MIN_PREFIX and not token.isdigit():
            for stem_lang in _ordered_languages(lang):
                for word in self._same_stem(stem_lang, token):
                    if word != token:
                        self._offer_postings(slot, word, lang, STEM_FACTOR, WHY_STEM)
        if allow_prefix and len(token) >= MIN_PREFIX:
            for longer in self._prefixed(self._vocabulary, token, PREFIX_LIMIT):
                if longer != token:
                    self._offer_postings(slot, longer, lang, PREFIX_FACTOR, WHY_WORDS)
        self._offer_synonyms(slot, token, lang, 1.0)
        if len(slot.scores) < FEW_DOCS:
            for left, right in self._compound_parts(token):
                left_slot, right_slot = _Slot(), _Slot()
                for part, part_slot in ((left, left_slot), (right, right_slot)):
                    self._offer_word(part_slot, part, lang, 1.0, WHY_PART)
                    self._offer_synonyms(part_slot, part, lang, 1.0, WHY_PART)
                both: dict[int, float] = {}
                right_scores = right_slot.scores
                for doc, score in left_slot.scores.items():
                    other = right_scores.get(doc)
                    both[doc] = (score + other) / 2 if other is not None else score / 2
                for doc, score in right_scores.items():
                    both.setdefault(doc, score / 2)
                slot.add_map(both, COMPOUND_FACTOR, WHY_PART)
                break
        if slot.scores or len(token) < MIN_SIMILAR or token.isdigit():
            return
        for similar, _distance in _similar(token, self._vocabulary):
            self._offer_postings(slot, similar, lang, SIMILAR_FACTOR, WHY_SIMILAR)

    def _offer_synonyms(
        self, slot: _Slot, token: str, lang: str, factor: float, why: str = WHY_SYNONYM
    ) -> None:
        for alternative in self._synonyms.alternatives(token):
            self._offer_alternative(slot, alternative, lang, factor * SYNONYM_FACTOR, why)

    def _compound_parts(self, token: str) -> Iterator[tuple[str, str]]:
        """Splits of a Swedish compound into two words the flows know, longest first part first:
        'foretagsnamnet' -> ('foretag', 'namnet'), with the linking s dropped."""
        if len(token) < 7:
            return

        def known(word: str) -> bool:
            return word in self._postings or bool(self._same_stem("sv", word)) or self._synonyms.knows(word)

        for cut in range(len(token) - 3, 2, -1):
            left, right = token[:cut], token[cut:]
            if not known(right):
                continue
            if known(left):
                yield left, right
            elif left.endswith("s") and len(left) > 3 and known(left[:-1]):
                yield left[:-1], right

    def _suggestions(self, tokens: list[str]) -> tuple[str, ...]:
        """'Did you mean': the query with its unknown words replaced by the nearest words of the flows."""
        replaced = []
        changed = False
        close_to: dict[str, str | None] = {}
        for token in tokens:
            if token in self._postings or len(token) < 4 or token.isdigit() or looks_like_code(token):
                replaced.append(token)
                continue
            if token not in close_to:
                close = _similar(token, self._vocabulary, generous=True)
                close_to[token] = close[0][0] if close else None
            nearest = close_to[token]
            replaced.append(nearest or token)
            changed = changed or nearest is not None
        return (" ".join(replaced),) if changed else ()

    @staticmethod
    def _prefixed(sorted_words: list[str], prefix: str, limit: int = 50) -> Iterator[str]:
        start = bisect_left(sorted_words, prefix)
        for word in sorted_words[start : start + limit]:
            if not word.startswith(prefix):
                break
            yield word


class _SynonymLookup:
    """The flow set's synonyms files, folded, for the query side."""

    def __init__(self, flowset: FlowSet) -> None:
        self._groups: dict[str, list[int]] = {}  # folded term -> groups it is in
        self._terms: list[tuple[str, ...]] = []
        self._platform_of: dict[str, str] = {}
        for table in flowset.synonyms.values():
            for group in table.groups:
                folded = tuple(dict.fromkeys(" ".join(query_words(term)) for term in group))
                index = len(self._terms)
                self._terms.append(tuple(term for term in folded if term))
                for term in folded:
                    self._groups.setdefault(term, []).append(index)
            for platform, names in table.platforms.items():
                for name in names:
                    folded_name = " ".join(query_words(name))
                    if " " in folded_name:
                        continue  # a phrase such as 'configuration manager' is matched as words
                    self._platform_of.setdefault(folded_name, platform)

    def knows(self, phrase: str) -> bool:
        return phrase in self._groups

    def alternatives(self, term: str) -> list[str]:
        found: dict[str, None] = {}
        for index in self._groups.get(term, ()):
            for other in self._terms[index]:
                if other != term:
                    found[other] = None
        return list(found)

    def platform_of(self, word: str) -> str | None:
        return self._platform_of.get(word)


def _ordered_languages(lang: str) -> tuple[str, ...]:
    return (lang, *(other for other in _STEMMERS if other != lang)) if lang in _STEMMERS else tuple(_STEMMERS)


def _similar(word: str, vocabulary: list[str], generous: bool = False) -> list[tuple[str, int]]:
    """Words within one typing error (two for words of eight letters or more; a swap counts once)."""
    allowed = 1 if len(word) < 8 else 2
    if generous:
        allowed += 1
    from rapidfuzz import process  # loaded on the first search, not at start
    from rapidfuzz.distance import OSA

    found = process.extract(word, vocabulary, scorer=OSA.distance, score_cutoff=allowed, limit=5)
    return [(match, int(distance)) for match, distance, _ in sorted(found, key=lambda m: (m[1], m[0]))]


def _body_texts(node: Node) -> Iterator[tuple[Text, float]]:
    if node.body is not None:
        yield node.body, W_BODY
    for callout in node.callouts:
        yield callout.text, W_BODY
    for step in node.steps:
        yield step.text, W_BODY
        if step.hint is not None:
            yield step.hint, W_BODY
    for link in node.links:
        yield link.label, W_BODY
    for choice in node.choices:
        yield choice.label, W_CHOICE
        if choice.hint is not None:
            yield choice.hint, W_CHOICE
    for text in (node.escalate_to, node.reason):
        if text is not None:
            yield text, W_BODY
    for screenshot in node.all_screenshots():
        yield screenshot.alt, W_BODY
