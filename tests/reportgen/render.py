#!/usr/bin/python3
"""Render every chart of `pesim report` and look at it as a reader would.

For each input kind (a run, a one-layer run, a 54-layer run, the README's
compare, a compare too big for per-layer bars, two sweeps; and the compare
with --dataflows, a sweep with a three-metric --pareto) and each format
(html, svg, pdf, png) this draws the charts and fails when a figure has
  - two labels that overlap, or a label cut by the canvas's edge:
      HTML and SVG: the bounding box of every <text> as headless Chromium
      lays it out; PDF: every word's box from `pdftotext -bbox`;
  - an empty plot: HTML and SVG: no mark (bar, point, line, cell) of any
      plotted data set inside the axes; PDF and PNG: a raster (pdftoppm,
      or the PNG itself) with less than half the coloured ink of the same
      chart's SVG (so a figure that dropped its data shows);
  - a PNG whose layout is not the PDF's (same size at 300 dpi, and the
      two rasters agree), so that the PDF's label check covers it.
docs/reports.md, "How the charts are checked", says the same.

usage: render.py PESIM [WORKDIR]   (needs gnuplot, chromium, poppler-utils)
"""
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

INPUTS = [
    ("run", ["run", "--arch", "eyeriss-v1", "--workload", "alexnet", "--layers", "conv",
             "--batch", "4", "--dataflow", "ws"], "json"),
    ("run-one-layer", ["run", "--arch", "eyeriss-v1", "--workload", "alexnet", "--layers",
                       "CONV1", "--dataflow", "rs"], "json"),
    ("run-resnet50", ["run", "--arch", "generic-16x16", "--workload", "resnet50"], "json"),
    ("compare", ["compare", "--arch", "eyeriss-v1", "--workload", "alexnet", "--layers",
                 "conv", "--batch", "4"], "json"),
    ("compare-resnet50", ["compare", "--arch", "generic-16x16", "--workload", "resnet50",
                          "--engine", "analysis"], "json"),
    ("sweep-shape", ["sweep", os.path.join(ROOT, "docs/examples/sweep-shape.yaml")], "csv"),
    ("sweep-glb", ["sweep", os.path.join(ROOT, "docs/examples/sweep-glb.yaml")], "csv"),
]
# Inputs drawn again with report options: (name, input's name, options).
VARIANTS = [
    ("compare-ws-os-rs", "compare", ["--dataflows", "ws,os,rs"]),
    ("sweep-shape-area", "sweep-shape", ["--pareto", "latency_us,energy_total,area"]),
]
FORMATS = ["html", "svg", "pdf", "png"]

JS = r"""
<script>
function box(e) { const r = e.getBoundingClientRect();
  return {x0: r.left, y0: r.top, x1: r.right, y1: r.bottom}; }
function area(b) { return Math.max(0, b.x1 - b.x0) * Math.max(0, b.y1 - b.y0); }
function check(svg) {
  const name = svg.closest('[data-chart]') ? svg.closest('[data-chart]').dataset.chart
             : (svg.closest('figure') ? svg.closest('figure').id : '?');
  const s = box(svg), problems = [];
  const texts = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim() !== '')
    .map(t => Object.assign(box(t), {t: t.textContent.trim()}));
  for (const b of texts)
    if (b.x0 < s.x0 - 1 || b.y0 < s.y0 - 1 || b.x1 > s.x1 + 1 || b.y1 > s.y1 + 1)
      problems.push('cut by the edge: "' + b.t + '"');
  for (let i = 0; i < texts.length; i++)
    for (let j = i + 1; j < texts.length; j++) {
      const a = texts[i], b = texts[j];
      /* a boxed label is drawn twice (its box, then its text): one label */
      if (a.t === b.t && Math.abs(a.x0 - b.x0) < 0.5 && Math.abs(a.y0 - b.y0) < 0.5) continue;
      const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
      const h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
      if (w > 0.5 && h > 0.5)
        problems.push('overlap: "' + a.t + '" and "' + b.t + '" (' + w.toFixed(1) + ' x ' +
                      h.toFixed(1) + ' px)');
    }
  /* The axes: the big paths drawn outside the data sets (the border). */
  const axes = [...svg.querySelectorAll('path')]
    .filter(p => !p.closest('[id*="gnuplot_plot"]') && !p.classList.contains('gridline'))
    .map(box).filter(b => area(b) > 0.08 * area(s));
  let marks = 0;
  for (const e of svg.querySelectorAll('[id*="gnuplot_plot"] polygon, [id*="gnuplot_plot"] path, [id*="gnuplot_plot"] use, [id*="gnuplot_plot"] rect')) {
    const b = box(e), cx = (b.x0 + b.x1) / 2, cy = (b.y0 + b.y1) / 2;
    if ((b.x1 - b.x0) + (b.y1 - b.y0) < 0.5) continue;
    if (axes.some(a => cx >= a.x0 - 0.5 && cx <= a.x1 + 0.5 && cy >= a.y0 - 0.5 && cy <= a.y1 + 0.5))
      marks++;
  }
  if (!axes.length) problems.push('no axes found');
  else if (!marks) problems.push('empty plot: no mark inside the axes');
  return {name: name, texts: texts.length, marks: marks, problems: problems};
}
window.addEventListener('load', () => {
  const r = [...document.querySelectorAll('svg')].map(check);
  const pre = document.createElement('pre');
  pre.id = 'render-check';
  pre.textContent = 'RENDER-CHECK ' + JSON.stringify(r) + ' END-CHECK';
  document.body.appendChild(pre);
});
</script>
"""

