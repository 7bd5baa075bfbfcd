"""MIPEVENTS_CONTACT_EMAIL: the address people write to, in every page's footer and in help texts;
nothing is shown when it is not set."""


def test_the_contact_address_is_in_the_footer_and_the_help_text(make_app):
    app = make_app(MIPEVENTS_CONTACT_EMAIL="events@mip.example")
    with app.app_context():
        page = app.test_client().get("/api/").get_data(as_text=True)
    footer = page.split('<footer class="site-footer">')[1]
    assert 'Questions? Write to <a href="mailto:events@mip.example">events@mip.example</a></p>' in footer
    assert 'write to us at\n    <a href="mailto:events@mip.example">events@mip.example</a> to be added.' in page


def test_without_an_address_nothing_is_promised(client):
    page = client.get("/api/").get_data(as_text=True)
    assert "mailto:" not in page and "Questions? Write to" not in page
    assert "write to us to be added." in page
