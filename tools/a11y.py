"""What every site page and deck adds for WCAG 2.1 AA (docs/instructors/accessibility.md).

- :data:`CSS`: code highlighting and prompts at contrast >= 4.5:1 on the code background
  (#f5f5f5) and on white, links underlined (not told apart by colour alone), a visible
  focus outline for every focusable element, wrapped code blocks (no scroll region that
  a keyboard cannot reach), and a readable reveal.js slide number.
- :data:`MATHJAX_CONFIG`: MathJax 2's AssistiveMML extension on, so screen readers read a
  MathML copy of every formula (MathJax's combined configuration loads the extension;
  this makes it explicit and keeps it on whatever a reader's saved menu settings were).

tests/browser/test_a11y.py measures all of it with axe-core in Chromium.
"""

from __future__ import annotations

# JupyterLab's light-theme editor colours, darkened where they fell below 4.5:1 on #f5f5f5.
_CODE_COLOURS = {
    "keyword": "#007000",
    "atom": "#4c4cc7",
    "number": "#007000",
    "def": "#0000ff",
    "variable-2": "#00366d",
    "variable-3": "#007a3d",
    "punctuation": "#0055aa",
    "property": "#0055aa",
    "operator": "#7a22cc",
    "comment": "#2f6c6c",
    "string": "#a01818",
    "string-2": "#770088",
    "meta": "#7a22cc",
    "qualifier": "#555555",
    "builtin": "#007000",
    "bracket": "#6b6b3d",
    "tag": "#117700",
    "attribute": "#0000cc",
    "header": "#0000cc",
    "quote": "#007000",
    "link": "#0000cc",
    "error": "#c00000",
    "hr": "#5f5f5f",
}

CSS = (
    ":root {\n"
    + "".join(f"  --jp-mirror-editor-{k}-color: {v};\n" for k, v in _CODE_COLOURS.items())
    + """  --jp-cell-inprompt-font-color: #23609a; --jp-cell-outprompt-font-color: #a0462b;
  --jp-cell-prompt-not-active-font-color: #5f5f5f;
}
.jp-InputPrompt, .jp-OutputPrompt { color: #5f5f5f !important; opacity: 1 !important; }
.highlight .c, .highlight .c1, .highlight .cm, .highlight .ch, .highlight .cs,
.highlight .cp, .highlight .cpf { color: #2f6c6c; }
.highlight .m, .highlight .mf, .highlight .mi, .highlight .mh, .highlight .mo,
.highlight .il, .highlight .mb { color: #007000; }
.highlight .o, .highlight .ow { color: #7a22cc; }
a, .jp-RenderedHTMLCommon a { text-decoration: underline !important; }
:focus-visible { outline: 3px solid #0b5cad !important; outline-offset: 2px; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; }
.reveal .slide-number { background-color: rgba(0, 0, 0, 0.75); color: #fff; }
.reveal .controls { color: #0b5cad; }
"""
)

MATHJAX_CONFIG = (
    '<script type="text/x-mathjax-config">MathJax.Hub.Config({'
    "menuSettings: {assistiveMML: true}, AssistiveMML: {disabled: false}});</script>\n"
)

# nbconvert's lab template (7.x) writes no alt attribute from the output's metadata (its
# HTMLExporter then fills in "No description has been provided for this image"); this block
# is the template's own with the alt text that helpers.plots.show stores in
# ``output.metadata["image/png"]["alt"]``.
DATA_PNG_BLOCK = """
{% block data_png scoped %}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
{%- if 'image/png' in output.metadata.get('filenames', {}) %}
<img src="{{ output.metadata.filenames['image/png'] | posix_path | escape_html }}"
{%- else %}
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}"
{%- endif %}
{%- set alttext = (output | get_metadata('alt', 'image/png')) or (cell | get_metadata('alt')) %}
{%- if alttext %}
alt="{{ alttext | escape_html }}"
{%- endif %}
{%- set width = output | get_metadata('width', 'image/png') %}
{%- if width is not none %}
width={{ width | escape_html }}
{%- endif %}
{%- set height = output | get_metadata('height', 'image/png') %}
{%- if height is not none %}
height={{ height | escape_html }}
{%- endif %}
>
</div>
{%- endblock data_png %}
"""

#: Everything a page template adds: put it after ``{% extends ... %}``.
TEMPLATE_BLOCKS = (
    DATA_PNG_BLOCK
    + "{%- block html_head_js_mathjax -%}"
    + "{% raw %}"
    + MATHJAX_CONFIG
    + "{% endraw %}"
    + "{{ super() }}{%- endblock html_head_js_mathjax -%}\n"
)