failures = []
diffs = []


def fail(what):
    failures.append(what)
    print("FAIL:", what, flush=True)


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def chromium_check(html_path):
    """The per-SVG results of JS on the page at html_path."""
    r = run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-dev-shm-usage", "--virtual-time-budget=10000", "--dump-dom",
             "file://" + html_path], timeout=180)
    m = re.search(r'<pre id="render-check">RENDER-CHECK (.*?) END-CHECK</pre>', r.stdout.decode("utf-8", "replace"), re.S)
    if not m:
        fail("%s: chromium gave no result (%s)" % (html_path, r.stderr.decode()[-400:]))
        return []
    return json.loads(m.group(1).replace("&quot;", '"').replace("&amp;", "&")
                      .replace("&lt;", "<").replace("&gt;", ">"))


def svg_page(svgs, path):
    """One page inlining the SVG files (name -> path), each in a div."""
    with open(path, "w") as f:
        f.write("<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>\n")
        for name, p in svgs:
            s = open(p, encoding="utf-8").read()
            s = s[s.index("<svg"):]
            f.write("<div data-chart='%s'>%s</div>\n" % (name, s))
        f.write(JS + "</body></html>\n")


def report_results(label, results, expect):
    if len(results) != expect:
        fail("%s: %d charts rendered, expected %d" % (label, len(results), expect))
    for r in results:
        for p in r["problems"]:
            fail("%s %s: %s" % (label, r["name"], p))


# ---- rasters ------------------------------------------------------------

def read_ppm(path):
    data = open(path, "rb").read()
    parts = data.split(maxsplit=4)
    assert parts[0] == b"P6", path
    w, h = int(parts[1]), int(parts[2])
    return w, h, parts[4][: w * h * 3]


