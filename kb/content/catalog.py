"""Products and topics (content/catalog.toml) and the rule that files an article under them."""

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .parser import ContentError

CATALOG_FILE = "catalog.toml"


@dataclass(frozen=True)
class CatalogEntry:
    name: str
    slug: str
    description: str
    keywords: tuple[str, ...]
    position: int


@dataclass(frozen=True)
class Product(CatalogEntry):
    topics: tuple[CatalogEntry, ...]


def _entry(data, position, path, kind):
    try:
        name, slug = str(data["name"]).strip(), str(data["slug"]).strip()
    except KeyError as missing:
        raise ContentError(path, 0, f"a {kind} lacks the key {missing}") from None
    if not name or not slug:
        raise ContentError(path, 0, f"a {kind} has an empty name or slug")
    return dict(
        name=name,
        slug=slug,
        description=str(data.get("description", "")),
        keywords=tuple(str(k) for k in data.get("keywords", [])),
        position=position,
    )


def load_catalog(path):
    """Products with their topics, in file order. Raises ContentError for a malformed file."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ContentError(path, 0, f"cannot read: {error.strerror}") from None
    except UnicodeDecodeError:
        raise ContentError(path, 0, "not valid UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        # Python < 3.14 gives the position only inside the message: "(at line 3, column 8)".
        found = re.search(r"\(at line (\d+), column \d+\)", str(error))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        raise ContentError(
            path, int(found.group(1)) if found else 0, f"invalid TOML: {message}"
        ) from None
    products = []
    for p_index, raw in enumerate(data.get("product", []), start=1):
        topics = tuple(
            CatalogEntry(**_entry(topic, t_index, path, "topic"))
            for t_index, topic in enumerate(raw.get("topic", []), start=1)
        )
        if not topics:
            raise ContentError(path, 0, f"product {raw.get('name')!r} has no topic")
        products.append(Product(**_entry(raw, p_index, path, "product"), topics=topics))
    if not products:
        raise ContentError(path, 0, "no [[product]] defined")
    slugs = [e.slug for p in products for e in (p, *p.topics)]
    if len(slugs) != len(set(slugs)):
        raise ContentError(path, 0, "category slugs must be unique")
    return products


def classify(products, text):
    """(product, topic) for an article whose title and question are ``text``."""
    product = next((p for p in products if any(k in text for k in p.keywords)), products[-1])
    topic = next((t for t in product.topics if any(k in text for k in t.keywords)), None)
    return product, topic or product.topics[-1]
