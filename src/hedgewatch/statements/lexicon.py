"""A small bilingual (English / Russian, some Chinese) lexicon of narrative concepts.

No multilingual language model can be shipped offline, so cross-language runs (KCNA in English
against Channel One in Russian) use this hand-written concept space instead: each concept has
an id, an English label and patterns in each language. A statement carries a concept when one
of its words or word pairs matches a pattern.

Patterns are regular expressions matched against whole lower-cased words, or a pair of
adjacent words (see :func:`hedgewatch.statements.vectorize.concept_matrix`);
Russian patterns use stems (``оруж\\w*``) to absorb case endings. Chinese patterns are matched as
substrings, since Chinese text has no spaces.

What this can find: the adoption of the listed themes (biological weapons, sanctions, NATO,
joint drills, ...) by actors writing in different languages, on the same days. What it cannot
find: narratives outside the list, framing (who is blamed), negation ("there are no US
biolabs"), or new coinages. Extend :data:`CONCEPTS` for a new case; keep ids stable.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Concept:
    """One narrative concept: id, human label and term patterns per language."""

    id: str
    label: str
    en: tuple[str, ...]
    ru: tuple[str, ...]
    zh: tuple[str, ...] = ()


def _c(id: str, label: str, en: str, ru: str, zh: str = "") -> Concept:
    split = lambda s: tuple(p.strip() for p in s.split(";") if p.strip())  # noqa: E731
    return Concept(id, label, split(en), split(ru), split(zh))


#: The concept space. Patterns are separated by ';' and must match a whole term.
CONCEPTS: tuple[Concept, ...] = (
    _c(
        "bioweapons",
        "biological weapons / US military laboratories",
        r"biological weapons?; bioweapons?; biolabs?; biological laborator\w*; "
        r"biological warfare; germ warfare; bacteriological weapons?; anthrax",
        r"биологическ\w* оружи\w*; биолаборатори\w*; биологическ\w* лаборатори\w*; "
        r"бактериологическ\w* оружи\w*; сибирск\w* язв\w*",
        "生物武器;生物实验室;细菌战;炭疽",
    ),
    _c(
        "chemweapons",
        "chemical weapons",
        r"chemical weapons?; chemical attacks?",
        r"химическ\w* оружи\w*; химическ\w* атак\w*",
        "化学武器",
    ),
    _c("sanctions", "sanctions", r"sanctions?", r"санкци\w*", "制裁"),
    _c("nato", "NATO", r"nato", r"нато", "北约"),
    _c(
        "nuclear_weapons",
        "nuclear weapons / deterrence",
        r"nuclear weapons?; nuclear deterrence; nuclear arsenal; nuclear forces?; "
        r"nuclear war; nuclear strike",
        r"ядерн\w* оружи\w*; ядерн\w* сдерживани\w*; ядерн\w* арсенал\w*; ядерн\w* войн\w*; "
        r"ядерн\w* удар\w*; ядерн\w* сил\w*",
        "核武器;核威慑",
    ),
    _c(
        "nuclear_test",
        "nuclear test",
        r"nuclear tests?; nuclear testing",
        r"ядерн\w* испытани\w*",
        "核试验",
    ),
    _c(
        "missiles",
        "ballistic missiles / missile launches",
        r"ballistic missiles?; missile launch\w*; icbm; hwasong\w*; missile tests?",
        r"баллистическ\w* ракет\w*; пуск\w* ракет\w*; запуск\w* ракет\w*; мбр",
        "弹道导弹;导弹发射",
    ),
    _c("hypersonic", "hypersonic weapons", r"hypersonic\w*", r"гиперзвуков\w*", "高超音速"),
    _c(
        "satellite",
        "satellite / space launch",
        r"reconnaissance satellite; satellite launch\w*; military satellite; outer space",
        r"спутник\w*; космическ\w* пространств\w*",
        "卫星",
    ),
    _c(
        "drills",
        "US-ROK joint military exercises",
        r"joint military; military drills?; war drills?; joint exercises?; freedom shield; "
        r"ulchi freedom; military exercises?",
        r"военн\w* учени\w*; совместн\w* учени\w*; учени\w* сша",
        "联合军演;军事演习",
    ),
    _c(
        "aukus_indopacific",
        "Indo-Pacific / AUKUS / Asian NATO",
        r"indo-pacific; aukus; asian version; asia-pacific nato; quad",
        r"индо-тихоокеанск\w*; aukus; аукус; азиатск\w* нато",
        "印太;奥库斯",
    ),
    _c(
        "ukraine",
        "Ukraine war",
        r"ukraine; ukrainian; kiev; kyiv; zelensky\w*",
        r"украин\w*; киев\w*; зеленск\w*; всу",
        "乌克兰",
    ),
    _c(
        "smo",
        "special military operation",
        r"special military",
        r"специальн\w* военн\w*; сво",
        "特别军事行动",
    ),
    _c(
        "nazism",
        "neo-Nazism / fascism",
        r"nazis?; neo-nazi\w*; nazism; fascis\w*",
        r"нацист\w*; неонацист\w*; нацизм\w*; фашист\w*; фашизм\w*",
        "纳粹;法西斯",
    ),
    _c(
        "hegemony",
        "US hegemony / unipolar world",
        r"hegemon\w*; unipolar; domination\w*; high-handed\w*",
        r"гегемони\w*; однополярн\w*; диктат\w*",
        "霸权;单边主义",
    ),
    _c(
        "multipolar",
        "multipolar world order",
        r"multipolar\w*; multipolarity",
        r"многополярн\w*",
        "多极",
    ),
    _c(
        "sovereignty",
        "sovereignty / non-interference",
        r"sovereignty; sovereign rights?; internal affairs; interference",
        r"суверенитет\w*; внутренн\w* дел\w*; вмешательств\w*",
        "主权;内政",
    ),
    _c(
        "imperialism",
        "imperialism",
        r"imperialis\w*",
        r"империализм\w*; империалист\w*",
        "帝国主义",
    ),
    _c(
        "treaty_rus_prk",
        "Russia-DPRK partnership treaty",
        r"comprehensive strategic; strategic partnership; treaty on; mutual assistance",
        r"всеобъемлющ\w* стратегическ\w*; стратегическ\w* партнерств\w*; "
        r"договор\w* о; взаимн\w* помощ\w*",
        "全面战略",
    ),
    _c(
        "summit_putin_kim",
        "Putin-Kim summit",
        r"jong un; putin",
        r"ким чен\w*; путин\w*",
        "金正恩;普京",
    ),
    _c(
        "korea_peninsula",
        "Korean peninsula",
        r"korean peninsula; dprk; north korea; pyongyang",
        r"корейск\w* полуостров\w*; кндр; северн\w* коре\w*; пхеньян\w*",
        "朝鲜半岛;朝鲜",
    ),
    _c("denuclearization", "denuclearisation", r"denucleari\w*", r"денуклеаризаци\w*", "无核化"),
    _c(
        "japan_water",
        "Fukushima contaminated water",
        r"contaminated water; nuclear-polluted; polluted water; fukushima",
        r"фукусим\w*; радиоактивн\w* вод\w*",
        "核污染水;福岛",
    ),
    _c("taiwan", "Taiwan", r"taiwan", r"тайван\w*", "台湾"),
    _c(
        "gaza",
        "Gaza / Israel-Palestine",
        r"gaza; palestin\w*; israel\w*",
        r"сектор\w* газ\w*; палестин\w*; израил\w*",
        "加沙;巴勒斯坦",
    ),
    _c("human_rights", "human rights", r"human rights", r"прав\w* человека", "人权"),
    _c("terrorism", "terrorism", r"terroris\w*", r"террорис\w*; теракт\w*", "恐怖主义"),
    _c(
        "un_security_council",
        "UN Security Council",
        r"security council",
        r"совбез\w*; совет\w* безопасности",
        "安理会",
    ),
    _c(
        "dollar",
        "dollar / de-dollarisation",
        r"dollar\w*; de-dollari\w*",
        r"доллар\w*; дедолларизаци\w*",
        "美元",
    ),
    _c("brics_sco", "BRICS / SCO", r"brics; shanghai cooperation", r"брикс; шос", "金砖;上合"),
    _c("drones", "drones", r"drones?; uav\w*", r"беспилотн\w*; дрон\w*; бпла", "无人机"),
    _c(
        "cyber",
        "cyber attacks / hacking",
        r"cyber\w*; hacking; hackers?",
        r"кибер\w*; хакер\w*",
        "网络攻击",
    ),
    _c(
        "victory_war",
        "Victory Day / Great Patriotic War",
        r"victory day; great patriotic; world war",
        r"день победы; великой отечественной; велик\w* отечественн\w*; втор\w* миров\w*",
        "卫国战争",
    ),
    _c(
        "aircraft_carrier",
        "US carriers / strategic bombers",
        r"aircraft carriers?; strategic bombers?; b-52\w*; b-1b",
        r"авианос\w*; стратегическ\w* бомбардировщик\w*",
        "航母;战略轰炸机",
    ),
    _c(
        "food_grain",
        "food / grain",
        r"grain; wheat; food security",
        r"зерн\w*; пшениц\w*; продовольственн\w* безопасност\w*",
        "粮食",
    ),
    _c(
        "energy_gas",
        "energy / gas / oil",
        r"natural gas; oil prices?; pipelines?; lng",
        r"газопровод\w*; нефт\w*; газ\w* поставк\w*",
        "天然气;石油",
    ),
)


def concept_ids() -> list[str]:
    """The ids of :data:`CONCEPTS`, in order."""
    return [c.id for c in CONCEPTS]


def concept_labels() -> dict[str, str]:
    """Concept id -> human label."""
    return {c.id: c.label for c in CONCEPTS}
