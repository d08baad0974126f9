"""The bilingual concept space and the vectorisers."""

from __future__ import annotations

import numpy as np

from hedgewatch.statements.lexicon import CONCEPTS, concept_ids
from hedgewatch.statements.vectorize import concept_matrix, phrase_matrix, tfidf_matrix


def _col(cid: str) -> int:
    return concept_ids().index(cid)


def test_same_concept_across_languages():
    texts = [
        "The US is running biological weapons laboratories in Georgia.",
        "США создают биологическое оружие в лабораториях Грузии.",
        "Выступление против биологического оружия и санкций НАТО.",
        "美国的生物武器实验室",
        "A harvest festival was held.",
    ]
    C = concept_matrix(texts).toarray()
    bio = C[:, _col("bioweapons")]
    assert bio.tolist() == [1, 1, 1, 1, 0]
    assert C[2, _col("sanctions")] == 1 and C[2, _col("nato")] == 1
    assert C[4].sum() == 0


def test_optional_characters_in_patterns():
    C = concept_matrix(
        [
            "Underground Nuclear Test",
            "nuclear tests",
            "nuclear testing",
            "ядерными испытаниями",
            "a nuclear power test",
        ]
    ).toarray()
    assert C[:, _col("nuclear_test")].tolist() == [1, 1, 1, 1, 0]
    assert concept_matrix(["sanction", "sanctions"]).toarray()[:, _col("sanctions")].tolist() == [
        1,
        1,
    ]


def test_two_word_patterns_need_adjacent_words():
    C = concept_matrix(["special military operation", "a special report on military"])
    assert C.toarray()[:, _col("smo")].tolist() == [1, 0]


def test_concept_ids_unique_and_patterns_compile():
    import re

    assert len(set(concept_ids())) == len(CONCEPTS)
    for c in CONCEPTS:
        for p in c.en + c.ru:
            re.compile(p)


def test_tfidf_rows_unit_length_and_phrases():
    X, terms = tfidf_matrix(
        ["biological weapons threat", "biological weapons again", "harvest festival"],
        min_df=1,
        max_df=1.0,
    )
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    assert np.allclose(norms, 1.0, atol=1e-6)
    P, phrases = phrase_matrix(
        ["biological weapons threat"] * 3 + ["harvest festival"] * 5, min_df=3, max_df=1.0
    )
    assert "biological weapons" in set(phrases)