def read_png(path):
    """RGB bytes of an 8-bit RGB/RGBA non-interlaced PNG (what pngcairo writes)."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and ctype in (2, 6) and interlace == 0, (path, depth, ctype)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    bpp = 3 if ctype == 2 else 4
    raw, stride = zlib.decompress(idat), w * bpp
    out, prev = bytearray(), bytearray(stride)
    for y in range(h):
        ft, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if ft == 1: line[i] = (line[i] + a) & 255
            elif ft == 2: line[i] = (line[i] + b) & 255
            elif ft == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif ft == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        prev = line
        if bpp == 3:
            out += line
        else:
            for i in range(0, stride, 4):
                out += line[i:i + 3]
    return w, h, bytes(out)


def ink(w, h, rgb):
    """Share of pixels that are coloured (not white, grey or black)."""
    n = 0
    for i in range(0, w * h * 3, 3 * 7):  # every 7th pixel is plenty
        r, g, b = rgb[i], rgb[i + 1], rgb[i + 2]
        if max(r, g, b) - min(r, g, b) > 24:
            n += 1
    return n / max(1, (w * h) // 7)


def downsample(w, h, rgb, k):
    """Grey means of k x k blocks."""
    bw, bh = w // k, h // k
    out = []
    for by in range(bh):
        for bx in range(bw):
            s = 0
            for y in range(by * k, by * k + k, 2):
                row = (y * w + bx * k) * 3
                for x in range(0, k * 3, 6):
                    s += rgb[row + x] + rgb[row + x + 1] + rgb[row + x + 2]
            out.append(s / (3 * (k // 2) * (k // 2)))
    return bw, bh, out


def pdf_words(path):
    r = run(["pdftotext", "-bbox", path, "-"])
    words = []
    for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                         r'yMax="([\d.]+)">(.*?)</word>', r.stdout.decode("utf-8", "replace")):
        words.append(tuple(float(m.group(i)) for i in range(1, 5)) + (m.group(5),))
    pm = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', r.stdout.decode())
    return words, (float(pm.group(1)), float(pm.group(2))) if pm else (0, 0)


def check_pdf(label, path):
    words, (pw, ph) = pdf_words(path)
    if not words:
        fail("%s: no text in the PDF" % label)
    for (x0, y0, x1, y1, t) in words:
        if x0 < -0.5 or y0 < -0.5 or x1 > pw + 0.5 or y1 > ph + 0.5:
            fail('%s: cut by the edge: "%s"' % (label, t))
    for i in range(len(words)):
        a = words[i]
        for b in words[i + 1:]:
            w = min(a[2], b[2]) - max(a[0], b[0])
            h = min(a[3], b[3]) - max(a[1], b[1])
            if w > 0.3 and h > 0.3:
                fail('%s: overlap: "%s" and "%s" (%.1f x %.1f pt)' % (label, a[4], b[4], w, h))
    return len(words)


def main():
    pesim = os.path.abspath(sys.argv[1])
    for tool in ("gnuplot", "chromium", "pdftoppm", "pdftotext"):
        if not shutil.which(tool):
            print("skipped: %s is not installed" % tool)
            return 77
    work = sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp(prefix="pesim-render-")
    os.makedirs(work, exist_ok=True)
    checked = 0
    made = {}
    jobs = [(n, c, e, None, []) for n, c, e in INPUTS] + \
        [(n, None, None, src, opts) for n, src, opts in VARIANTS]
    for name, cmd, ext, src, opts in jobs:
        if src is not None:
            if src not in made:
                continue
            inp = made[src]
        else:
            inp = os.path.join(work, name + "." + ext)
            args = [pesim] + cmd + (["-o", inp] if ext == "csv" else ["--format", "json", "-o", inp])
            r = run(args, cwd=work)
            if r.returncode != 0:
                fail("%s: %s exited %d: %s" % (name, " ".join(cmd), r.returncode, r.stderr.decode()))
                continue
            made[name] = inp
        # HTML: the page itself, with the checker appended.
        page = os.path.join(work, name + ".html")
        r = run([pesim, "report", inp, "-o", page, "--keep-scripts", os.path.join(work, name + "-gp")] + opts)
        if r.returncode != 0:
            fail("%s html: report exited %d: %s" % (name, r.returncode, r.stderr.decode()))
            continue
        charts = sorted(f[:-3] for f in os.listdir(os.path.join(work, name + "-gp")) if f.endswith(".gp"))
        html = open(page, encoding="utf-8").read().replace("</body>", JS + "</body>")
        checked_page = os.path.join(work, name + "-check.html")
        open(checked_page, "w", encoding="utf-8").write(html)
        report_results(name + " html", chromium_check(checked_page), len(charts))
        # SVG, PDF, PNG figures.
        drawn = {}
        for fmt in ("svg", "pdf", "png"):
            d = os.path.join(work, name + "-" + fmt) + "/"
            r = run([pesim, "report", inp, "--format", fmt, "-o", d] + opts)
            if r.returncode != 0:
                fail("%s %s: report exited %d: %s" % (name, fmt, r.returncode, r.stderr.decode()))
                continue
            got = sorted(f.rsplit(".", 1)[0] for f in os.listdir(d))
            if got != charts:
                fail("%s %s: charts %s, the page has %s" % (name, fmt, got, charts))
            drawn[fmt] = d
        if "svg" not in drawn:
            continue
        sp = os.path.join(work, name + "-svg-check.html")
        svg_page([(c, drawn["svg"] + c + ".svg") for c in charts], sp)
        report_results(name + " svg", chromium_check(sp), len(charts))
        for c in charts:
            # The SVG's coloured ink, rasterized by Chromium through the PDF route is not
            # available: use the PDF as the reference for PNG and check the PDF's own ink.
            if "pdf" in drawn:
                pdf = drawn["pdf"] + c + ".pdf"
                nwords = check_pdf("%s pdf %s" % (name, c), pdf)
                base = os.path.join(work, "%s-%s-pdf" % (name, c))
                run(["pdftoppm", "-r", "300", "-singlefile", pdf, base])
                pw, ph, prgb = read_ppm(base + ".ppm")
                pink = ink(pw, ph, prgb)
                if pink < (0.0005 if c.endswith("pareto") else 0.002):
                    fail("%s pdf %s: empty plot (%.4f%% coloured)" % (name, c, 100 * pink))
                if "png" in drawn:
                    w, h, rgb = read_png(drawn["png"] + c + ".png")
                    if abs(w - pw) > 0.01 * pw or abs(h - ph) > 0.01 * ph:
                        fail("%s png %s: %dx%d px, the PDF at 300 dpi is %dx%d" % (name, c, w, h, pw, ph))
                    else:
                        gink = ink(w, h, rgb)
                        if gink < 0.5 * pink or gink > 2 * pink:
                            fail("%s png %s: %.3f%% coloured, the PDF %.3f%%" % (name, c, 100 * gink, 100 * pink))
                        k = 30
                        bw, bh, a = downsample(pw, ph, prgb, k)
                        _, _, b = downsample(w, h, rgb, k)
                        bw2 = w // k
                        b = [b[y * bw2 + x] for y in range(min(bh, h // k)) for x in range(min(bw, bw2))]
                        a = [a[y * bw + x] for y in range(min(bh, h // k)) for x in range(min(bw, bw2))]
                        diff = sum(abs(x - y) for x, y in zip(a, b)) / max(1, len(a))
                        diffs.append(diff)
                        if diff > 8:
                            fail("%s png %s: layout differs from the PDF's (mean %.1f grey levels "
                                 "per %dpx block)" % (name, c, diff, k))
                os.unlink(base + ".ppm")
            checked += 1
        print("%s: %d charts checked in html, svg, pdf, png" % (name, len(charts)), flush=True)
    if diffs:
        print("PNG against PDF: mean block difference %.1f, at most %.1f grey levels" % (sum(diffs) / len(diffs), max(diffs)))
    print("%d charts, %d failures" % (checked, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
