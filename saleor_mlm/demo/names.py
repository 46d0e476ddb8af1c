"""Names and places for the demo network: Germany, Austria and Switzerland (DACH)."""

FIRST_NAMES = (
    "Anna", "Lena", "Lea", "Hannah", "Mia", "Emma", "Sophie", "Marie", "Laura", "Julia",
    "Katharina", "Sarah", "Johanna", "Clara", "Paula", "Lisa", "Sabine", "Petra", "Andrea",
    "Claudia", "Monika", "Ursula", "Birgit", "Heike", "Karin", "Nicole", "Stefanie", "Martina",
    "Verena", "Theresa", "Magdalena", "Valentina", "Nina", "Franziska", "Elisabeth", "Ingrid",
    "Lukas", "Leon", "Jonas", "Felix", "Maximilian", "Paul", "Elias", "Noah", "Finn", "Ben",
    "Thomas", "Michael", "Andreas", "Stefan", "Markus", "Christian", "Martin", "Peter", "Jürgen",
    "Klaus", "Wolfgang", "Tobias", "Florian", "Matthias", "Sebastian", "Alexander", "Daniel",
    "Simon", "Fabian", "Dominik", "Reto", "Urs", "Beat", "Matthäus", "Florian", "Jakob",
)  # fmt: skip

LAST_NAMES = (
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
    "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
    "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt",
    "Werner", "Krause", "Meier", "Lehmann", "Huber", "Gruber", "Pichler", "Moser", "Steiner",
    "Mayer", "Hofer", "Leitner", "Berger", "Fuchs", "Eder", "Fischer", "Brunner", "Keller",
    "Frei", "Baumann", "Gerber", "Widmer", "Kälin", "Bühler", "Zürcher", "Ammann", "Vogel",
)  # fmt: skip

# (ISO country, share of the network, payout currency, e-mail domains)
COUNTRIES = (
    ("DE", 0.70, "EUR", ("web.de", "gmx.de", "t-online.de", "posteo.de")),
    ("AT", 0.18, "EUR", ("gmx.at", "aon.at", "chello.at")),
    ("CH", 0.12, "CHF", ("bluewin.ch", "gmx.ch", "sunrise.ch")),
)

ASCII = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


def ascii_name(name: str) -> str:
    """"Jürgen" -> "juergen": e-mail addresses and codes are ASCII."""
    return name.translate(ASCII).lower()
