"""Draw the raster favicons (ICO 16/32/48, PNG 180) beside favicon.svg.

The same shape as site/static/img/favicon.svg: a white heart on the brand
red. Run with the project's Python: ``.venv/bin/python scripts/favicon.py``.
"""

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "site" / "static" / "img"
RED, WHITE = (164, 22, 26, 255), (255, 255, 255, 255)


def draw(size):
    scale = 8  # draw large, then downsample for smooth edges
    big = size * scale
    unit = big / 64
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle([0, 0, big - 1, big - 1], radius=14 * unit, fill=RED)
    radius = 9.6 * unit
    for centre_x in (22.4, 41.6):
        cx, cy = centre_x * unit, 26.4 * unit
        pen.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], fill=WHITE)
    pen.polygon(
        [(13.6 * unit, 31 * unit), (50.4 * unit, 31 * unit), (32 * unit, 52 * unit)], fill=WHITE
    )
    pen.rectangle([22.4 * unit, 24 * unit, 41.6 * unit, 31 * unit], fill=WHITE)
    return image.resize((size, size), Image.LANCZOS)


if __name__ == "__main__":
    draw(48).save(OUT / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
    draw(180).save(OUT / "apple-touch-icon.png", optimize=True)
