"""Places and structure slogans inside clause text: admin-unit names, abbreviation clusters, 一核两翼三区.

The public face of three modules, re-exported here: `geo.places.matcher` (the places a text names:
`find_places`, `PlaceMention`, the not-a-place filters and `segment_words`), `geo.places.clusters`
(abbreviation clusters such as 厦漳泉, `CHAR_ABBREVIATIONS`) and `geo.places.slogans` (`find_slogans`,
`Slogan`). How units lie to one another is `geo.places.nearness`.
"""

from geo.places.clusters import CHAR_ABBREVIATIONS, CLUSTER_LOOKALIKES, KNOWN_CLUSTERS, Cluster, find_clusters
from geo.places.matcher import COMMON_WORD_FORMS, FORMER_NAMES, PlaceMention, find_places, segment_words
from geo.places.slogans import PHRASE_VERBS, SLOGAN_TERMS, Slogan, SloganPart, find_slogans

__all__ = [
    "CHAR_ABBREVIATIONS",
    "CLUSTER_LOOKALIKES",
    "COMMON_WORD_FORMS",
    "FORMER_NAMES",
    "KNOWN_CLUSTERS",
    "PHRASE_VERBS",
    "SLOGAN_TERMS",
    "Cluster",
    "PlaceMention",
    "Slogan",
    "SloganPart",
    "find_clusters",
    "find_places",
    "find_slogans",
    "segment_words",
]
