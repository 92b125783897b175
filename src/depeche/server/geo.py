"""A map of event places as SVG, drawn on the server from data in the package.

Country outlines: ``static/countries-110m.json``, the world-atlas TopoJSON of
Natural Earth's 1:110m countries (public domain; see
``static/countries-110m.LICENSE.txt``). A place is put where the knowledge
base has coordinates for it (cities); a country without coordinates is put
at the centre of its largest outline. The projection is equirectangular,
with longitudes narrowed by the cosine of the view's middle latitude, over
the box of the places (at least a region), so no tile server, no script.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable, Optional

from markupsafe import Markup, escape


@dataclass
class Country:
    id: str            # ISO 3166-1 numeric, as in the TopoJSON
    name: str
    polygons: list     # [[ring of (lon, lat)], ...] per polygon, outer ring first
    centre: tuple      # (lon, lat) of the largest polygon's centroid


@dataclass
class Place:
    name: str
    lon: float
    lat: float
    n: int                  # events there
    href: Optional[str] = None
    country_level: bool = False


def _ring_area_centroid(ring):
    a = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        f = x1 * y2 - x2 * y1
        a += f
        cx += (x1 + x2) * f
        cy += (y1 + y2) * f
    if abs(a) < 1e-12:
        xs, ys = zip(*ring)
        return 0.0, (sum(xs) / len(xs), sum(ys) / len(ys))
    return a / 2, (cx / (3 * a), cy / (3 * a))


@lru_cache(maxsize=1)
def countries() -> dict[str, Country]:
    """The countries of the packaged TopoJSON by ISO numeric id (names when no id)."""
    topo = json.loads(resources.files(__package__).joinpath("static", "countries-110m.json")
                      .read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)

    def ring(indices):
        out = []
        for i in indices:
            pts = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(pts if not out else pts[1:])
        return out

    out = {}
    for g in topo["objects"]["countries"]["geometries"]:
        if g.get("type") == "Polygon":
            polys = [[ring(r) for r in g["arcs"]]]
        elif g.get("type") == "MultiPolygon":
            polys = [[ring(r) for r in p] for p in g["arcs"]]
        else:
            continue
        best = max((_ring_area_centroid(p[0]) for p in polys), key=lambda ac: abs(ac[0]))
        name = g.get("properties", {}).get("name", "")
        key = g.get("id") or name
        out[key] = Country(key, name, polys, best[1])
    return out


def country_centre(alpha2: Optional[str]) -> Optional[tuple[float, float]]:
    """(lon, lat) of a country by its ISO alpha-2 code, from its outline."""
    if not alpha2:
        return None
    import pycountry

    c = pycountry.countries.get(alpha_2=alpha2.upper())
    if c is None:
        return None
    found = countries().get(c.numeric)
    return found.centre if found else None


def _view(places: list[Place]) -> tuple[float, float, float, float]:
    """The (lon0, lat0, lon1, lat1) box shown: the places', padded, at least 40° by 25°."""
    if not places:
        return -180.0, -60.0, 180.0, 85.0
    lons = [p.lon for p in places]
    lats = [p.lat for p in places]
    lo0, lo1, la0, la1 = min(lons), max(lons), min(lats), max(lats)
    w, h = max(40.0, (lo1 - lo0) * 1.3), max(25.0, (la1 - la0) * 1.3)
    cx, cy = (lo0 + lo1) / 2, (la0 + la1) / 2
    lo0, lo1 = max(-180.0, cx - w / 2), min(180.0, cx + w / 2)
    la0, la1 = max(-60.0, cy - h / 2), min(85.0, cy + h / 2)
    return lo0, la0, lo1, la1


def render(places: Iterable[Place], width: int = 960, label: str = "map") -> Markup:
    """The SVG map: countries in grey, a circle per place sized by its events."""
    places = list(places)
    lo0, la0, lo1, la1 = _view(places)
    k = math.cos(math.radians((la0 + la1) / 2))
    scale = width / ((lo1 - lo0) * k)
    height = round((la1 - la0) * scale)

    def xy(lon, lat):
        return (lon - lo0) * k * scale, (la1 - lat) * scale

    parts = [f'<svg class="map" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}" '
             f'xmlns="http://www.w3.org/2000/svg"><rect class="sea" width="{width}" height="{height}"/>']
    for c in countries().values():
        d = []
        for poly in c.polygons:
            for r in poly:
                if not any(lo0 - 20 <= lon <= lo1 + 20 and la0 - 20 <= lat <= la1 + 20 for lon, lat in r):
                    continue
                pts = [xy(lon, lat) for lon, lat in r]
                d.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in pts) + "Z")
        if d:
            parts.append(f'<path class="country" d="{"".join(d)}"><title>{escape(c.name)}</title></path>')
    top = max((p.n for p in places), default=1)
    for p in sorted(places, key=lambda p: -p.n):
        x, y = xy(p.lon, p.lat)
        r = 4 + 14 * math.sqrt(p.n / top)
        cls = "place country-level" if p.country_level else "place"
        circle = (f'<circle class="{cls}" cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}">'
                  f'<title>{escape(p.name)}: {p.n}</title></circle>'
                  f'<text class="place-label" x="{x + r + 3:.1f}" y="{y + 4:.1f}">{escape(p.name)}</text>')
        parts.append(f'<a href="{escape(p.href)}">{circle}</a>' if p.href else circle)
    parts.append("</svg>")
    return Markup("".join(parts))
