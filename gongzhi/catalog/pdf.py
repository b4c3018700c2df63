"""PDF rendering of certificates with a real CJK font (Debian's WenQuanYi Zen Hei, or another installed one)."""

import io
import logging
from functools import lru_cache
from pathlib import Path

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

log = logging.getLogger(__name__)

# TrueType-outline CJK fonts from Debian packages, in order of preference.
FONT_CANDIDATES = [
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),  # fonts-wqy-zenhei
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),  # fonts-wqy-microhei
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),  # fonts-arphic-uming
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", None),  # fonts-droid-fallback
]


@lru_cache(maxsize=1)
def cjk_font() -> str:
    """Register and return the name of an embeddable CJK font; fall back to a standard CID font."""
    for path, index in FONT_CANDIDATES:
        if Path(path).exists():
            kwargs = {"subfontIndex": index} if index is not None else {}
            pdfmetrics.registerFont(TTFont("GongzhiCJK", path, **kwargs))
            return "GongzhiCJK"
    log.warning("no CJK TrueType font installed (apt-get install fonts-wqy-zenhei); using STSong-Light")
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines, line = [], ""
    for ch in text:
        if pdfmetrics.stringWidth(line + ch, font, size) > width:
            lines.append(line)
            line = ch
        else:
            line += ch
    if line:
        lines.append(line)
    return lines


def render_certificate(*, title: str, number: str, paragraphs: list[str], issuer: str, date_text: str,
                       verify_url: str, verification_code: str) -> bytes:
    font = cjk_font()
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4)
    pdf.setTitle(f"{title} {number}")
    pdf.setAuthor(issuer)
    width, height = A4
    left, right = 25 * mm, width - 25 * mm
    pdf.setFont(font, 24)
    pdf.drawCentredString(width / 2, height - 40 * mm, title)
    pdf.setFont(font, 10)
    pdf.drawRightString(right, height - 50 * mm, f"编号：{number}")
    y = height - 70 * mm
    pdf.setFont(font, 14)
    for paragraph in paragraphs:
        for i, line in enumerate(_wrap(paragraph, font, 14, right - left - (28 if paragraph else 0))):
            pdf.drawString(left + (28 if i == 0 else 0), y, line)
            y -= 9 * mm
        y -= 3 * mm
    pdf.drawRightString(right, y - 15 * mm, issuer)
    pdf.drawRightString(right, y - 25 * mm, date_text)
    qr = QrCodeWidget(verify_url)
    x0, y0, x1, y1 = qr.getBounds()
    size = 32 * mm
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(qr)
    renderPDF.draw(drawing, pdf, left, 25 * mm)
    pdf.setFont(font, 10)
    pdf.drawString(left + size + 5 * mm, 45 * mm, f"验证码：{verification_code}")
    pdf.drawString(left + size + 5 * mm, 38 * mm, "扫描二维码或访问以下地址核验真伪：")
    pdf.setFont(font, 8)
    pdf.drawString(left + size + 5 * mm, 32 * mm, verify_url)
    pdf.showPage()
    pdf.save()
    return buf.getvalue()
