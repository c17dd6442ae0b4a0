"""How an email or page greets a guest by the name they typed.

The rule: a person's name is greeted by its first word ("Jo Bloggs" → "Hello Jo"); a name that isn't one
person's first-name-first name is greeted whole, as typed: one word, a title ("Dr Okafor"), or several
people ("Ada & Ben", "Okafor family"). A name starting with "The" reads "Hello to the Okafor family".
No name at all leaves the opening alone ("Hello").
"""

TITLES = frozenset(
    {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "rev", "revd", "sir", "dame", "lord", "lady"}
)
SEVERAL_PEOPLE = frozenset({"&", "+", "and", "family", "families", "household"})


def greeting(name: str, opening: str = "Hello") -> str:
    """`opening` and the name to greet, e.g. greeting("The Okafor family", "Thank you,") → "Thank you to the
    Okafor family". An opening ending in a comma keeps it before a name ("Thank you, Jo")."""
    words = name.split()
    if not words:
        return opening.rstrip(",")
    if words[0].lower() == "the" and len(words) > 1:
        return f"{opening.rstrip(',')} to the {' '.join(words[1:])}"
    whole = (
        len(words) == 1
        or words[0].rstrip(".").lower() in TITLES
        or any(word.lower().strip(",") in SEVERAL_PEOPLE for word in words)
        or "," in name
    )
    return f"{opening} {name.strip() if whole else words[0]}"
