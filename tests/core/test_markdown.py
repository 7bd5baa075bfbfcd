"""Markdown from people renders without anything hostile: no raw HTML, no script, no javascript: or
data: links, no images from other hosts; what Markdown means stays."""
from mipevents.core.markdown import render


def test_raw_html_and_scripts_are_shown_as_text_never_as_markup():
    html = render('<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">\n\n<iframe src="https://evil.example"></iframe>')
    assert html == ('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n<p>&lt;img src=x onerror="alert(1)"&gt;</p>\n'
                    '<p>&lt;iframe src="https://evil.example"&gt;&lt;/iframe&gt;</p>\n')


def test_only_http_https_and_mailto_links_become_links():
    html = render("[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](data:text/html,hi) [d](vbscript:x) "
                  "[e](https://example.org/x) [f](mailto:mayor@example.org) [g](http://example.org)")
    # The others stay as the text that was typed, never as a link.
    assert html.count("<a ") == 3 and html.count("href=") == 3
    assert '<a href="https://example.org/x" rel="nofollow noopener noreferrer">e</a>' in html
    assert '<a href="mailto:mayor@example.org" rel="nofollow noopener noreferrer">f</a>' in html


def test_images_load_only_from_this_site():
    html = render("![remote](https://tracker.example/pixel.png) ![here](/stories/photos/3.jpg) ![proto](//evil.example/x.png)")
    assert html == ('<p><img alt="remote"> <img src="/stories/photos/3.jpg" alt="here"> <img alt="proto"></p>\n')


def test_markdown_keeps_its_meaning_with_headings_under_the_page_title():
    html = render("# Findings\n\n### Detail\n\n**Bold** and *italic*, `code`\n\n- one\n- two\n\n> quoted")
    assert html == ("<h2>Findings</h2>\n<h3>Detail</h3>\n<p><strong>Bold</strong> and <em>italic</em>, <code>code</code></p>\n"
                    "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<blockquote>\n<p>quoted</p>\n</blockquote>\n")
